import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createBatchActivities } from '../../activities/batch-activities';
import { createTemporalBatches } from '../../src/batches/temporal-batches';
import { PaymentClient } from '../../src/client/payment-client';
import { batchProgressQuery, type BatchProgress } from '../../src/contracts/batch-messages';
import type { BatchRow } from '../../src/contracts/batch-row';
import { batchChunkId, batchIdFor, paymentIdFor } from '../../src/contracts/payment-id';
import { BATCH_CHUNK_WORKFLOW_TYPE, BATCH_WORKFLOW_TYPE } from '../../src/contracts/workflow-types';
import type { PaymentTimings } from '../../src/contracts/payment-messages';
import { FakeDfns } from '../support/fake-dfns';
import { runHistories, keepNewHistory } from '../support/run-histories';
import { startTimeSkipping, testRequest, withWorker } from '../support/time-skipping';

const TX = `0x${'a'.repeat(64)}`;
const TOKEN = '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238';
/** The payment's polling safety net, shortened: a row's transfer is read a second after it was submitted. */
const TIMINGS: Partial<PaymentTimings> = { firstPollAfterMs: 1_000, maxPollIntervalMs: 2_000 };

/** Rows for a batch, each paying `amount(i)` minimum units. */
function rows(count: number, amount: (i: number) => string = (i) => String(1_000_000 + i)): BatchRow[] {
  return Array.from({ length: count }, (_, index) => {
    const { idempotencyKey: _key, ...body } = testRequest('unused', { amount: amount(index + 1) });
    return { row: index + 1, key: `r${index + 1}`, body };
  });
}

/** With RECORD_HISTORIES=1, keeps the first and last runs of a batch as replay fixtures (never overwriting one). */
async function keepBatchHistories(env: TestWorkflowEnvironment, batchId: string, names: string[]): Promise<void> {
  const latest = await env.client.workflow.getHandle(batchId).fetchHistory();
  const first = latest.events?.[0]?.workflowExecutionStartedEventAttributes?.firstExecutionRunId;
  const runs = await runHistories(env.client, batchId, first as string);
  const [firstName, lastName] = names;
  if (firstName) keepNewHistory(firstName, (runs[0] as (typeof runs)[number]).history);
  if (lastName) keepNewHistory(lastName, (runs.at(-1) as (typeof runs)[number]).history);
}

/** Polls (no time passes on the test server) until the batch's progress satisfies `ok`. */
async function waitFor(read: () => Promise<BatchProgress>, ok: (p: BatchProgress) => boolean): Promise<BatchProgress> {
  for (let i = 0; i < 400; i++) {
    const progress = await read();
    if (ok(progress)) return progress;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`condition not reached: ${JSON.stringify((await read()).byStatus)}`);
}

describe('batch workflow (time-skipping test server, scripted Dfns)', { timeout: 300_000 }, () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  before(async () => ({ env, bundle } = await startTimeSkipping()));
  after(async () => env?.teardown());

  it('fans out under the concurrency cap, continues as new per chunk, and never pays a row twice', async () => {
    const fake = new FakeDfns();
    let mostOpen = 0;
    fake.onSubmit = () => {
      const open = [...fake.transfers.values()].filter((t) => t.status !== 'Confirmed').length + 1;
      mostOpen = Math.max(mostOpen, open);
      return {};
    };
    fake.onRead = () => ({ status: 'Confirmed', txHash: TX });
    await withWorker(env, bundle, fake, async (taskQueue) => {
      const batches = createTemporalBatches(env.client, { taskQueue, chunkSize: 4, paymentTimings: TIMINGS });
      const batchRows = rows(10);
      const started = await batches.start(undefined, 'payroll-1', batchRows, { concurrency: 3 });
      assert.equal(started.kind, 'started');
      const batchId = batchIdFor('payroll-1');
      const final: BatchProgress = await env.client.workflow.getHandle(batchId).result();

      assert.equal(final.status, 'Completed');
      assert.equal(final.run, 3, 'ten rows in chunks of four: two continue-as-new');
      await keepBatchHistories(env, batchId, ['batch-continued-first-run', 'batch-continued-last-run']);
      assert.equal(final.byStatus.Confirmed.count, 10);
      const sum = batchRows.reduce((total, row) => total + BigInt(row.body.amount), 0n);
      assert.deepEqual(final.byStatus.Confirmed.amounts, {
        'EthereumSepolia:0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238': sum.toString(),
      });
      assert.equal(final.byStatus.Pending.count, 0);
      assert.equal(final.byStatus.InFlight.count, 0);
      assert.equal(mostOpen, 3, 'three payments at once, never more');

      const report = await batches.report(batchId);
      assert.equal(report?.rows.length, 10);
      for (const [index, row] of (report?.rows ?? []).entries()) {
        assert.equal(row.row, index + 1);
        assert.equal(row.status, 'Confirmed');
        assert.equal(row.txHash, TX);
        assert.equal(row.paymentId, paymentIdFor(`payroll-1.r${index + 1}`));
      }
      assert.equal(fake.count('submitTransfer'), 10);
      assert.equal(new Set([...fake.transfers.keys()]).size, 10);

      // The same key and rows: the same batch. Other rows under the key: refused. Nothing is paid again.
      const again = await batches.start(undefined, 'payroll-1', batchRows, { concurrency: 3 });
      assert.equal(again.kind, 'existing');
      const other = await batches.start(undefined, 'payroll-1', rows(2), { concurrency: 3 });
      assert.deepEqual(other, { kind: 'conflict', batchId });
    });
  });

  it('a row whose key already names a payment: another request refuses the batch; the same one is that payment', async () => {
    const fake = new FakeDfns();
    let release = false;
    // The payment of row 1, started alone, is broadcast and stays so until released; every other one confirms.
    fake.onSubmit = (input) => (input.request.amount === '1000001' ? { status: 'Broadcasted', txHash: TX } : {});
    fake.onRead = (transfer) =>
      transfer.status !== 'Broadcasted' || release ? { status: 'Confirmed', txHash: TX } : {};
    const following = () => createBatchActivities({ temporal: env.client, pollMs: 50 });
    await withWorker(
      env,
      bundle,
      fake,
      async (taskQueue) => {
        const batches = createTemporalBatches(env.client, { taskQueue, paymentTimings: TIMINGS });
        const payments = new PaymentClient(env.client, { taskQueue, timings: TIMINGS });
        // Results awaited in real time: the time-skipping client would let the server jump past the row's payment
        // whenever nothing of it runs for a moment, up to the test server's ten-year execution timeout.
        const realTime = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
        const batchRows = rows(2);
        const alone = (row: BatchRow, patch: Partial<BatchRow['body']> = {}) =>
          payments.start({ ...row.body, ...patch, idempotencyKey: `payouts-7.${row.key}` });
        // Row 1 paid alone under its key with the same request (still running); row 2's key holds another request.
        await alone(batchRows[0] as BatchRow);
        const other = await alone(batchRows[1] as BatchRow, { amount: '999' });
        await realTime.workflow.getHandle(other.paymentId).result();

        const refused = await batches.start(undefined, 'payouts-7', batchRows);
        assert.equal(refused.kind, 'invalid-rows');
        const problems = refused.kind === 'invalid-rows' ? refused.problems : [];
        assert.deepEqual(
          problems.map((p) => [p.row, p.field]),
          [[2, 'amount']],
        );
        assert.match(
          problems[0]?.message ?? '',
          /payment:payouts-7\.r2 already holds this row's key \(payouts-7\.r2\) with amount 999/,
        );
        const batchId = batchIdFor('payouts-7');
        await assert.rejects(env.client.workflow.getHandle(batchId).describe(), /not found/i, 'nothing started');

        // A start racing that check (the batch workflow started as if the check had passed): the workflow itself
        // follows row 1's payment to its end and reports row 2 unpaid.
        await env.client.workflow.start(BATCH_CHUNK_WORKFLOW_TYPE, {
          workflowId: batchChunkId(batchId, 0),
          taskQueue,
          args: [{ batchId, index: 0, rows: batchRows }],
        });
        const totals = { [`EthereumSepolia:${TOKEN}`]: '2000003' };
        const handle = await env.client.workflow.start(BATCH_WORKFLOW_TYPE, {
          workflowId: batchId,
          taskQueue,
          args: [
            { batchId, batchKey: 'payouts-7', total: 2, totals, chunks: 1, concurrency: 2, paymentTimings: TIMINGS },
          ],
        });
        await waitFor(
          () => handle.query(batchProgressQuery),
          (p) => p.byStatus.Skipped.count === 1 && p.byStatus.InFlight.count === 1,
        );
        release = true;
        const progress: BatchProgress = await realTime.workflow.getHandle(batchId).result();
        await keepBatchHistories(env, batchId, ['batch-follows-existing-payment']);

        assert.equal(progress.byStatus.Confirmed.count, 1);
        assert.deepEqual(progress.byStatus.Confirmed.amounts, { [`EthereumSepolia:${TOKEN}`]: '1000001' });
        assert.equal(progress.byStatus.Skipped.count, 1);
        const report = await batches.report(batchId);
        const [first, second] = report?.rows ?? [];
        assert.deepEqual(
          [first?.status, first?.txHash, first?.paymentId],
          ['Confirmed', TX, paymentIdFor('payouts-7.r1')],
          'row 1 reports the payment paid alone, with its txHash',
        );
        assert.equal(second?.status, 'Skipped');
        assert.match(
          second?.reason ?? '',
          /already holds this row's key with a different request; this row was not paid/,
        );
        assert.equal(fake.count('submitTransfer'), 2, 'one transfer per payment; the batch paid nothing again');
      },
      following,
    );
  });

  it('cancels: no further row starts, a row not yet broadcast is cancelled, a broadcast row is followed', async () => {
    const fake = new FakeDfns();
    let release = false;
    fake.onSubmit = (input) => (input.request.amount === '1000001' ? { status: 'Broadcasted', txHash: TX } : {});
    fake.onRead = (transfer) => (transfer.status === 'Broadcasted' && release ? { status: 'Confirmed' } : {});
    await withWorker(env, bundle, fake, async (taskQueue) => {
      const batches = createTemporalBatches(env.client, { taskQueue, paymentTimings: TIMINGS });
      await batches.start(undefined, 'cancel-me', rows(5), { concurrency: 2 });
      const batchId = batchIdFor('cancel-me');
      const handle = env.client.workflow.getHandle(batchId);
      await waitFor(
        () => handle.query(batchProgressQuery),
        (p) => p.byStatus.InFlight.count === 2,
      );
      // Both started rows reached Dfns before the cancel.
      for (let i = 0; i < 200 && fake.transfers.size < 2; i++) await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, 300));

      const cancelled = await batches.cancel(batchId, { operator: 'ops', reason: 'wrong file' });
      assert.equal(cancelled.kind, 'done');
      const refused = await batches.cancel(batchId, { reason: 'again' });
      assert.equal(refused.kind, 'refused');
      release = true;
      const final: BatchProgress = await handle.result();

      assert.equal(final.status, 'Cancelled');
      assert.equal(final.cancelReason, 'cancelled by ops: wrong file');
      await keepBatchHistories(env, batchId, ['batch-cancelled']);
      const report = await batches.report(batchId);
      const byRow = new Map(report?.rows.map((row) => [row.row, row]));
      assert.equal(byRow.get(1)?.status, 'Confirmed', 'the broadcast row is followed to its end');
      assert.equal(byRow.get(2)?.status, 'Cancelled', 'the row not yet broadcast is cancelled');
      for (const row of [3, 4, 5]) {
        assert.equal(byRow.get(row)?.status, 'Cancelled');
        assert.match(byRow.get(row)?.reason ?? '', /batch cancelled before this row started/);
      }
      assert.equal(fake.count('submitTransfer'), 2, 'no row started after the cancel');
      assert.equal(fake.count('abortTransfer'), 1, 'the submitted row is aborted in Dfns');
      const late = await batches.cancel(batchId, { reason: 'after the end' });
      assert.equal(late.kind, 'refused');
      assert.equal(fake.transfer(`${byRow.get(2)?.paymentId}:a1`).status, 'Failed');
      assert.equal(final.byStatus.Cancelled.count, 4);
      assert.equal(final.byStatus.Confirmed.count, 1);
    });
  });

  it('handles a Temporal cancellation of the batch as a batch cancel; the started row still reaches its end', async () => {
    const fake = new FakeDfns();
    let release = false;
    fake.onSubmit = () => ({ status: 'Broadcasted', txHash: TX });
    fake.onRead = () => (release ? { status: 'Confirmed' } : {});
    await withWorker(env, bundle, fake, async (taskQueue) => {
      const batches = createTemporalBatches(env.client, { taskQueue, paymentTimings: TIMINGS });
      await batches.start(undefined, 'cancel-by-temporal', rows(3), { concurrency: 1 });
      const handle = env.client.workflow.getHandle(batchIdFor('cancel-by-temporal'));
      await waitFor(
        () => handle.query(batchProgressQuery),
        (p) => p.byStatus.InFlight.count === 1,
      );
      for (let i = 0; i < 200 && fake.transfers.size < 1; i++) await new Promise((r) => setTimeout(r, 25));
      await handle.cancel();
      release = true;
      const final: BatchProgress = await handle.result();
      assert.equal(final.status, 'Cancelled');
      assert.equal(final.cancelReason, 'workflow cancellation requested');
      assert.equal(final.byStatus.Confirmed.count, 1, 'the broadcast row was followed, not abandoned');
      assert.equal(final.byStatus.Cancelled.count, 2);
      assert.equal(fake.count('submitTransfer'), 1);
    });
  });
});
