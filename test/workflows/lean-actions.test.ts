import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PaymentClient } from '../../src/client/payment-client';
import { NETWORKS } from '../../src/contracts/networks';
import {
  paymentVersion,
  paymentStateQuery,
  paymentUpdateSignal,
  type PaymentOutcome,
  type PaymentTimings,
} from '../../src/contracts/payment-messages';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import type { PaymentState } from '../../src/contracts/payment-state';
import { DfnsTransferIdKey, PaymentStatusKey } from '../../src/contracts/search-attributes';
import { countHistoryActions, countWorkflowActions, describeActions } from '../../src/observability/history-actions';
import { FakeDfns } from '../support/fake-dfns';
import { keepHistory } from '../support/histories';
import { startTimeSkipping, testRequest, withWorker, waitForState } from '../support/time-skipping';

const TX = `0x${'a'.repeat(64)}`;
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
/**
 * What a happy payment may cost: the start, the submit activity and the two webhooks the bridge signals (Dfns's
 * requested event is not: the submission's answer says the same; see src/dfns/webhook-schema.ts), one upsert per
 * status it moves through after the start (Submitted, Broadcasted, Confirmed), and one silence timer. Patch
 * markers are not billed. See src/observability/history-actions.ts for the rules.
 */
const HAPPY_PAYMENT_ACTIONS = 8;

/** When the activity running now was scheduled, in the test server's (skipped) time. */
const serverNow = () => Context.current().info.currentAttemptScheduledTimestampMs;

describe('Temporal actions and confirmation lag (time-skipping test server)', { timeout: 300_000 }, () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  before(async () => ({ env, bundle } = await startTimeSkipping()));
  after(async () => env?.teardown());

  type Handle = WorkflowHandle<() => Promise<PaymentOutcome>>;

  /** Starts a payment the way the CLI does (with its start search attributes) and lets `drive` play Dfns's side. */
  async function payment(
    key: string,
    fake: FakeDfns,
    drive: (handle: Handle, externalId: string) => Promise<void>,
    options: { timings?: Partial<PaymentTimings>; request?: Partial<PaymentRequest>; history?: string } = {},
  ): Promise<{ outcome: PaymentOutcome; state: PaymentState; handle: Handle }> {
    return withWorker(env, bundle, fake, async (taskQueue) => {
      const client = new PaymentClient(env.client, {
        taskQueue,
        ...(options.timings ? { timings: options.timings } : {}),
      });
      const { paymentId } = await client.start(testRequest(key, options.request));
      const handle: Handle = env.client.workflow.getHandle(paymentId);
      try {
        await waitForState(handle, (s) => s.status !== 'Accepted');
        await drive(handle, `${paymentId}:a1`);
      } catch (error) {
        await handle.terminate('test failed');
        throw error;
      }
      const outcome = await handle.result();
      const state = await handle.query(paymentStateQuery);
      if (options.history) await keepHistory(options.history, handle);
      return { outcome, state, handle };
    });
  }

  const actionsOf = async (handle: Handle) => countHistoryActions((await handle.fetchHistory()).events ?? []);
  const searchedStatus = async (handle: Handle) =>
    (await handle.describe()).typedSearchAttributes.get(PaymentStatusKey);

  it(`a happy payment costs at most ${HAPPY_PAYMENT_ACTIONS} actions, its status searchable at every step`, async (t) => {
    const fake = new FakeDfns();
    const seen: (string | undefined)[] = [];
    const { outcome, handle } = await payment(
      'lean-happy',
      fake,
      async (h, externalId) => {
        seen.push(await searchedStatus(h));
        assert.equal((await h.describe()).typedSearchAttributes.get(DfnsTransferIdKey), 'xfr-1');
        const steps = [
          ['Broadcasted', 'wallet.transfer.broadcasted', { txHash: TX }],
          ['Confirmed', 'wallet.transfer.confirmed', {}],
        ] as const;
        for (const [i, [status, kind, facts]] of steps.entries()) {
          await h.signal(paymentUpdateSignal, fake.set(externalId, { status, ...facts }, kind));
          await waitForState(h, (s) => s.timeline.filter((e) => e.source === 'webhook').length > i);
          if (status !== 'Confirmed') seen.push(await searchedStatus(h));
        }
      },
      { history: 'lean-happy-path' },
    );
    assert.equal(outcome.status, 'Confirmed');
    seen.push(await searchedStatus(handle));
    assert.deepEqual(seen, ['Submitted', 'Broadcasted', 'Confirmed']);
    const actions = await actionsOf(handle);
    t.diagnostic(`happy payment: ${describeActions(actions)} actions`);
    assert.ok(actions.total <= HAPPY_PAYMENT_ACTIONS, `actions: ${describeActions(actions)}`);
    const whole = await countWorkflowActions(env.client, handle.workflowId);
    assert.deepEqual(
      { ...whole, actions: { ...whole.actions } },
      { runs: 1, events: whole.events, actions: { ...actions } },
    );
    assert.equal(actions.signals, 2);
    assert.equal(actions.searchAttributeUpserts, 3, 'one upsert per status after the start, none re-sending it');
    assert.equal(actions.timers, 1, 'one silence timer, never restarted by a webhook');
    assert.equal(fake.count('getTransfer'), 0, 'Dfns is never read on the happy path');
  });

  it('a silent payment still polls, backing off, until Confirmed', async () => {
    const fake = new FakeDfns();
    fake.onRead = (_t, reads) =>
      reads < 3 ? {} : reads < 4 ? { status: 'Broadcasted', txHash: TX } : { status: 'Confirmed' };
    const { outcome, state, handle } = await payment('lean-silent', fake, async () => {});
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(fake.count('getTransfer'), 4);
    const polls = state.timeline.filter((e) => e.source === 'poll').map((e) => Date.parse(e.at));
    const gaps = polls.slice(1).map((t, i) => t - polls[i]!);
    assert.ok(Date.parse(state.timeline.find((e) => e.source === 'poll')!.at) - Date.parse(state.createdAt) >= MINUTE);
    assert.ok(gaps[1]! >= gaps[0]! * 2 - SECOND, `backoff doubles while nothing changes: ${gaps.join(', ')}`);
    const actions = await actionsOf(handle);
    assert.equal(actions.timers, 4, `one timer per poll: ${describeActions(actions)}`);
  });

  /** A BaseSepolia payment whose transfer Dfns reports Confirmed `after` ms past the broadcast webhook. */
  async function confirmsAfter(key: string, after: number) {
    const fake = new FakeDfns();
    let confirmedAt = Infinity;
    fake.onRead = () => (serverNow() >= confirmedAt ? { status: 'Confirmed' } : {});
    const { outcome, state } = await payment(
      key,
      fake,
      async (h, externalId) => {
        await h.signal(paymentUpdateSignal, fake.set(externalId, { status: 'Broadcasted', txHash: TX }));
        const broadcast = await waitForState(h, (s) => s.status === 'Broadcasted');
        confirmedAt = Date.parse(broadcast.statusSince) + after; // set before any time passes
      },
      { request: { network: 'BaseSepolia', asset: { kind: 'Native' }, amount: '1000' } },
    );
    assert.equal(outcome.status, 'Confirmed');
    const confirmed = state.timeline.find((e) => e.applied && e.status === 'Confirmed');
    assert.equal(confirmed?.source, 'poll');
    return { lag: Date.parse(confirmed.at) - confirmedAt, reads: fake.count('getTransfer') };
  }

  it('without confirmed webhooks, Confirmed is known within a block time plus 2 s of Dfns knowing it', async (t) => {
    const { blockTimeMs, confirmationMs, emitsConfirmed } = NETWORKS.BaseSepolia;
    assert.equal(emitsConfirmed, false);
    for (const after of [confirmationMs - 500, confirmationMs + 300, confirmationMs + 7_300]) {
      const { lag, reads } = await confirmsAfter(`lag-${after}`, after);
      t.diagnostic(`Dfns knew ${after} ms after the broadcast: known ${lag} ms later, after ${reads} read(s)`);
      assert.ok(lag >= 0 && lag <= blockTimeMs + 2 * SECOND, `Dfns knew ${after} ms after broadcast; lag ${lag} ms`);
      assert.ok(reads <= Math.ceil((after - confirmationMs) / blockTimeMs) + 2, `reads: ${reads}`);
    }
  });

  it('a decided approval whose webhooks are all lost is noticed within 2 minutes', async (t) => {
    for (const decidedAfter of [20 * SECOND, 7 * MINUTE + 13 * SECOND, 25 * MINUTE]) {
      const fake = new FakeDfns();
      fake.onSubmit = () => ({ approvalId: 'ap-lost', status: 'AwaitingApproval' });
      let decidedAt = Infinity;
      const realGet = fake.activities.getApproval.bind(fake.activities);
      fake.activities.getApproval = async (ref) => {
        if (serverNow() >= decidedAt) Object.assign(fake.approvals.get('ap-lost')!, { status: 'Approved' });
        return realGet(ref);
      };
      fake.onRead = () => ({ status: 'Confirmed', txHash: TX });
      const { outcome, state } = await payment(`approval-lost-${decidedAfter}`, fake, async (h) => {
        const waiting = await waitForState(h, (s) => s.approval !== undefined);
        decidedAt = Date.parse(waiting.statusSince) + decidedAfter;
      });
      assert.equal(outcome.status, 'Confirmed');
      const noticed = state.timeline.find((e) => e.event === 'getApproval' && e.note?.includes('approved'));
      const lag = Date.parse(noticed!.at) - decidedAt;
      t.diagnostic(
        `decided ${decidedAfter / SECOND} s in: noticed ${lag / SECOND} s later, ${fake.count('getApproval')} reads`,
      );
      assert.ok(
        lag >= 0 && lag <= 2 * MINUTE,
        `decided ${decidedAfter / SECOND} s in; noticed ${lag / SECOND} s later`,
      );
    }
  });

  it('followers long-poll with a shared Update: one action per change, none while nothing changes', async () => {
    const fake = new FakeDfns();
    await withWorker(env, bundle, fake, async (taskQueue) => {
      const client = new PaymentClient(env.client, { taskQueue });
      const { paymentId } = await client.start(testRequest('followed'));
      const handle: Handle = env.client.workflow.getHandle(paymentId);
      const submitted = await waitForState(handle, (s) => s.status === 'Submitted');
      const seen = paymentVersion(submitted);
      // Two followers waiting past the same version share one Update.
      const followers = [client.waitForChange(paymentId, seen, 30_000), client.waitForChange(paymentId, seen, 30_000)];
      await new Promise((resolve) => setTimeout(resolve, 300));
      await handle.signal(paymentUpdateSignal, fake.set(`${paymentId}:a1`, { status: 'Broadcasted', txHash: TX }));
      const [first, second] = await Promise.all(followers);
      assert.equal(first?.status, 'Broadcasted');
      assert.equal(second?.status, 'Broadcasted');
      // Nothing changes: the wait ends empty-handed (no time passes on the test server meanwhile).
      const quiet = await client.waitForChange(paymentId, paymentVersion(first), 1_500);
      assert.equal(quiet, undefined);
      await handle.signal(paymentUpdateSignal, fake.set(`${paymentId}:a1`, { status: 'Confirmed' }));
      assert.equal((await handle.result()).status, 'Confirmed');
      // A closed payment takes no Update: it is read instead.
      assert.equal((await client.waitForChange(paymentId, paymentVersion(first), 1_500))?.status, 'Confirmed');
      const actions = await actionsOf(handle);
      assert.equal(actions.updates, 2, `three waits, two Update ids: ${describeActions(actions)}`);
    });
  });
});
