import { DfnsApiClient } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { PaymentClient } from '../../src/client/payment-client';
import type { PaymentTimings } from '../../src/contracts/payment-messages';
import type { PaymentState } from '../../src/contracts/payment-state';
import { nativeSepoliaRequest, startPaymentStack, type PaymentStack } from '../support/payment-stack';

/** Short real-time thresholds: overdue 3 s after broadcast, the next step 3 s after each one. */
const TIMINGS: Partial<PaymentTimings> = {
  firstPollAfterMs: 1_500,
  maxPollIntervalMs: 3_000,
  maxStuckPollIntervalMs: 3_000,
  maxRetryBackoffMs: 3_000,
  stuckAfterMs: 3_000,
  stuckRepeatAfterMs: 3_000,
};

interface Transaction {
  id: string;
  status: string;
  reason?: string;
  requestBody: { kind: string };
}

/**
 * Each stuck-escalation step end to end: the real worker and @dfns/sdk over HTTP against the sandbox, on a real
 * Temporal dev server. A `stall` chain fault keeps a broadcast (and each replacement it applies to) unmined, so the
 * escalation moves step by step: speed-up, speed-up again, cancel by replacement when allowed, a person.
 */
describe('stuck escalation against the sandbox, step by step', { timeout: 300_000 }, () => {
  let stack: PaymentStack;
  let owner: DfnsApiClient;

  before(async () => {
    stack = await startPaymentStack({ timeScale: 60, timings: TIMINGS });
    const b = stack.sandbox.bootstrap;
    const signer = new AsymmetricKeySigner({ credId: b.credId, privateKey: b.privateKey });
    owner = new DfnsApiClient({ baseUrl: stack.sandbox.url, authToken: b.authToken, orgId: b.orgId, signer });
  });
  after(async () => stack?.stop());
  beforeEach(async () => admin('/reset', {}));

  async function admin(path: string, body: unknown): Promise<void> {
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const response = await fetch(`${stack.sandbox.url}/_sandbox${path}`, init);
    assert.ok(response.ok, `${path}: ${response.status} ${await response.text()}`);
  }
  /** Keeps the next `count` broadcasts unmined: the transfer, then each replacement in turn. */
  const stall = (count: number) => admin('/faults/chain', { mode: 'stall', count });

  const native = (key: string) => nativeSepoliaRequest(stack, key);

  /** Every replacement transaction the sandbox holds, in broadcast order: Dfns's ground truth. */
  async function transactions(): Promise<Transaction[]> {
    const response = await fetch(`${stack.sandbox.url}/_sandbox/transactions`);
    return ((await response.json()) as { items: Transaction[] }).items;
  }
  const stuckSteps = (state: PaymentState) =>
    state.timeline.filter((entry) => entry.event.startsWith('stuck')).map((entry) => entry.event);

  async function until(paymentId: string, ok: (s: PaymentState) => boolean, what: string): Promise<PaymentState> {
    for (let i = 0; i < 300; i++) {
      const state = await stack.client.getState(paymentId);
      if (ok(state)) return state;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.fail(`timed out waiting for ${what}`);
  }

  it('still stuck after a speed-up: sped up a second time, and the second replacement confirms', async () => {
    await stall(2);
    const { paymentId } = await stack.client.start(native('esc-second-speed-up'));
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Confirmed');
    const state = await stack.client.getState(paymentId);
    assert.deepEqual(stuckSteps(state), ['stuck', 'stuck: speed-up 1 of 2', 'stuck: speed-up 2 of 2']);
    const speedUps = (await transactions()).filter((tx) => tx.requestBody.kind === 'SpeedUpTransaction');
    assert.deepEqual(
      speedUps.map((tx) => [tx.status, tx.reason]),
      [
        ['Failed', 'Replaced by a higher-fee transaction'],
        ['Confirmed', undefined],
      ],
      'the second speed-up replaced the first, unmined one',
    );
    const transfer = (await stack.sandboxTransfers()).find((t) => t.id === outcome.transferId);
    assert.equal(outcome.txHash, (transfer as { txHash?: string } | undefined)?.txHash, 'the mined hash');
  });

  it('still stuck after both speed-ups, with cancel allowed: cancelled by replacement, followed to the end', async () => {
    await stall(3);
    const cancelling = new PaymentClient(stack.env.client, {
      taskQueue: stack.taskQueue,
      timings: { ...TIMINGS, cancelStuckTransfers: true },
    });
    const { paymentId } = await cancelling.start(native('esc-cancel'));
    const outcome = await cancelling.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Failed');
    assert.equal(outcome.reason, 'Cancelled by replacement');
    assert.equal(outcome.needsAttention, true, 'nothing was paid: a person decides what next');
    const state = await cancelling.getState(paymentId);
    assert.deepEqual(stuckSteps(state), [
      'stuck',
      'stuck: speed-up 1 of 2',
      'stuck: speed-up 2 of 2',
      'stuck: cancel by replacement',
    ]);
    const cancels = (await transactions()).filter((tx) => tx.requestBody.kind === 'Transaction');
    assert.equal(cancels.length, 1);
    const cancel = cancels[0]!;
    assert.equal(cancel.status, 'Confirmed', 'the replacement transaction was mined');
    const entry = state.timeline.find((e) => e.event === 'stuck: cancel by replacement');
    // The note says what the replacement was when the workflow read it: broadcast, or already mined on a slow machine.
    assert.match(
      entry?.note ?? '',
      new RegExp(`replacement ${cancel.id} \\((Broadcasted|Confirmed), 0x[0-9a-f]{64}\\)`),
    );
    const transfer = await owner.wallets.getTransfer({
      walletId: stack.sandbox.bootstrap.walletId,
      transferId: outcome.transferId!,
    });
    assert.equal((transfer as { replacementId?: string }).replacementId, cancel.id, 'the replacement it followed');
  });

  it('still stuck after every automatic step: flagged for a person; the flag clears if it confirms by itself', async () => {
    await stall(3);
    const { paymentId } = await stack.client.start(native('esc-flag'));
    const flagged = await until(paymentId, (s) => s.needsAttention, 'the flag for a person');
    assert.equal(flagged.status, 'Broadcasted');
    assert.deepEqual(stuckSteps(flagged), [
      'stuck',
      'stuck: speed-up 1 of 2',
      'stuck: speed-up 2 of 2',
      'stuck: escalated to a person',
    ]);
    const why = flagged.timeline.find((e) => e.event === 'stuck: escalated to a person')?.note;
    assert.match(why ?? '', /still unconfirmed after 2 speed-up\(s\)/);
    assert.equal((await transactions()).filter((tx) => tx.requestBody.kind === 'Transaction').length, 0, 'no cancel');
    const handle = stack.env.client.workflow.getHandle(paymentId);
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    assert.match(metadata.currentDetails ?? '', /needs a person\*\*: the transfer is still unconfirmed/);
    assert.match(metadata.currentDetails ?? '', /escalation: 2 speed-up\(s\), flagged for a person/);

    // The chain includes the last replacement after all: the payment confirms and no longer needs anyone.
    const response = await fetch(`${stack.sandbox.url}/_sandbox/transfers/${flagged.transferId}/mine`, {
      method: 'POST',
    });
    assert.equal(response.status, 200, await response.text());
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(outcome.needsAttention, undefined, 'the flag cleared');
    const state = await stack.client.getState(paymentId);
    assert.equal(state.needsAttention, false);
    assert.ok(stuckSteps(state).includes('stuck: escalated to a person'), 'the timeline keeps the escalation');
    const confirmed = state.timeline.find((e) => e.status === 'Confirmed' && e.applied);
    assert.match(confirmed?.note ?? '', /confirmed by itself: no longer needs a person/);
  });
});
