import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { speedUpGasPrice } from '../../../sandbox/src/wallets/replacement-transactions';
import {
  admin,
  rawCall,
  sendNative,
  signedCall,
  startTestSandbox,
  waitForStatus,
  type Json,
  type TestSandbox,
} from '../helpers';

async function nativeBalance(t: TestSandbox): Promise<bigint> {
  const { assets } = await t.dfns.wallets.getWalletAssets({ walletId: t.bootstrap.walletId });
  return BigInt(assets.find((asset) => asset.kind === 'Native')?.balance ?? '0');
}

/**
 * A replacement reaches the chain like any transaction: with `stall` armed it stays unmined too. A stuck
 * replacement can then be replaced (a second speed-up outbids it, a cancel takes its nonce), and the admin API can
 * let the chain mine a stalled transfer after all.
 */
describe('stuck replacements', () => {
  let t: TestSandbox;
  let walletId: string;
  // A 10-minute block at scale 1000 is 600 ms.
  before(async () => {
    t = await startTestSandbox({ timeScale: 1000, blockTimeMs: 600_000 });
    walletId = t.bootstrap.walletId;
  });
  beforeEach(async () => {
    assert.equal((await admin(t.sandbox.url, 'POST', '/reset', {})).status, 200);
  });
  after(async () => t?.close());

  const path = (transferId: string, action: string) => `/wallets/${walletId}/transfers/${transferId}/${action}`;
  const transaction = async (id: string): Promise<Json> =>
    (await rawCall(t.bootstrap, 'GET', `/wallets/${walletId}/transactions/${id}`)).body;
  const stalledTransfer = async (stalls: number) => {
    await admin(t.sandbox.url, 'POST', '/faults/chain', { mode: 'stall', count: stalls });
    const created = await sendNative(t.dfns, walletId, '5000');
    return waitForStatus(t.dfns, walletId, created.id, 'Broadcasted');
  };
  const speedUp = async (transferId: string): Promise<Json> => {
    const answer = await signedCall(t.bootstrap, 'POST', path(transferId, 'speed-up'));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  };

  it('a stuck speed-up is sped up again: the second outbids and replaces it; only its fee is spent', async () => {
    const balance = await nativeBalance(t);
    const stalled = await stalledTransfer(2);
    const first = await speedUp(stalled.id);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // two blocks: the first replacement is not mined
    assert.equal((await t.dfns.wallets.getTransfer({ walletId, transferId: stalled.id })).status, 'Broadcasted');
    const second = await speedUp(stalled.id);
    assert.equal(second.details.nonce, first.details.nonce, 'the same nonce');
    assert.equal(second.details.gasPrice, speedUpGasPrice(BigInt(first.details.gasPrice)).toString());
    const dropped = await transaction(first.id);
    assert.equal(dropped.status, 'Failed');
    assert.equal(dropped.reason, 'Replaced by a higher-fee transaction');
    const confirmed: Json = await waitForStatus(t.dfns, walletId, stalled.id, 'Confirmed');
    assert.equal(confirmed.txHash, second.txHash);
    assert.equal(confirmed.replacementId, second.id);
    assert.equal(await nativeBalance(t), balance - 5000n - BigInt(second.fee), 'the amount and the last fee only');
  });

  it('a stuck speed-up is replaced by a cancel: the transfer fails and only the cancel fee is spent', async () => {
    const balance = await nativeBalance(t);
    const stalled = await stalledTransfer(2);
    const first = await speedUp(stalled.id);
    const cancel: Json = await t.dfns.wallets.cancelTransfer({ walletId, transferId: stalled.id });
    assert.equal((await transaction(first.id)).status, 'Failed');
    const failed = await waitForStatus(t.dfns, walletId, stalled.id, 'Failed');
    assert.equal(failed.reason, 'Cancelled by replacement');
    assert.equal((await transaction(cancel.id)).status, 'Confirmed');
    assert.equal(await nativeBalance(t), balance - BigInt(cancel.fee), 'nothing sent; the cancel fee only');
  });

  it('mine lets a stalled transfer confirm after all; anything else is 404', async () => {
    const stalled = await stalledTransfer(1);
    assert.equal((await admin(t.sandbox.url, 'POST', `/transfers/${stalled.id}/mine`, {})).status, 200);
    const confirmed = await waitForStatus(t.dfns, walletId, stalled.id, 'Confirmed');
    assert.equal(confirmed.txHash, stalled.txHash, 'the original transaction was mined');
    assert.equal((await admin(t.sandbox.url, 'POST', `/transfers/${stalled.id}/mine`, {})).status, 404);
    assert.equal((await admin(t.sandbox.url, 'POST', '/transfers/xfr-none/mine', {})).status, 404);
  });
});
