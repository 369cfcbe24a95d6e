import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { speedUpGasPrice } from '../../../sandbox/src/wallets/replacement-transactions';
import {
  admin,
  deliveries,
  dfnsFailure,
  rawCall,
  sendNative,
  signedCall,
  startTestSandbox,
  waitFor,
  waitForStatus,
  type Json,
  type TestSandbox,
} from '../helpers';

const GWEI = 1_000_000_000n;

async function nativeBalance(t: TestSandbox): Promise<bigint> {
  const { assets } = await t.dfns.wallets.getWalletAssets({ walletId: t.bootstrap.walletId });
  return BigInt(assets.find((asset) => asset.kind === 'Native')?.balance ?? '0');
}

describe('speed-up gas price', () => {
  it('is 10 % above the original, and never below the Fast price (3 gwei)', () => {
    assert.equal(speedUpGasPrice(1n * GWEI), 3n * GWEI);
    assert.equal(speedUpGasPrice(2n * GWEI), 3n * GWEI);
    assert.equal(speedUpGasPrice(3n * GWEI), 3_300_000_000n);
    assert.equal(speedUpGasPrice(10n * GWEI), 11n * GWEI);
    assert.equal(speedUpGasPrice(30n * GWEI + 1n), 33n * GWEI + 2n, 'rounded up, never down');
  });
});

describe('replacement transactions', () => {
  let t: TestSandbox;
  let walletId: string;
  let replacementId = '';
  // A 10-minute block at scale 1000 is 600 ms: long enough to look at a replacement before it is mined.
  before(async () => {
    t = await startTestSandbox({ timeScale: 1000, blockTimeMs: 600_000 });
    walletId = t.bootstrap.walletId;
  });
  after(async () => {
    await t.close();
  });

  const path = (transferId: string, action: string) => `/wallets/${walletId}/transfers/${transferId}/${action}`;
  const transaction = async (id: string) =>
    (await rawCall(t.bootstrap, 'GET', `/wallets/${walletId}/transactions/${id}`)).body;

  it('a speed-up answers a replacement (same nonce, higher fee); the replacement is what confirms', async () => {
    const before = await nativeBalance(t);
    await admin(t.sandbox.url, 'POST', '/faults/chain', { mode: 'stall', count: 1 });
    const created = await sendNative(t.dfns, walletId, '5000');
    const stalled = await waitForStatus(t.dfns, walletId, created.id, 'Broadcasted');

    const sped = await signedCall(t.bootstrap, 'POST', path(created.id, 'speed-up'));
    assert.equal(sped.status, 200);
    const replacement: Json = sped.body;
    replacementId = replacement.id;
    assert.match(replacement.id, /^tx-/);
    assert.equal(replacement.walletId, walletId);
    assert.equal(replacement.status, 'Broadcasted');
    assert.equal(replacement.requestBody.kind, 'SpeedUpTransaction');
    assert.equal(replacement.requestBody.txHash, stalled.txHash, 'it names the transaction it replaces');
    assert.match(replacement.requestBody.signedTx, /^0x[0-9a-f]+$/);
    assert.match(replacement.txHash, /^0x[0-9a-f]{64}$/);
    assert.notEqual(replacement.txHash, stalled.txHash);
    assert.deepEqual(replacement.details, { nonce: 0, gasPrice: (3n * GWEI).toString() }, 'same nonce, Fast price');
    assert.equal(replacement.fee, (21_000n * 3n * GWEI).toString());
    assert.equal(replacement.requester.userId, t.bootstrap.userId);

    // Until it is mined, the transfer still shows the original transaction and names the pending replacement.
    const pending: Json = await t.dfns.wallets.getTransfer({ walletId, transferId: created.id });
    assert.equal(pending.status, 'Broadcasted');
    assert.equal(pending.txHash, stalled.txHash);
    assert.equal(pending.replacementId, replacement.id);
    assert.deepEqual(await transaction(replacement.id), replacement);
    const again = await signedCall(t.bootstrap, 'POST', path(created.id, 'speed-up'));
    assert.equal(again.status, 400);
    assert.equal(again.body.error.details.replacementId, replacement.id);
    const cancel = await dfnsFailure(t.dfns.wallets.cancelTransfer({ walletId, transferId: created.id }));
    assert.equal(cancel.httpStatus, 400, 'one replacement at a time');

    const confirmed: Json = await waitForStatus(t.dfns, walletId, created.id, 'Confirmed');
    assert.equal(confirmed.txHash, replacement.txHash);
    assert.equal(confirmed.fee, replacement.fee);
    assert.equal(confirmed.replacementId, replacement.id);
    const mined = await transaction(replacement.id);
    assert.equal(mined.status, 'Confirmed');
    assert.ok(mined.dateConfirmed);
    assert.equal(await nativeBalance(t), before - 5000n - BigInt(replacement.fee), 'the amount and the new fee only');

    const event = await waitFor(() => deliveries(t.receiver, 'wallet.transaction.confirmed')[0], 5000, 'tx confirmed');
    assert.equal((event.json.data as Json).transactionRequest.id, replacement.id);
    const broadcasted = deliveries(t.receiver, 'wallet.transaction.broadcasted');
    assert.deepEqual(
      broadcasted.map((d) => (d.json.data as Json).transactionRequest.id),
      [replacement.id],
    );
    const transferEvent = () => deliveries(t.receiver, 'wallet.transfer.confirmed')[0];
    const transferConfirmed = await waitFor(transferEvent, 5000, 'transfer confirmed');
    assert.equal((transferConfirmed.json.data as Json).transferRequest.txHash, replacement.txHash);
  });

  it('a sped-up transfer that reverts fails with the replacement hash; only the replacement fee is spent', async () => {
    const before = await nativeBalance(t);
    await admin(t.sandbox.url, 'POST', '/faults/chain', { mode: 'fail-on-chain', count: 1, reason: 'out of gas' });
    const created = await sendNative(t.dfns, walletId, '7000');
    await waitForStatus(t.dfns, walletId, created.id, 'Broadcasted');
    const sped = await signedCall(t.bootstrap, 'POST', path(created.id, 'speed-up'));
    assert.equal(sped.status, 200);
    assert.equal(sped.body.details.nonce, 1, 'the wallet’s second transaction');
    const failed: Json = await waitForStatus(t.dfns, walletId, created.id, 'Failed');
    assert.equal(failed.reason, 'out of gas');
    assert.equal(failed.txHash, sped.body.txHash);
    assert.equal(failed.replacementId, sped.body.id);
    const reverted = await transaction(sped.body.id);
    assert.equal(reverted.status, 'Failed');
    assert.equal(reverted.reason, 'out of gas');
    assert.equal(await nativeBalance(t), before - BigInt(sped.body.fee));
  });

  it('an unknown or foreign transaction is 404', async () => {
    const unknown = await rawCall(t.bootstrap, 'GET', `/wallets/${walletId}/transactions/tx-nope`);
    assert.equal(unknown.status, 404);
    assert.match(replacementId, /^tx-/);
    const other = t.bootstrap.wallets[1]?.walletId;
    const foreign = await rawCall(t.bootstrap, 'GET', `/wallets/${other}/transactions/${replacementId}`);
    assert.equal(foreign.status, 404);
  });
});
