import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  admin,
  deliveries,
  dfnsFailure,
  sendNative,
  signedCall,
  startTestSandbox,
  waitFor,
  waitForStatus,
  type Json,
  type TestSandbox,
} from '../helpers';
import { resetSandbox } from '../policy-support';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const failedEvents = (t: TestSandbox) =>
  deliveries(t.receiver, 'wallet.transfer.failed').length === 1 ? true : undefined;

async function nativeBalance(t: TestSandbox): Promise<bigint> {
  const { assets } = await t.dfns.wallets.getWalletAssets({ walletId: t.bootstrap.walletId });
  return BigInt(assets.find((asset) => asset.kind === 'Native')?.balance ?? '0');
}

describe('chain faults, speed-up and cancel', () => {
  let t: TestSandbox;
  let walletId: string;
  before(async () => {
    t = await startTestSandbox({ timeScale: 1000 });
    walletId = t.bootstrap.walletId;
  });
  beforeEach(async () => {
    await resetSandbox(t);
  });
  after(async () => {
    await t.close();
  });

  const path = (transferId: string, action: string) => `/wallets/${walletId}/transfers/${transferId}/${action}`;

  it('fail-before-broadcast: Failed with the reason and no txHash, for the next N transfers only', async () => {
    await admin(t.sandbox.url, 'POST', '/faults/chain', {
      mode: 'fail-before-broadcast',
      count: 1,
      reason: 'node unreachable',
    });
    const failed = await waitForStatus(t.dfns, walletId, (await sendNative(t.dfns, walletId, '1')).id, 'Failed');
    assert.equal(failed.reason, 'node unreachable');
    assert.equal(failed.txHash, undefined);
    assert.equal(failed.dateBroadcasted, undefined);
    await waitFor(() => failedEvents(t), 5000, 'failed event');
    const next = await sendNative(t.dfns, walletId, '1');
    await waitForStatus(t.dfns, walletId, next.id, 'Confirmed');
  });

  it('fail-on-chain: Broadcasted, then Failed with its txHash; the fee is spent, the amount is not', async () => {
    const before = await nativeBalance(t);
    await admin(t.sandbox.url, 'POST', '/faults/chain', { mode: 'fail-on-chain', count: 1 });
    const created = await sendNative(t.dfns, walletId, '1000');
    const failed = await waitForStatus(t.dfns, walletId, created.id, 'Failed');
    assert.equal(failed.reason, 'Transaction reverted on chain');
    assert.match(failed.txHash ?? '', /^0x[0-9a-f]{64}$/);
    assert.ok(failed.dateBroadcasted);
    assert.equal(await nativeBalance(t), before - BigInt(failed.fee ?? ''));
    await waitFor(() => failedEvents(t), 5000, 'failed event');
    assert.equal(deliveries(t.receiver, 'wallet.transfer.broadcasted').length, 1);
    assert.equal(deliveries(t.receiver, 'wallet.transfer.confirmed').length, 0);
  });

  it('stall keeps a transfer Broadcasted until a speed-up (new txHash, higher fee), then it confirms', async () => {
    await admin(t.sandbox.url, 'POST', '/faults/chain', { mode: 'stall', count: 1 });
    const created = await sendNative(t.dfns, walletId, '1');
    const stalled = await waitForStatus(t.dfns, walletId, created.id, 'Broadcasted');
    await sleep(100); // many scaled blocks
    assert.equal((await t.dfns.wallets.getTransfer({ walletId, transferId: created.id })).status, 'Broadcasted');
    const sped = await signedCall(t.bootstrap, 'POST', path(created.id, 'speed-up'));
    assert.equal(sped.status, 200);
    // The answer is the replacement transaction (@dfns/sdk 0.8.21's SpeedUpTransferResponse); the transfer names it.
    assert.match(sped.body.id, /^tx-/);
    assert.notEqual(sped.body.txHash, stalled.txHash);
    assert.ok(BigInt(sped.body.fee) > BigInt(stalled.fee ?? '0'));
    const confirmed = await waitForStatus(t.dfns, walletId, created.id, 'Confirmed');
    assert.equal(confirmed.txHash, sped.body.txHash);
    assert.equal((confirmed as Json).replacementId, sped.body.id);
    const again = await signedCall(t.bootstrap, 'POST', path(created.id, 'speed-up'));
    assert.equal(again.status, 400, 'only Broadcasted transfers can be sped up');
  });

  it('cancel replaces a Broadcasted transfer with a 0-value transaction; the original ends Failed', async () => {
    const before = await nativeBalance(t);
    await admin(t.sandbox.url, 'POST', '/faults/chain', { mode: 'stall', count: 1 });
    const created = await sendNative(t.dfns, walletId, '5000');
    const stalled = await waitForStatus(t.dfns, walletId, created.id, 'Broadcasted');
    const replacement: Json = await t.dfns.wallets.cancelTransfer({ walletId, transferId: created.id });
    assert.match(replacement.id, /^tx-/);
    assert.equal(replacement.status, 'Broadcasted');
    assert.deepEqual(replacement.requestBody, {
      kind: 'Transaction',
      transaction: { to: t.bootstrap.walletAddress, value: '0', nonce: 0 },
    });
    const twice = await dfnsFailure(t.dfns.wallets.cancelTransfer({ walletId, transferId: created.id }));
    assert.equal(twice.httpStatus, 400);
    const cancelled = await waitForStatus(t.dfns, walletId, created.id, 'Failed');
    assert.equal(cancelled.reason, 'Cancelled by replacement');
    assert.equal(cancelled.txHash, stalled.txHash);
    assert.equal((cancelled as Json).replacementId, replacement.id);
    assert.equal(await nativeBalance(t), before - BigInt(replacement.fee), 'only the replacement fee is spent');
    const confirmed = await sendNative(t.dfns, walletId, '1');
    await waitForStatus(t.dfns, walletId, confirmed.id, 'Confirmed');
    const late = await dfnsFailure(t.dfns.wallets.cancelTransfer({ walletId, transferId: confirmed.id }));
    assert.equal(late.httpStatus, 400);
  });

  it('an unknown transfer is 404 for every action', async () => {
    for (const [method, action] of [
      ['POST', 'cancel'],
      ['PUT', 'abort'],
      ['POST', 'speed-up'],
    ] as const) {
      const res = await signedCall(t.bootstrap, method, path('xfr-nope', action));
      assert.equal(res.status, 404, action);
    }
  });
});

describe('abort while executing', () => {
  it('aborts an Executing transfer before broadcast (Rejected "Aborted"), and refuses a Confirmed one', async () => {
    // A 10-minute block at scale 1000 keeps the transfer Executing for 600 ms.
    const t = await startTestSandbox({ timeScale: 1000, blockTimeMs: 600_000 });
    try {
      const walletId = t.bootstrap.walletId;
      const created = await sendNative(t.dfns, walletId, '1');
      await waitForStatus(t.dfns, walletId, created.id, 'Executing');
      const aborted = await signedCall(t.bootstrap, 'PUT', `/wallets/${walletId}/transfers/${created.id}/abort`);
      assert.equal(aborted.status, 200);
      assert.equal(aborted.body.status, 'Rejected');
      assert.equal(aborted.body.reason, 'Aborted');
      await sleep(700);
      const after = await t.dfns.wallets.getTransfer({ walletId, transferId: created.id });
      assert.equal(after.status, 'Rejected');
      assert.equal(after.txHash, undefined);
      await admin(t.sandbox.url, 'POST', '/time', { timeScale: 1_000_000 });
      const done = await sendNative(t.dfns, walletId, '2');
      await waitForStatus(t.dfns, walletId, done.id, 'Confirmed');
      const refused = await signedCall(t.bootstrap, 'PUT', `/wallets/${walletId}/transfers/${done.id}/abort`);
      assert.equal(refused.status, 400);
      assert.match(refused.body.error.message, /Confirmed/);
    } finally {
      await t.close();
    }
  });
});
