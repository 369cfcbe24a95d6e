import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { assetIdentifier } from './asset-identifier';
import type { BatchRow } from './batch-row';
import type { PaymentTimings } from './payment-messages';

/**
 * Where a row stands in its batch: not started yet (Pending), started and not final (InFlight), or how its payment
 * ended. A row whose id a payment with the same request already held reports that payment's outcome. Skipped: the
 * row's id was taken by a payment with another request after the batch's rows were checked, so the row was not
 * paid (histories before the follow patch also skipped rows whose payment already existed). Rows of a cancelled
 * batch that never started end Cancelled.
 */
export const BATCH_ROW_STATUSES = [
  'Pending',
  'InFlight',
  'Confirmed',
  'Failed',
  'Rejected',
  'Cancelled',
  'Skipped',
] as const;
export type BatchRowStatus = (typeof BATCH_ROW_STATUSES)[number];

/** A batch's own state: Cancelling while its started rows are being cancelled or followed to their end. */
export const BATCH_STATUSES = ['Running', 'Cancelling', 'Completed', 'Cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** A row's final line in the report. */
export interface BatchRowResult {
  row: number;
  key: string;
  paymentId: string;
  status: BatchRowStatus;
  /** The row's asset (`network:asset`), so that amounts of different assets are never added together. */
  asset: string;
  amount: string;
  transferId?: string;
  txHash?: string;
  reason?: string;
  failureType?: string;
}

/** Rows and amounts in one status: amounts are integer strings in minimum units, one sum per asset. */
export interface StatusTally {
  count: number;
  amounts: Record<string, string>;
}

/** A batch's aggregate progress: what the query, the API and the CLI show. */
export interface BatchProgress {
  batchId: string;
  clientId?: string;
  status: BatchStatus;
  total: number;
  /** Every row status with its count and amounts; Pending is what has not started yet. */
  byStatus: Record<BatchRowStatus, StatusTally>;
  concurrency: number;
  chunks: number;
  /** Chunks whose rows are all final. */
  chunksDone: number;
  cancelReason?: string;
  /** This run's number: 1 for the first, one more after each continue-as-new. */
  run: number;
}

/** What one run hands to the next when the batch continues as new. */
export interface BatchContinuation {
  nextChunk: number;
  /** Tallies of the rows already final (every status but Pending and InFlight). */
  done: Record<string, StatusTally>;
  cancelReason?: string;
  run: number;
}

/** What the batch workflow starts with: counts and totals, never the rows (they live in chunk workflows). */
export interface BatchWorkflowInput {
  batchId: string;
  batchKey: string;
  clientId?: string;
  total: number;
  /** Every row's amount summed per asset: what Pending starts at. */
  totals: Record<string, string>;
  chunks: number;
  /** Payments started and not yet final, at most. */
  concurrency: number;
  /** Passed to every row's payment (tests shorten the payment's waits). */
  paymentTimings?: Partial<PaymentTimings>;
  continued?: BatchContinuation;
}

/** What a chunk workflow holds: its place in the batch and its rows. */
export interface BatchChunkInput {
  batchId: string;
  index: number;
  rows: BatchRow[];
}

/** A chunk's report: every row's result once the batch has run it, else undefined. */
export interface BatchChunkReport {
  index: number;
  rows: number;
  results?: BatchRowResult[];
}

/** The batch asks a chunk for its rows; the chunk answers with `batchRowsSignal`. */
export const batchRowsRequestSignal = defineSignal<[{ batchWorkflowId: string }]>('batchRowsRequest');
/** A chunk's rows, sent to the batch that asked for them. */
export const batchRowsSignal = defineSignal<[{ index: number; rows: BatchRow[] }]>('batchRows');
/** The batch hands a chunk its rows' results; the chunk keeps them for the report and ends. */
export const batchChunkResultsSignal = defineSignal<[BatchRowResult[]]>('batchChunkResults');
/** A chunk's report, once the chunk has closed (a running one is read by batchChunkReportUpdate). */
export const batchChunkReportQuery = defineQuery<BatchChunkReport>('batchChunkReport');
/** A running chunk's report, read through an Update (src/contracts/workflow-reads.ts). */
export const batchChunkReportUpdate = defineUpdate<BatchChunkReport, []>('batchChunkReport');

/** The batch's progress, once the batch has closed (a running one is read by batchProgressUpdate). */
export const batchProgressQuery = defineQuery<BatchProgress>('batchProgress');
/** A running batch's progress, read through an Update (src/contracts/workflow-reads.ts). */
export const batchProgressUpdate = defineUpdate<BatchProgress, []>('batchProgress');

/** Who cancels a batch, and why. */
export interface BatchCancelRequest {
  operator?: string;
  reason?: string;
}

/**
 * Cancels a batch: no further row starts, rows not yet broadcast are cancelled (their payments' own cancel), and
 * the rest are followed to their end. Refused once the batch is final or already cancelling.
 */
export const batchCancelUpdate = defineUpdate<BatchProgress, [BatchCancelRequest]>('cancelBatch');

/** How a row names its asset in tallies: `network:Native` or `network:<contract|mint>`. */
export function rowAssetKey(row: BatchRow): string {
  return `${row.body.network}:${assetIdentifier(row.body.asset)}`;
}

/** Adds amounts per asset, exactly (BigInt). */
export function addAmounts(into: Record<string, string>, asset: string, amount: string, sign: 1n | -1n = 1n): void {
  into[asset] = (BigInt(into[asset] ?? '0') + sign * BigInt(amount)).toString();
}

/** Every row's amount summed per asset. */
export function totalsOf(rows: readonly BatchRow[]): Record<string, string> {
  const totals: Record<string, string> = {};
  for (const row of rows) addAmounts(totals, rowAssetKey(row), row.body.amount);
  return totals;
}

/** An empty tally per row status. */
export function emptyTallies(): Record<BatchRowStatus, StatusTally> {
  return Object.fromEntries(BATCH_ROW_STATUSES.map((s) => [s, { count: 0, amounts: {} }])) as Record<
    BatchRowStatus,
    StatusTally
  >;
}

/** A batch's progress before any row has started: everything Pending. */
export function initialProgress(input: BatchWorkflowInput): BatchProgress {
  const byStatus = emptyTallies();
  byStatus.Pending = { count: input.total, amounts: { ...input.totals } };
  return {
    batchId: input.batchId,
    ...(input.clientId ? { clientId: input.clientId } : {}),
    status: 'Running',
    total: input.total,
    byStatus,
    concurrency: input.concurrency,
    chunks: input.chunks,
    chunksDone: 0,
    run: 1,
  };
}

/** Whether every row of the batch is final. */
export const batchFinal = (status: BatchStatus): boolean => status === 'Completed' || status === 'Cancelled';
