import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  paymentStateQuery,
  paymentUpdateSignal,
  type PaymentOutcome,
  type PaymentWorkflowInput,
} from '../../src/contracts/payment-messages';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import type { PaymentState } from '../../src/contracts/payment-state';
import type { PolicyUpdate } from '../../src/contracts/policy-update';
import { PAYMENT_WORKFLOW_TYPE } from '../../src/contracts/workflow-types';
import { paymentDetails } from '../../workflows/payment-details';
import { FakeDfns } from '../support/fake-dfns';
import { keepHistory } from '../support/histories';
import { startTimeSkipping, testInput, waitForState, withWorker } from '../support/time-skipping';

const TX = `0x${'c'.repeat(64)}`;

/** A `policy.triggered` as the bridge signals it: a neutral policy update. */
const triggered = (externalId: string, patch: Partial<PolicyUpdate>): PolicyUpdate => ({
  kind: 'policy',
  source: 'webhook',
  externalId,
  transferId: 'xfr-1',
  evaluationId: 'pe-1',
  policyId: 'plc-severe',
  policyName: 'compliance: severe alerts',
  check: 'screening',
  outcome: 'blocked',
  alertLevel: 'SEVERE',
  category: 'sanctions',
  exposure: 'direct',
  reason: 'Chainalysis alert SEVERE for the recipient: sanctions.',
  eventKind: 'policy.triggered',
  eventTime: new Date().toISOString(),
  deliveryId: 'whe-policy-1',
  ...patch,
});

describe('compliance in the payment workflow (time-skipping test server, scripted Dfns)', { timeout: 300_000 }, () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  before(async () => ({ env, bundle } = await startTimeSkipping()));
  after(async () => env?.teardown());

  type Handle = WorkflowHandle<(input: PaymentWorkflowInput) => Promise<PaymentOutcome>>;
  async function scenario(
    key: string,
    fake: FakeDfns,
    drive: (handle: Handle, input: PaymentWorkflowInput) => Promise<void>,
    options: { history?: string; request?: Partial<PaymentRequest> } = {},
  ): Promise<{ outcome: PaymentOutcome; state: PaymentState }> {
    return withWorker(env, bundle, fake, async (taskQueue) => {
      const input = testInput(key, {}, options.request);
      const handle: Handle = await env.client.workflow.start(PAYMENT_WORKFLOW_TYPE, {
        workflowId: input.paymentId,
        taskQueue,
        args: [input],
      });
      try {
        await drive(handle, input);
      } catch (error) {
        await handle.terminate('test failed');
        throw error;
      }
      const outcome = await handle.result();
      const state = await handle.query(paymentStateQuery);
      if (options.history) await keepHistory(options.history, handle);
      return { outcome, state };
    });
  }
  const a1 = (input: PaymentWorkflowInput) => `${input.paymentId}:a1`;
  const BLOCKED = { status: 'Rejected' as const, reason: 'Blocked by policy "compliance: severe alerts" (plc-severe)' };

  it('a transfer blocked by screening ends Rejected as ScreeningBlocked, with the alert level and the reason, once', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () => BLOCKED;
    const { outcome, state } = await scenario(
      'screened-severe',
      fake,
      async (h, input) => {
        await waitForState(h, (s) => s.status === 'Rejected');
        await h.signal(paymentUpdateSignal, triggered(a1(input), {}));
        await h.signal(paymentUpdateSignal, triggered(a1(input), { deliveryId: 'whe-policy-retry' }));
      },
      { history: 'screening-blocked' },
    );
    assert.equal(outcome.status, 'Rejected');
    assert.equal(outcome.failureType, 'ScreeningBlocked');
    assert.equal(
      outcome.reason,
      'KYT screening alert SEVERE (sanctions, direct exposure) "compliance: severe alerts" blocked the transfer: ' +
        BLOCKED.reason,
    );
    assert.equal(fake.count('submitTransfer'), 1, 'never retried');
    assert.equal(state.attempt, 1);
    assert.equal(state.policyTriggers?.length, 1, 'a redelivery is recorded once');
    const notes = state.timeline.filter((e) => e.event === 'policy.triggered').map((e) => e.note);
    assert.deepEqual(notes, [
      'KYT screening alert SEVERE (sanctions, direct exposure) "compliance: severe alerts" blocked the transfer',
      'duplicate of evaluation pe-1',
    ]);
  });

  it("names the block when Dfns's explanation comes before the rejection, and waits only so long for a lost one", async () => {
    const early = new FakeDfns();
    early.onSubmit = () => ({});
    const first = await scenario('screened-early', early, async (h, input) => {
      await waitForState(h, (s) => s.status === 'Submitted');
      await h.signal(paymentUpdateSignal, triggered(a1(input), { check: 'travelRule', alertLevel: undefined }));
      await h.signal(paymentUpdateSignal, early.set(a1(input), BLOCKED, 'wallet.transfer.rejected'));
    });
    assert.equal(first.outcome.failureType, 'TravelRuleRefused');

    const lost = new FakeDfns();
    lost.onSubmit = () => BLOCKED;
    const second = await scenario('screened-lost', lost, async () => {});
    assert.equal(second.outcome.status, 'Rejected');
    assert.equal(second.outcome.failureType, undefined, 'no explanation came: only Dfns reason');
    assert.equal(second.outcome.reason, BLOCKED.reason);
    assert.ok(second.state.timeline.some((e) => e.event === 'no policy explanation'));
  });

  it('an approval requested by screening says so, and keeps every decision with who and when', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () => ({ approvalId: 'ap-1', status: 'AwaitingApproval' });
    let details = '';
    const { outcome, state } = await scenario(
      'screened-high',
      fake,
      async (h, input) => {
        await waitForState(h, (s) => s.status === 'AwaitingApproval');
        const hold = triggered(a1(input), {
          evaluationId: 'pe-2',
          policyName: 'compliance: high alerts',
          outcome: 'approvalRequired',
          alertLevel: 'HIGH',
          category: 'mixing',
          exposure: 'indirect',
        });
        await h.signal(paymentUpdateSignal, hold);
        const held = await waitForState(h, (s) => (s.policyTriggers?.length ?? 0) > 0);
        details = paymentDetails(held);
        const decided = fake.decide('ap-1', { status: 'Approved', decidedBy: 'us-officer' });
        const date = '2026-01-02T03:04:05.000Z';
        decided.decisions = [{ userId: 'us-officer', value: 'Approved', date, reason: 'reviewed' }];
        await h.signal(paymentUpdateSignal, decided);
        await h.signal(paymentUpdateSignal, fake.set(a1(input), { status: 'Broadcasted', txHash: TX }));
        await h.signal(paymentUpdateSignal, fake.set(a1(input), { status: 'Confirmed' }));
      },
      { history: 'screening-approval', request: { reference: 'compliance hold' } },
    );
    assert.match(
      details,
      /🛡 \*\*awaiting the compliance group\*\*: KYT screening alert HIGH \(mixing, indirect exposure\)/,
    );
    assert.equal(outcome.status, 'Confirmed');
    assert.deepEqual(state.approval?.decisions, [
      { userId: 'us-officer', value: 'Approved', date: '2026-01-02T03:04:05.000Z', reason: 'reviewed' },
    ]);
    assert.match(paymentDetails(state), /- Approved by `us-officer` at 2026-01-02T03:04:05.000Z/);
    assert.equal(state.policyTriggers?.[0]?.outcome, 'approvalRequired');
  });
});
