import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toChecksumAddress } from '../../../sandbox/src/wallets/evm-address';
import {
  dfnsFailure,
  groundTruth,
  RECIPIENT,
  sendNative,
  startTestSandbox,
  waitFor,
  waitForStatus,
  type Json,
  type TestSandbox,
} from '../helpers';

const TRANSFER_ID = /^xfr-[a-z0-9]{5}-[a-z0-9]{5}-[a-z0-9]{14,16}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TERMINAL = ['Confirmed', 'Failed', 'Rejected'];

/** Waits until no transfer is still moving, so balance snapshots are not raced by earlier tests. */
async function settled(t: TestSandbox) {
  await waitFor(async () =>
    (await groundTruth(t.sandbox.url)).every((x) => TERMINAL.includes(x.status)) ? true : undefined,
  );
}

async function balances(t: TestSandbox) {
  const { assets } = await t.dfns.wallets.getWalletAssets({ walletId: t.bootstrap.walletId });
  const native = assets.find((asset) => asset.kind === 'Native');
  const usdc = assets.find((asset) => 'contract' in asset && asset.contract === t.bootstrap.erc20.contract);
  assert.ok(native && usdc);
  return { native: BigInt(native.balance), usdc: BigInt(usdc.balance) };
}

describe('transfers through the real SDK', () => {
  let t: TestSandbox;
  let walletId: string;
  before(async () => {
    t = await startTestSandbox();
    walletId = t.bootstrap.walletId;
  });
  after(async () => {
    await t.close();
  });

  it('creates Native and Erc20 transfers, reads them back and lists them newest first', async () => {
    const { erc20 } = t.bootstrap;
    const nativeBody = { kind: 'Native' as const, to: RECIPIENT, amount: '1000', priority: 'Fast' as const };
    const native = await t.dfns.wallets.transferAsset({ walletId, body: nativeBody });
    assert.match(native.id, TRANSFER_ID);
    assert.equal(native.status, 'Pending');
    assert.equal(native.walletId, walletId);
    assert.equal(native.network, 'EthereumSepolia');
    assert.equal(native.requester.userId, t.bootstrap.userId);
    assert.ok(native.requester.tokenId?.startsWith('to-'));
    assert.deepEqual(native.requestBody, nativeBody);
    assert.equal(native.metadata.asset.symbol, 'ETH');
    assert.equal(native.metadata.asset.decimals, 18);
    assert.match(native.dateRequested, ISO_DATE);

    const tokenBody = {
      kind: 'Erc20' as const,
      contract: erc20.contract,
      to: RECIPIENT.toLowerCase(),
      amount: '2500000',
    };
    const token = await t.dfns.wallets.transferAsset({ walletId, body: tokenBody });
    assert.equal(token.metadata.asset.symbol, 'USDC');
    assert.equal(token.metadata.asset.decimals, 6);
    assert.equal(token.metadata.asset.verified, true);

    const readBack = await t.dfns.wallets.getTransfer({ walletId, transferId: token.id });
    assert.equal(readBack.id, token.id);
    assert.deepEqual(readBack.requestBody, tokenBody);

    const list = await t.dfns.wallets.listTransfers({ walletId });
    assert.equal(list.walletId, walletId);
    const ids = list.items.map((item) => item.id);
    assert.ok(ids.indexOf(token.id) < ids.indexOf(native.id), 'newest first');

    const first = await t.dfns.wallets.listTransfers({ walletId, query: { limit: 1 } });
    assert.equal(first.items.length, 1);
    assert.ok(first.nextPageToken);
    const query = { limit: 1, paginationToken: first.nextPageToken };
    const second = await t.dfns.wallets.listTransfers({ walletId, query });
    assert.equal(second.items[0]?.id, ids[1]);
  });

  it('replays an identical externalId body and refuses a different one with 409', async () => {
    const created = await sendNative(t.dfns, walletId, '777', 'payment-42-a1');
    // Same content, different key order: compared as parsed JSON, so still a replay.
    const reordered = { externalId: 'payment-42-a1', amount: '777', to: RECIPIENT, kind: 'Native' as const };
    const replay = await t.dfns.wallets.transferAsset({ walletId, body: reordered });
    assert.equal(replay.id, created.id);
    assert.equal(replay.externalId, 'payment-42-a1');

    const err = await dfnsFailure(sendNative(t.dfns, walletId, '778', 'payment-42-a1'));
    assert.equal(err.httpStatus, 409);
    const errorBody = (err.context as Json).body.error;
    assert.equal(errorBody.status, 409);
    assert.equal(errorBody.message, 'Conflicting transfer with same externalId');
    assert.deepEqual(errorBody.details.duplicate, { id: created.id, externalId: 'payment-42-a1' });

    const truth = await groundTruth(t.sandbox.url);
    assert.equal(truth.filter((item) => item.externalId === 'payment-42-a1').length, 1);

    // The replay raised no second `requested` webhook.
    await waitForStatus(t.dfns, walletId, created.id, 'Confirmed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const requested = t.receiver.requests.filter(
      (r) => r.json.kind === 'wallet.transfer.requested' && (r.json.data as Json).transferRequest.id === created.id,
    );
    assert.equal(requested.length, 1);
  });

  it('runs the lifecycle to Confirmed and debits balances exactly', async () => {
    const { erc20 } = t.bootstrap;
    await settled(t);
    const before = await balances(t);
    const amount = 1_234_567_890_123_456_789n;
    const native = await sendNative(t.dfns, walletId, amount.toString());
    const usdcAmount = 9_999_999n;
    const tokenBody = {
      kind: 'Erc20' as const,
      contract: erc20.contract,
      to: RECIPIENT,
      amount: usdcAmount.toString(),
    };
    const token = await t.dfns.wallets.transferAsset({ walletId, body: tokenBody });
    const nativeDone = await waitForStatus(t.dfns, walletId, native.id, 'Confirmed');
    const tokenDone = await waitForStatus(t.dfns, walletId, token.id, 'Confirmed');
    for (const transfer of [nativeDone, tokenDone]) {
      assert.match(transfer.txHash ?? '', /^0x[0-9a-f]{64}$/);
      assert.match(transfer.fee ?? '', /^[1-9][0-9]*$/);
      const { datePolicyResolved, dateBroadcasted, dateConfirmed } = transfer;
      for (const date of [datePolicyResolved, dateBroadcasted, dateConfirmed]) assert.match(date ?? '', ISO_DATE);
      assert.ok(transfer.dateRequested <= (datePolicyResolved ?? ''));
      assert.ok((dateBroadcasted ?? '') <= (dateConfirmed ?? ''));
    }
    const fees = BigInt(nativeDone.fee ?? '') + BigInt(tokenDone.fee ?? '');
    const afterBalances = await balances(t);
    assert.equal(afterBalances.native, before.native - amount - fees);
    assert.equal(afterBalances.usdc, before.usdc - usdcAmount);
  });

  it('fails a transfer without a txHash when the balance is short at broadcast', async () => {
    const created = await sendNative(t.dfns, walletId, (10n ** 30n).toString());
    assert.equal(created.status, 'Pending');
    const failed = await waitForStatus(t.dfns, walletId, created.id, 'Failed');
    assert.equal(failed.reason, 'Insufficient balance');
    assert.equal(failed.txHash, undefined);
  });

  it('rejects bad input with a 400 naming the field', async () => {
    const { erc20 } = t.bootstrap;
    const badChecksum = RECIPIENT.replace('a', 'A');
    assert.notEqual(toChecksumAddress(badChecksum), badChecksum);
    const cases: [unknown, string][] = [
      [{ kind: 'Native', to: '0x1234', amount: '1' }, 'to'],
      [{ kind: 'Native', to: badChecksum, amount: '1' }, 'to'],
      [{ kind: 'Native', to: RECIPIENT, amount: '-5' }, 'amount'],
      [{ kind: 'Native', to: RECIPIENT, amount: '1.5' }, 'amount'],
      [{ kind: 'Native', to: RECIPIENT, amount: '0' }, 'amount'],
      [{ kind: 'Erc721', contract: erc20.contract, to: RECIPIENT, tokenId: '1' }, 'kind'],
      [{ kind: 'Erc20', contract: RECIPIENT, to: RECIPIENT, amount: '1' }, 'contract'],
    ];
    for (const [body, field] of cases) {
      const err = await dfnsFailure(t.dfns.wallets.transferAsset({ walletId, body: body as never }));
      assert.equal(err.httpStatus, 400, JSON.stringify(body));
      assert.match(err.message, new RegExp(`\\b${field}: `), err.message);
    }
  });

  it('answers 404 for an unknown wallet or transfer', async () => {
    const missingWallet = await dfnsFailure(sendNative(t.dfns, 'wa-00000-00000-0000000000000000', '1'));
    assert.equal(missingWallet.httpStatus, 404);
    const missingTransfer = await dfnsFailure(t.dfns.wallets.getTransfer({ walletId, transferId: 'xfr-nope' }));
    assert.equal(missingTransfer.httpStatus, 404);
    assert.equal(missingTransfer.message, 'Transfer not found');
  });
});
