import { DfnsApiClient } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import type { PaymentState } from '../../src/contracts/payment-state';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const OTHER = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

/**
 * Every payment path (approved, denied, expired, blocked, failed and retried, lost webhooks) through the sandbox
 * with everything real: the Temporal dev server, the worker, the bridge over HTTP and the sandbox over HTTP with the
 * real SDK, made to misbehave through its admin API.
 */
describe('payment paths against a misbehaving Dfns', { timeout: 600_000 }, () => {
  let stack: PaymentStack;
  let admin: DfnsApiClient;
  const approver = (name: string) => {
    const a = stack.sandbox.bootstrap.approvers.find((x) => x.name === name);
    if (!a) throw new Error(`no sandbox approver ${name}`);
    return {
      userId: a.userId,
      client: new DfnsApiClient({
        baseUrl: stack.sandbox.url,
        authToken: a.authToken,
        signer: new AsymmetricKeySigner({ credId: a.credId, privateKey: a.privateKey }),
      }),
    };
  };

  before(async () => {
    stack = await startPaymentStack({
      timeScale: 60,
      // Short silences so polling shows up within seconds; the approval deadline is the configured maximum here.
      timings: {
        firstPollAfterMs: 1_500,
        maxPollIntervalMs: 4_000,
        approvalPollIntervalMs: 2_000,
        approvalGraceMs: 500,
        maxApprovalWaitMs: 8_000,
      },
    });
    const b = stack.sandbox.bootstrap;
    admin = new DfnsApiClient({
      baseUrl: stack.sandbox.url,
      authToken: b.authToken,
      orgId: b.orgId,
      signer: new AsymmetricKeySigner({ credId: b.credId, privateKey: b.privateKey }),
    });
  });
  after(async () => stack?.stop());
  beforeEach(async () => {
    await adminPost('/_sandbox/reset', {});
  });

  async function adminPost(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${stack.sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.ok(response.ok, `${path}: ${response.status} ${await response.text()}`);
  }

  const usdc = (key: string, amount: string, to = RECIPIENT): PaymentRequest => ({
    idempotencyKey: key,
    walletId: stack.sandbox.bootstrap.walletId,
    network: 'EthereumSepolia',
    asset: { kind: 'Erc20', contract: stack.sandbox.bootstrap.erc20.contract, symbol: 'USDC', decimals: 6 },
    to,
    amount,
  });

  async function until(paymentId: string, ok: (s: PaymentState) => boolean, what: string): Promise<PaymentState> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const state = await stack.client.getState(paymentId);
      if (ok(state)) return state;
      if (Date.now() > deadline) throw new Error(`${paymentId}: ${what} not reached; it is ${state.status}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function transfersOf(paymentId: string) {
    return (await stack.sandboxTransfers()).filter((t) => t.externalId?.startsWith(`${paymentId}:`));
  }

  const approvalPolicy = async (
    name: string,
    quorum: number,
    approvers: string[],
    extra: Record<string, unknown> = {},
  ) =>
    admin.policies.createPolicy({
      body: {
        name,
        activityKind: 'Wallets:Sign',
        rule: { kind: 'TransactionAmountLimit', configuration: { limit: 10_000, currency: 'USD' } },
        action: {
          kind: 'RequestApproval',
          approvalGroups: [{ name: 'treasury', quorum, approvers: { userId: { in: approvers } } }],
          ...extra,
        },
        filters: { walletId: { in: [stack.sandbox.bootstrap.walletId] } },
      },
    });

  it('1-of-2 approval: AwaitingApproval with the approval id, approved by one approver, then Confirmed', async () => {
    const [a, b] = [approver('approver-1'), approver('approver-2')];
    await approvalPolicy('large payments', 1, [a.userId, b.userId]);
    const { paymentId } = await stack.client.start(usdc('approve-1of2', '15000000000'));
    const waiting = await until(
      paymentId,
      (s) => s.status === 'AwaitingApproval' && s.approvalId !== undefined,
      'AwaitingApproval',
    );
    await b.client.policies.createApprovalDecision({
      approvalId: waiting.approvalId!,
      body: { value: 'Approved', reason: 'known vendor' },
    });
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Confirmed');
    assert.equal((await transfersOf(paymentId)).length, 1);
  });

  it('2-of-3 quorum: one approval is not enough, the second completes it', async () => {
    const [a, b, c] = [approver('approver-1'), approver('approver-2'), approver('approver-3')];
    await approvalPolicy('very large payments', 2, [a.userId, b.userId, c.userId]);
    const { paymentId } = await stack.client.start(usdc('approve-2of3', '600000000000'));
    const { approvalId } = await until(
      paymentId,
      (s) => s.status === 'AwaitingApproval' && s.approvalId !== undefined,
      'AwaitingApproval',
    );
    await a.client.policies.createApprovalDecision({ approvalId: approvalId!, body: { value: 'Approved' } });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(
      (await stack.client.getState(paymentId)).status,
      'AwaitingApproval',
      'one of two approvals does not release it',
    );
    await c.client.policies.createApprovalDecision({ approvalId: approvalId!, body: { value: 'Approved' } });
    assert.equal((await stack.client.waitForOutcome(paymentId)).status, 'Confirmed');
  });

  it('denied: Rejected with the approver reason, and Dfns never sends it', async () => {
    const a = approver('approver-1');
    await approvalPolicy('large payments', 1, [a.userId]);
    const { paymentId } = await stack.client.start(usdc('denied', '15000000000'));
    const { approvalId } = await until(
      paymentId,
      (s) => s.status === 'AwaitingApproval' && s.approvalId !== undefined,
      'AwaitingApproval',
    );
    await a.client.policies.createApprovalDecision({
      approvalId: approvalId!,
      body: { value: 'Denied', reason: 'not on the payout list' },
    });
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Rejected');
    assert.match(outcome.reason ?? '', /not on the payout list/);
    assert.equal((await transfersOf(paymentId))[0]?.status, 'Rejected');
  });

  it('expired: at the deadline the workflow denies the pending approval as the initiator, and only then says Rejected', async () => {
    const a = approver('approver-1');
    await approvalPolicy('large payments', 1, [a.userId]); // no autoRejectTimeout: only the orchestrator's deadline applies
    const { paymentId } = await stack.client.start(usdc('expired', '15000000000'));
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Rejected');
    assert.match(outcome.reason ?? '', /approval expired/);
    const approvals = (await (await fetch(`${stack.sandbox.url}/_sandbox/approvals`)).json()) as {
      items: { status: string; decisions: { userId: string }[] }[];
    };
    assert.equal(approvals.items[0]?.status, 'Denied');
    assert.equal(
      approvals.items[0]?.decisions[0]?.userId,
      stack.sandbox.bootstrap.userId,
      'denied by the service account, the initiator',
    );
    assert.equal((await transfersOf(paymentId))[0]?.status, 'Rejected');
  });

  it('blocked by a velocity policy: Rejected with Dfns reason', async () => {
    await admin.policies.createPolicy({
      body: {
        name: 'daily cap',
        activityKind: 'Wallets:Sign',
        rule: { kind: 'TransactionAmountVelocity', configuration: { limit: 100, currency: 'USD', timeframe: 1440 } },
        action: { kind: 'Block' },
      },
    });
    const first = await stack.client.start(usdc('velocity-1', '60000000'));
    assert.equal((await stack.client.waitForOutcome(first.paymentId)).status, 'Confirmed');
    const second = await stack.client.start(usdc('velocity-2', '60000000'));
    const outcome = await stack.client.waitForOutcome(second.paymentId);
    assert.equal(outcome.status, 'Rejected');
    assert.ok(outcome.reason && outcome.reason.length > 0, 'Dfns reason kept');
  });

  it('a recipient not on the whitelist needs approval; an approved one goes through', async () => {
    const a = approver('approver-2');
    await admin.policies.createPolicy({
      body: {
        name: 'new recipients',
        activityKind: 'Wallets:Sign',
        rule: { kind: 'TransactionRecipientWhitelist', configuration: { addresses: [RECIPIENT] } },
        action: { kind: 'RequestApproval', approvalGroups: [{ quorum: 1, approvers: { userId: { in: [a.userId] } } }] },
      },
    });
    const known = await stack.client.start(usdc('whitelisted', '1000000'));
    const unknown = await stack.client.start(usdc('not-whitelisted', '1000000', OTHER));
    assert.equal((await stack.client.waitForOutcome(known.paymentId)).status, 'Confirmed');
    const { approvalId } = await until(
      unknown.paymentId,
      (s) => s.status === 'AwaitingApproval' && s.approvalId !== undefined,
      'AwaitingApproval',
    );
    await a.client.policies.createApprovalDecision({ approvalId: approvalId!, body: { value: 'Approved' } });
    assert.equal((await stack.client.waitForOutcome(unknown.paymentId)).status, 'Confirmed');
  });

  it('100% of webhooks lost: polling still ends every payment in the state Dfns holds', async () => {
    await adminPost('/_sandbox/faults/webhooks', { drop: 1 });
    const keys = ['lost-1', 'lost-2', 'lost-3'];
    const started = await Promise.all(keys.map((key) => stack.client.start(usdc(key, '1000000'))));
    for (const { paymentId } of started) {
      const outcome = await stack.client.waitForOutcome(paymentId);
      const truth = await transfersOf(paymentId);
      assert.equal(truth.length, 1);
      assert.equal(outcome.status, truth[0]?.status);
      const state = await stack.client.getState(paymentId);
      assert.equal(state.timeline.filter((e) => e.source === 'webhook').length, 0, 'no webhook arrived');
      assert.ok(state.timeline.some((e) => e.source === 'poll' && e.applied));
    }
  });

  it('duplicated and reordered webhooks: recorded, never moving a payment backwards', async () => {
    // Every webhook twice, in order: the second wallet.transfer.broadcasted reaches the payment while it waits for
    // its confirmation, and is recorded without being applied. (A held duplicate may only arrive once the payment
    // has ended, so the reordered pass below cannot promise one.)
    await adminPost('/_sandbox/faults/webhooks', { duplicate: 1, reorder: 0 });
    const inOrder = await stack.client.start(usdc('dup-1', '1000000'));
    assert.equal((await stack.client.waitForOutcome(inOrder.paymentId)).status, 'Confirmed');
    const duplicated = (await stack.client.getState(inOrder.paymentId)).timeline.filter((e) => e.source === 'webhook');
    assert.ok(
      duplicated.some((e) => !e.applied),
      'duplicates are recorded as not applied',
    );
    // Duplicated and reordered: whatever arrives late or twice, each state is entered once, with one transfer.
    await adminPost('/_sandbox/faults/webhooks', { duplicate: 1, reorder: 0.5 });
    const started = await Promise.all(['dup-2', 'dup-3'].map((key) => stack.client.start(usdc(key, '1000000'))));
    for (const { paymentId } of [inOrder, ...started]) {
      assert.equal((await stack.client.waitForOutcome(paymentId)).status, 'Confirmed');
      const state = await stack.client.getState(paymentId);
      const order = state.timeline.filter((e) => e.applied && e.status).map((e) => e.status);
      assert.deepEqual(order, [...new Set(order)], 'each state entered once');
      assert.equal((await transfersOf(paymentId)).length, 1);
    }
  });

  it('a network without confirmed webhooks is confirmed by polling', async () => {
    const base = stack.sandbox.bootstrap.wallets.find((w) => !w.emitsConfirmed);
    assert.ok(base, 'the sandbox has a wallet on a network that never sends wallet.transfer.confirmed');
    const { paymentId } = await stack.client.start({
      idempotencyKey: 'no-confirmed-events',
      walletId: base.walletId,
      network: base.network as PaymentRequest['network'],
      asset: { kind: 'Native' },
      to: RECIPIENT,
      amount: '1000000000000000',
    });
    assert.equal((await stack.client.waitForOutcome(paymentId)).status, 'Confirmed');
    const state = await stack.client.getState(paymentId);
    const confirmed = state.timeline.find((e) => e.applied && e.status === 'Confirmed');
    assert.equal(confirmed?.source, 'poll');
    assert.ok(
      state.timeline.some((e) => e.source === 'webhook' && e.status === 'Broadcasted' && e.applied),
      'broadcast still came by webhook',
    );
  });

  it('a 429 storm: the activity backs off (honouring Retry-After) and exactly one transfer is made', async () => {
    await adminPost('/_sandbox/faults/http', { status: 429, count: 6, retryAfterSeconds: 1 });
    const { paymentId } = await stack.client.start(usdc('storm', '1000000'));
    assert.equal((await stack.client.waitForOutcome(paymentId)).status, 'Confirmed');
    assert.equal((await transfersOf(paymentId)).length, 1);
  });
});
