import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ChildWorkflowCancellationType,
  condition,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  proxyActivities,
  startChild,
} from '@temporalio/workflow';
import type { BatchActivities } from '../activities/batch-activities';
import { rowAssetKey, type BatchRowResult } from '../src/contracts/batch-messages';
import type { BatchRow } from '../src/contracts/batch-row';
import { PAYMENT_BASELINE, type PaymentOutcome, type PaymentWorkflowInput } from '../src/contracts/payment-messages';
import { batchRowIdempotencyKey, paymentIdFor } from '../src/contracts/payment-id';
import { assetIdentifier } from '../src/contracts/asset-identifier';
import type { PaymentRequest } from '../src/contracts/payment-request';
import { paymentSummary } from '../src/contracts/payment-summary';
import * as keys from '../src/contracts/search-attributes';
import { PAYMENT_WORKFLOW_TYPE } from '../src/contracts/workflow-types';
import type { BatchRun } from './batch-run';

/**
 * Batch rows yield to single payments on the shared task queues: their payments (and, by inheritance, their Dfns
 * activities) run one priority level below the default of 3, and each batch is its own fairness key, so batches
 * share what single payments leave in proportion rather than first come, first served.
 * See https://docs.temporal.io/develop/task-queue-priority-fairness
 */
const BATCH_PRIORITY_KEY = 4;

/**
 * Marks histories in which a row whose payment id was already taken follows that payment (same request: its real
 * outcome; another request: Skipped, not paid). Before it, such a row was reported Skipped at once.
 */
const FOLLOW_EXISTING_PATCH = 'batch-row-follows-existing-payment';

/** How long one read of an existing payment waits for its end before the workflow asks again. */
const FOLLOW_WAIT_MS = 10 * 60_000;

/** Reads retried without a limit: a row is never given up while its payment may still end. */
const { followExistingRowPayment } = proxyActivities<BatchActivities>({
  startToCloseTimeout: FOLLOW_WAIT_MS + 5 * 60_000,
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** The row's payment request and its id: an ordinary payment keyed by the batch key and the row key. */
export function rowPayment(run: BatchRun, row: BatchRow): { paymentId: string; request: PaymentRequest } {
  const idempotencyKey = batchRowIdempotencyKey(run.input.batchKey, row.key);
  return { paymentId: paymentIdFor(idempotencyKey, run.input.clientId), request: { ...row.body, idempotencyKey } };
}

const resultOf = (row: BatchRow, paymentId: string, patch: Partial<BatchRowResult>): BatchRowResult => ({
  row: row.row,
  key: row.key,
  paymentId,
  status: 'Failed',
  asset: rowAssetKey(row),
  amount: row.body.amount,
  ...patch,
});

function fromOutcome(row: BatchRow, outcome: PaymentOutcome): BatchRowResult {
  const final = ['Confirmed', 'Failed', 'Rejected', 'Cancelled'] as const;
  const status = (final as readonly string[]).includes(outcome.status)
    ? (outcome.status as BatchRowResult['status'])
    : 'Failed';
  return resultOf(row, outcome.paymentId, {
    status,
    ...(outcome.transferId ? { transferId: outcome.transferId } : {}),
    ...(outcome.txHash ? { txHash: outcome.txHash } : {}),
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    ...(outcome.failureType ? { failureType: outcome.failureType } : {}),
  });
}

/** Asks a started row's payment to cancel: its own cancel runs before broadcast; after, it refuses and goes on. */
async function cancelRow(paymentId: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(paymentId).cancel();
  } catch {
    // The payment ended meanwhile: nothing is left to cancel, and its outcome is on its way.
  }
}

/** Cancels every row in flight (a batch cancel); rows started later are cancelled as soon as they have started. */
export function cancelRowsInFlight(run: BatchRun): void {
  for (const paymentId of run.inFlight.keys()) void cancelRow(paymentId);
}

/**
 * A row whose payment id another start took first (the row paid alone under its key, or a start racing the batch's
 * check of its rows): the row is that payment when the requests match, so it reports that payment's outcome; when
 * they differ, the row was not paid and says so.
 */
async function followExisting(row: BatchRow, paymentId: string, request: PaymentRequest): Promise<BatchRowResult> {
  for (;;) {
    const found = await followExistingRowPayment({ paymentId, request, waitMs: FOLLOW_WAIT_MS });
    if (found.kind === 'ended') return fromOutcome(row, found.outcome);
    if (found.kind === 'no-outcome')
      return resultOf(row, paymentId, {
        reason: `the payment workflow ended without an outcome (${found.why}); look at it`,
      });
    if (found.kind === 'different') {
      const reason = `payment ${paymentId} already holds this row's key with a different request; this row was not paid`;
      return resultOf(row, paymentId, { status: 'Skipped', reason });
    }
  }
}

/** Starts one row's payment as a child and follows it to its outcome. */
async function runRow(run: BatchRun, row: BatchRow): Promise<BatchRowResult> {
  const { paymentId, request } = rowPayment(run, row);
  const input: PaymentWorkflowInput = {
    paymentId,
    request,
    ...(run.input.clientId ? { clientId: run.input.clientId } : {}),
    ...(run.input.paymentTimings ? { timings: run.input.paymentTimings } : {}),
    baseline: PAYMENT_BASELINE,
  };
  let handle;
  try {
    handle = await startChild(PAYMENT_WORKFLOW_TYPE, {
      workflowId: paymentId,
      args: [input],
      // A payment outlives its batch: a cancelled, failed or terminated batch never abandons a live transfer.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // The batch cancels rows itself (cancelRow), so a cancellation of the batch's scope never reaches them.
      cancellationType: ChildWorkflowCancellationType.ABANDON,
      // A row paid before (in an earlier run of this batch, or alone under its key) is never started again.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `${paymentSummary(request)} · ${run.input.batchId} row ${row.row}`,
      typedSearchAttributes: [
        { key: keys.PaymentStatusKey, value: 'Accepted' },
        { key: keys.PaymentNetworkKey, value: request.network },
        { key: keys.PaymentAssetKey, value: assetIdentifier(request.asset) },
        { key: keys.PaymentStuckKey, value: false },
        { key: keys.BatchIdKey, value: run.input.batchId },
        ...(request.walletId ? [{ key: keys.PaymentWalletKey, value: request.walletId }] : []),
        ...(run.input.clientId ? [{ key: keys.PaymentClientIdKey, value: run.input.clientId }] : []),
      ],
      priority: { priorityKey: BATCH_PRIORITY_KEY, fairnessKey: run.input.batchId },
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
      const why = error instanceof Error ? error.message : String(error);
      return resultOf(row, paymentId, { reason: `the payment could not be started: ${why}` });
    }
    if (patched(FOLLOW_EXISTING_PATCH)) {
      if (run.cancelled) void cancelRow(paymentId);
      return followExisting(row, paymentId, request);
    }
    const reason = 'a payment with this id already exists (started outside this batch run); it was not paid again';
    return resultOf(row, paymentId, { status: 'Skipped', reason });
  }
  if (run.cancelled) void cancelRow(paymentId);
  try {
    return fromOutcome(row, (await handle.result()) as PaymentOutcome);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return resultOf(row, paymentId, { reason: `the payment workflow ended without an outcome (${why}); look at it` });
  }
}

/**
 * Runs one chunk's rows, at most `concurrency` payments at once, and returns every row's result. Once the batch is
 * cancelled no row starts: the rest end Cancelled without a payment.
 */
export async function runRows(run: BatchRun, rows: readonly BatchRow[]): Promise<BatchRowResult[]> {
  const results: BatchRowResult[] = [];
  for (const row of rows) {
    await condition(() => run.inFlight.size < run.input.concurrency || run.cancelled);
    if (run.cancelled) {
      const { paymentId } = rowPayment(run, row);
      const reason = `batch cancelled before this row started: ${run.cancelReason ?? ''}`;
      const result = resultOf(row, paymentId, { status: 'Cancelled', reason });
      results.push(result);
      run.finish(result);
      continue;
    }
    const { paymentId } = rowPayment(run, row);
    run.inFlight.set(paymentId, row);
    void runRow(run, row).then((result) => {
      run.inFlight.delete(paymentId);
      results.push(result);
      run.finish(result);
      run.publish();
    });
  }
  run.publish();
  await condition(() => run.inFlight.size === 0);
  return results.sort((a, b) => a.row - b.row);
}
