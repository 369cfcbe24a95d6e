import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  paymentStateQuery,
  paymentUpdateSignal,
  type PaymentOutcome,
  type PaymentTimings,
  type PaymentWorkflowInput,
} from '../../src/contracts/payment-messages';
import type { PaymentState } from '../../src/contracts/payment-state';
import type { PaymentUpdate } from '../../src/contracts/payment-update';
import { ApplicationFailure } from '@temporalio/common';
import { PAYMENT_WORKFLOW_TYPE } from '../../src/contracts/workflow-types';
import { FakeDfns } from '../support/fake-dfns';
import { keepNewHistory, runHistories, type RunHistory } from '../support/run-histories';
import { startTimeSkipping, testInput, withWorker } from '../support/time-skipping';

const TX = `0x${'a'.repeat(64)}`;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** What every run must stay under: far below Temporal's 51,200-event limit, and what the issue asks. */
const RUN_EVENT_LIMIT = 10_000;

describe('payments that last: continue-as-new and bounded timelines (time-skipping)', { timeout: 900_000 }, () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  before(async () => ({ env, bundle } = await startTimeSkipping()));
  after(async () => env?.teardown());

  /** Starts a payment, lets `drive` play Dfns's side, and returns its outcome, final state and every run. */
  async function longPayment(
    key: string,
    fake: FakeDfns,
    drive: (input: PaymentWorkflowInput) => Promise<void>,
    timings: Partial<PaymentTimings> = {},
  ): Promise<{ outcome: PaymentOutcome; state: PaymentState; runs: RunHistory[] }> {
    return withWorker(env, bundle, fake, async (taskQueue) => {
      const input = testInput(key, timings);
      const started = await env.client.workflow.start(PAYMENT_WORKFLOW_TYPE, {
        workflowId: input.paymentId,
        taskQueue,
        args: [input],
      });
      try {
        await drive(input);
      } catch (error) {
        await started.terminate('test failed');
        throw error;
      }
      const latest = env.client.workflow.getHandle(input.paymentId);
      const outcome = (await latest.result()) as PaymentOutcome;
      const state = await latest.query(paymentStateQuery);
      const runs = await runHistories(env.client, input.paymentId, started.firstExecutionRunId);
      return { outcome, state, runs };
    });
  }

  /** Polls the latest run's state (no time passes) until it satisfies `ok`. */
  async function waitFor(paymentId: string, ok: (state: PaymentState) => boolean): Promise<PaymentState> {
    const handle = env.client.workflow.getHandle(paymentId);
    for (let i = 0; i < 400; i++) {
      const state = await handle.query(paymentStateQuery).catch(() => undefined);
      if (state && ok(state)) return state;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`condition not reached for ${paymentId}`);
  }

  const signal = (paymentId: string, update: PaymentUpdate) =>
    env.client.workflow.getHandle(paymentId).signal(paymentUpdateSignal, update);

  const report = (name: string, runs: RunHistory[]) =>
    console.log(`${name}: ${runs.length} runs, events per run ${runs.map((r) => r.events).join(', ')}`);

  it('a year-long approval wait, then approved and confirmed, stays under 10,000 events in every run', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () => ({ approvalId: 'ap-year', status: 'AwaitingApproval' });
    const expires = (await env.currentTimeMs()) + 365 * DAY;
    fake.approvals.set('ap-year', {
      id: 'ap-year',
      externalId: 'payment:year:a1',
      status: 'Pending',
      expirationDate: new Date(expires).toISOString(),
    });
    const { outcome, state, runs } = await longPayment('year', fake, async (input) => {
      await waitFor(input.paymentId, (s) => s.approval !== undefined);
      await env.sleep(365 * DAY - 60 * MINUTE);
      const id = input.paymentId;
      await signal(id, fake.decide('ap-year', { status: 'Approved', decidedBy: 'us-alice' }));
      await signal(id, fake.set(`${id}:a1`, { status: 'Broadcasted', txHash: TX }, 'wallet.transfer.broadcasted'));
      await signal(id, fake.set(`${id}:a1`, { status: 'Confirmed' }, 'wallet.transfer.confirmed'));
    });
    report('365-day approval wait', runs);
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(outcome.txHash, TX);
    assert.ok(runs.length > 1, 'continued as new at least once');
    for (const run of runs) assert.ok(run.events < RUN_EVENT_LIMIT, `run ${run.runId} has ${run.events} events`);
    assert.equal(fake.count('denyApproval'), 0, 'approved before the deadline: never denied');
    // The carried state still explains the outcome: every status move, from the first run, is in the timeline.
    const moves = state.timeline.filter((e) => e.applied && e.status).map((e) => e.status);
    assert.deepEqual(moves, ['Accepted', 'AwaitingApproval', 'Broadcasted', 'Confirmed']);
    assert.ok((state.timelineSummary?.omitted ?? 0) > 0, 'routine polls were summarised');
    assert.ok(state.timeline.length <= 100 + moves.length + 20, `timeline bounded: ${state.timeline.length}`);
  });

  it('a broadcast stuck for 30 days escalates, backs off, and stays under 10,000 events in every run', async () => {
    const fake = new FakeDfns();
    const { outcome, state, runs } = await longPayment('month', fake, async (input) => {
      const id = input.paymentId;
      await waitFor(id, (s) => s.status === 'Submitted');
      await signal(id, fake.set(`${id}:a1`, { status: 'Broadcasted', txHash: TX }, 'wallet.transfer.broadcasted'));
      await env.sleep(30 * DAY);
      await signal(id, fake.set(`${id}:a1`, { status: 'Confirmed' }, 'wallet.transfer.confirmed'));
    });
    report('30-day stuck broadcast', runs);
    assert.equal(outcome.status, 'Confirmed');
    for (const run of runs) assert.ok(run.events < RUN_EVENT_LIMIT, `run ${run.runId} has ${run.events} events`);
    assert.equal(fake.count('speedUpTransfer'), 2, 'two automatic speed-ups on Ethereum Sepolia, no more');
    assert.equal(fake.count('cancelTransfer'), 0, 'cancel is off unless the operator policy allows it');
    // Flagged for a person (the step below), then the transfer confirmed by itself: the flag cleared, the timeline
    // keeps the escalation and says why it cleared.
    assert.equal(outcome.needsAttention, undefined, 'the flag cleared once the transfer confirmed by itself');
    const cleared = state.timeline.find((e) => e.status === 'Confirmed' && e.applied);
    assert.match(cleared?.note ?? '', /confirmed by itself: no longer needs a person/);
    const steps = state.timeline.filter((e) => e.event.startsWith('stuck')).map((e) => e.event);
    assert.deepEqual(steps, [
      'stuck',
      'stuck: speed-up 1 of 2',
      'stuck: speed-up 2 of 2',
      'stuck: escalated to a person',
    ]);
    // Polling backs off to an hour once stuck: about 24 reads a day, not 144.
    assert.ok(fake.count('getTransfer') < 30 * 30, `reads while stuck: ${fake.count('getTransfer')}`);
  });

  it('a payment that continues as new replays, and its runs carry the state (recorded as replay histories)', async () => {
    const fake = new FakeDfns();
    fake.onRead = (_t, reads) => (reads < 40 ? { status: 'Executing' } : { status: 'Confirmed', txHash: TX });
    const timings = { historyEventBudget: 60, firstPollAfterMs: MINUTE, maxPollIntervalMs: MINUTE };
    const { outcome, state, runs } = await longPayment('continued', fake, async () => {}, timings);
    assert.equal(outcome.status, 'Confirmed');
    assert.ok(runs.length >= 3, `runs: ${runs.length}`);
    for (const run of runs) assert.ok(run.events <= 60 + 15, `run ${run.runId} stays near its budget: ${run.events}`);
    assert.equal(fake.count('submitTransfer'), 1, 'a continued run never submits again');
    const continued = state.timeline.filter((e) => e.event === 'continued as new');
    assert.equal(continued.length, runs.length - 1);
    keepNewHistory('continued-as-new-first-run', runs[0]!.history);
    keepNewHistory('continued-as-new-last-run', runs.at(-1)!.history);
  });
});

describe('stuck escalation and failing reads (time-skipping)', { timeout: 300_000 }, () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  before(async () => ({ env, bundle } = await startTimeSkipping()));
  after(async () => env?.teardown());

  async function run(
    key: string,
    fake: FakeDfns,
    timings: Partial<PaymentTimings>,
    drive: (id: string) => Promise<void>,
  ) {
    return withWorker(env, bundle, fake, async (taskQueue) => {
      const input = testInput(key, timings);
      const started = await env.client.workflow.start(PAYMENT_WORKFLOW_TYPE, {
        workflowId: input.paymentId,
        taskQueue,
        args: [input],
      });
      await drive(input.paymentId);
      const outcome = (await started.result()) as PaymentOutcome;
      const state = await env.client.workflow.getHandle(input.paymentId).query(paymentStateQuery);
      const runs = await runHistories(env.client, input.paymentId, started.firstExecutionRunId);
      return { outcome, state, runs };
    });
  }

  const broadcast = async (fake: FakeDfns, id: string) => {
    const handle = env.client.workflow.getHandle(id);
    for (let i = 0; i < 200 && !fake.transfers.has(`${id}:a1`); i++) await new Promise((r) => setTimeout(r, 25));
    await handle.signal(paymentUpdateSignal, fake.set(`${id}:a1`, { status: 'Broadcasted', txHash: TX }));
  };

  it('speed-up twice, then cancel by replacement (the operator policy allows it), following the replacement', async () => {
    const fake = new FakeDfns();
    // The cancel's replacement confirms: Dfns reports the original transfer failed on chain.
    fake.onRead = () => (fake.count('cancelTransfer') > 0 ? { status: 'Failed', reason: 'replaced by a cancel' } : {});
    const timings = { stuckAfterMs: 20 * MINUTE, stuckRepeatAfterMs: 30 * MINUTE, cancelStuckTransfers: true };
    const { outcome, state, runs } = await run('cancel-stuck', fake, timings, (id) => broadcast(fake, id));
    assert.equal(fake.count('speedUpTransfer'), 2);
    assert.equal(fake.count('cancelTransfer'), 1);
    const steps = state.timeline.filter((e) => e.event.startsWith('stuck')).map((e) => `${e.event}: ${e.note ?? ''}`);
    assert.equal(steps.length, 5, steps.join('\n'));
    assert.match(steps[3]!, /stuck: cancel by replacement: replacement tx-cancel-xfr-1 \(Broadcasted, 0xc+\)/);
    assert.match(steps[4]!, /stuck: escalated to a person: still unconfirmed after 2 speed-up\(s\) and a cancel/);
    assert.equal(outcome.status, 'Failed');
    assert.equal(outcome.needsAttention, true);
    const times = state.timeline.filter((e) => e.event.startsWith('stuck: ')).map((e) => Date.parse(e.at));
    assert.ok(times[1]! - times[0]! >= 30 * MINUTE, 'the second step waits the second threshold');
    keepNewHistory('stuck-escalation-cancel', runs[0]!.history);
  });

  it('a failed speed-up is retried with backoff, not abandoned', async () => {
    const fake = new FakeDfns();
    let tries = 0;
    const unavailable = () => ApplicationFailure.nonRetryable('speedUpTransfer: Dfns answered 503', 'DfnsUnavailable');
    fake.onSpeedUp = () => (++tries < 3 ? unavailable() : { txHash: `0x${'b'.repeat(64)}` });
    fake.onRead = (t) => (t.txHash === `0x${'b'.repeat(64)}` ? { status: 'Confirmed' } : {});
    const timings = { stuckAfterMs: 20 * MINUTE, firstPollAfterMs: 10 * MINUTE };
    const { outcome, state } = await run('retry-speedup', fake, timings, (id) => broadcast(fake, id));
    assert.equal(outcome.status, 'Confirmed');
    const failures = state.timeline
      .filter((e) => e.event === 'stuck: speed-up 1 of 2 failed')
      .map((e) => Date.parse(e.at));
    assert.equal(failures.length, 2);
    const sped = state.timeline.find((e) => e.event === 'stuck: speed-up 1 of 2' && e.applied);
    assert.ok(sped, 'the third try succeeded');
    assert.ok(Date.parse(sped.at) - failures[1]! >= 2 * (failures[1]! - failures[0]!) - MINUTE, 'the wait doubles');
  });

  it('a getApproval that keeps failing at the deadline backs off instead of retrying every minute', async () => {
    const fake = new FakeDfns();
    fake.onSubmit = () => ({ approvalId: 'ap-down', status: 'AwaitingApproval' });
    fake.activities.getApproval = async () => {
      fake.calls.push('getApproval');
      throw ApplicationFailure.nonRetryable('getApproval: Dfns answered 503', 'DfnsUnavailable');
    };
    const timings = { maxApprovalWaitMs: 60 * MINUTE, maxRetryBackoffMs: 60 * MINUTE };
    const { outcome } = await run('deadline-down', fake, timings, async (id) => {
      await env.sleep(24 * 60 * MINUTE);
      await env.client.workflow.getHandle(id).cancel(); // ends the test payment as an operator cancel
    });
    assert.equal(outcome.status, 'Cancelled');
    // A day past the deadline with a read every minute would be ~1,400 reads; with backoff to an hour, ~30.
    assert.ok(fake.count('getApproval') < 40, `getApproval calls in a day: ${fake.count('getApproval')}`);
  });
});
