import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PaymentClient } from '../../src/client/payment-client';
import {
  PAYMENT_BASELINE,
  paymentUpdateSignal,
  type PaymentOutcome,
  type PaymentWorkflowInput,
} from '../../src/contracts/payment-messages';
import { PAYMENT_WORKFLOW_TYPE } from '../../src/contracts/workflow-types';
import { countHistoryActions, countVersioningEvents } from '../../src/observability/history-actions';
import { dfnsRefusal, FakeDfns } from '../support/fake-dfns';
import { keepNewHistory, runHistories } from '../support/run-histories';
import { startTimeSkipping, testInput, testRequest, waitForState, withWorker } from '../support/time-skipping';

const TX = `0x${'a'.repeat(64)}`;
const MINUTE = 60_000;

type Handle = WorkflowHandle<(input: PaymentWorkflowInput) => Promise<PaymentOutcome>>;

/** The patch ids of the markers in one history, in order. */
function patchIds(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).flatMap((event) => {
    const payload = event.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
    return payload ? [(JSON.parse(Buffer.from(payload).toString()) as { id: string }).id] : [];
  });
}

describe('payments started with a baseline record no patch markers (time-skipping)', { timeout: 300_000 }, () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  before(async () => ({ env, bundle } = await startTimeSkipping()));
  after(async () => env?.teardown());

  /** Plays a happy Dfns: broadcast, then confirmed, by webhook. */
  async function confirm(fake: FakeDfns, handle: Handle, externalId: string): Promise<void> {
    await waitForState(handle, (s) => s.status === 'Submitted');
    await handle.signal(paymentUpdateSignal, fake.set(externalId, { status: 'Broadcasted', txHash: TX }));
    await waitForState(handle, (s) => s.status === 'Broadcasted');
    await handle.signal(paymentUpdateSignal, fake.set(externalId, { status: 'Confirmed' }));
  }

  it('a happy payment the client starts: no marker, no change-version upsert, the same actions', async (t) => {
    const fake = new FakeDfns();
    await withWorker(env, bundle, fake, async (taskQueue) => {
      const client = new PaymentClient(env.client, { taskQueue });
      const { paymentId } = await client.start(testRequest('baseline-happy'));
      const handle: Handle = env.client.workflow.getHandle(paymentId);
      await confirm(fake, handle, `${paymentId}:a1`);
      assert.equal((await handle.result()).status, 'Confirmed');
      const history = await handle.fetchHistory();
      const events = history.events ?? [];
      t.diagnostic(`baseline happy payment: ${events.length} events, ${countHistoryActions(events).total} actions`);
      assert.deepEqual(countVersioningEvents(events), { patchMarkers: 0, changeVersionUpserts: 0 });
      assert.ok(countHistoryActions(events).total <= 8, 'the lean path: at most 8 actions');
      assert.ok(
        events.some((e) => e.activityTaskScheduledEventAttributes?.taskQueue?.name === `${taskQueue}-dfns-signed`),
        'the submission runs on its cost-class queue',
      );
      keepNewHistory('baseline-2-happy-path', history);
    });
  });

  it('a payment an older starter sends without a baseline records each change as before', async () => {
    const fake = new FakeDfns();
    await withWorker(env, bundle, fake, async (taskQueue) => {
      const { baseline: _baseline, ...input } = testInput('no-baseline');
      const handle: Handle = await env.client.workflow.start(PAYMENT_WORKFLOW_TYPE, {
        workflowId: input.paymentId,
        taskQueue,
        args: [input],
      });
      await confirm(fake, handle, `${input.paymentId}:a1`);
      assert.equal((await handle.result()).status, 'Confirmed');
      const history = await handle.fetchHistory();
      assert.deepEqual(patchIds(history), ['lean-actions', 'dfns-cost-queues', 'ledger-memo']);
      assert.deepEqual(countVersioningEvents(history.events ?? []), { patchMarkers: 3, changeVersionUpserts: 3 });
    });
  });

  it('a payment of baseline 1 records a marker only for the change baseline 1 does not take (the ledger memo)', async () => {
    const fake = new FakeDfns();
    await withWorker(env, bundle, fake, async (taskQueue) => {
      const input = { ...testInput('baseline-1'), baseline: 1 };
      const handle: Handle = await env.client.workflow.start(PAYMENT_WORKFLOW_TYPE, {
        workflowId: input.paymentId,
        taskQueue,
        args: [input],
      });
      await confirm(fake, handle, `${input.paymentId}:a1`);
      assert.equal((await handle.result()).status, 'Confirmed');
      const history = await handle.fetchHistory();
      assert.deepEqual(patchIds(history), ['ledger-memo']);
      assert.ok(
        (history.events ?? []).some((e) => e.workflowPropertiesModifiedEventAttributes?.upsertedMemo),
        'it publishes its ledger entry',
      );
      keepNewHistory('baseline-1-ledger-memo-marker', history);
    });
  });

  // It waits for Dfns's explanation of the block (policy-block-explanation), a change made after baseline 2 and so
  // still under patched(): that one marker, and no other. baseline-2-policy-blocked-403.json was recorded before the
  // change, without it, and replays as it was.
  it('a refused payment reads the refusal the new way, with only the marker of the change no baseline takes', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () =>
      dfnsRefusal(403, 'Blocked by policy plc-1', { policyId: 'plc-1', reason: 'amount above limit' });
    await withWorker(env, bundle, fake, async (taskQueue) => {
      const input = testInput('baseline-blocked');
      const handle: Handle = await env.client.workflow.start(PAYMENT_WORKFLOW_TYPE, {
        workflowId: input.paymentId,
        taskQueue,
        args: [input],
      });
      const outcome = await handle.result();
      assert.equal(outcome.status, 'Rejected');
      assert.equal(outcome.failureType, 'PolicyBlocked', 'the neutral failure details');
      const history = await handle.fetchHistory();
      assert.deepEqual(patchIds(history), ['policy-block-explanation']);
      keepNewHistory('baseline-2-policy-blocked-explanation-marker', history);
    });
  });

  it('a run that continues as new gives the next run the baseline, which records nothing', async () => {
    const fake = new FakeDfns();
    fake.onRead = (_t, reads) => (reads < 30 ? { status: 'Executing' } : { status: 'Confirmed', txHash: TX });
    await withWorker(env, bundle, fake, async (taskQueue) => {
      // Started without a baseline, as an older starter would: its first run records markers, its next ones do not.
      const { baseline: _baseline, ...input } = testInput('continued-baseline', {
        historyEventBudget: 60,
        firstPollAfterMs: MINUTE,
        maxPollIntervalMs: MINUTE,
      });
      const started = await env.client.workflow.start(PAYMENT_WORKFLOW_TYPE, {
        workflowId: input.paymentId,
        taskQueue,
        args: [input],
      });
      const outcome = (await env.client.workflow.getHandle(input.paymentId).result()) as PaymentOutcome;
      assert.equal(outcome.status, 'Confirmed');
      const runs = await runHistories(env.client, input.paymentId, started.firstExecutionRunId);
      assert.ok(runs.length >= 2, `runs: ${runs.length}`);
      assert.deepEqual(patchIds(runs[0]!.history), ['lean-actions', 'dfns-cost-queues', 'continue-as-new']);
      for (const run of runs.slice(1)) {
        const started = run.history.events?.[0]?.workflowExecutionStartedEventAttributes;
        const payload = started?.input?.payloads?.[0]?.data;
        assert.ok(payload, 'a continued run has an input');
        const carried = JSON.parse(Buffer.from(payload).toString()) as PaymentWorkflowInput;
        assert.equal(carried.baseline, PAYMENT_BASELINE);
        assert.deepEqual(patchIds(run.history), [], `run ${run.runId} records no marker`);
      }
      keepNewHistory('baseline-2-continued-as-new-second-run', runs[1]!.history);
    });
  });
});
