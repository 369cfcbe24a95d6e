import { DfnsApiClient } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SERVICE_ACCOUNT_OPERATIONS } from '../../src/dfns/service-account-permissions';
import { nativeSepoliaRequest, startPaymentStack, type PaymentStack } from '../support/payment-stack';

/**
 * The payment paths with the worker's service account holding exactly the permission set the project ships (the
 * sandbox enforces it, 403 naming a missing permission): confirmed, the deadline denial as the initiator, a stuck
 * broadcast escalated by speed-up; and one permission removed failing as the README says.
 */
describe('payments with exactly the shipped service-account permissions', { timeout: 300_000 }, () => {
  let stack: PaymentStack;
  let owner: DfnsApiClient;

  before(async () => {
    stack = await startPaymentStack({
      timeScale: 60,
      timings: {
        firstPollAfterMs: 1_500,
        maxPollIntervalMs: 3_000,
        approvalPollIntervalMs: 2_000,
        approvalGraceMs: 500,
        maxApprovalWaitMs: 6_000,
        stuckAfterMs: 4_000,
        stuckRepeatAfterMs: 60_000,
      },
    });
    const b = stack.sandbox.bootstrap;
    const signer = new AsymmetricKeySigner({ credId: b.credId, privateKey: b.privateKey });
    owner = new DfnsApiClient({ baseUrl: stack.sandbox.url, authToken: b.authToken, orgId: b.orgId, signer });
  });
  after(async () => stack?.stop());
  beforeEach(async () => admin('POST', '/reset', {}));

  async function admin(method: string, path: string, body: unknown): Promise<void> {
    const init = { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const response = await fetch(`${stack.sandbox.url}/_sandbox${path}`, init);
    assert.ok(response.ok, `${path}: ${response.status} ${await response.text()}`);
  }
  const grant = (operations: string[]) =>
    admin('PUT', `/permissions/${stack.sandbox.bootstrap.userId}`, { operations });

  const native = (key: string) => nativeSepoliaRequest(stack, key);

  it('a payment is submitted, followed and confirmed', async () => {
    await grant(SERVICE_ACCOUNT_OPERATIONS);
    const { paymentId } = await stack.client.start(native('perm-happy'));
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Confirmed');
  });

  it('at the approval deadline the workflow reads and denies the approval as the initiator', async () => {
    // The policy is made by the org's owner before the service account is restricted.
    const approver = stack.sandbox.bootstrap.approvers[0]!;
    await owner.policies.createPolicy({
      body: {
        name: 'every payment',
        activityKind: 'Wallets:Sign',
        rule: { kind: 'AlwaysTrigger', configuration: {} },
        action: {
          kind: 'RequestApproval',
          approvalGroups: [{ name: 'ops', quorum: 1, approvers: { userId: { in: [approver.userId] } } }],
        },
        filters: { walletId: { in: [stack.sandbox.bootstrap.walletId] } },
      },
    });
    await grant(SERVICE_ACCOUNT_OPERATIONS);
    const { paymentId } = await stack.client.start(native('perm-deadline'));
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Rejected');
    assert.match(outcome.reason ?? '', /approval expired/);
  });

  it('a stuck broadcast is escalated: sped up, and the replacement confirms', async () => {
    await grant(SERVICE_ACCOUNT_OPERATIONS);
    await admin('POST', '/faults/chain', { mode: 'stall', count: 1 });
    const { paymentId } = await stack.client.start(native('perm-stuck'));
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Confirmed');
    const state = await stack.client.getState(paymentId);
    assert.ok(
      state.timeline.some((e) => e.event === 'stuck: speed-up 1 of 2'),
      'the speed-up step is in the timeline',
    );
  });

  it('without Wallets:Transfers:Create the payment fails Forbidden, naming the permission', async () => {
    await grant(SERVICE_ACCOUNT_OPERATIONS.filter((operation) => operation !== 'Wallets:Transfers:Create'));
    const { paymentId } = await stack.client.start(native('perm-missing'));
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Failed');
    assert.equal(outcome.failureType, 'Forbidden');
    assert.match(outcome.reason ?? '', /missing permission Wallets:Transfers:Create/);
    assert.deepEqual(await stack.sandboxTransfers(), [], 'nothing was created');
  });
});
