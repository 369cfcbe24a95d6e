import type { BatchCancelRequest, BatchProgress, BatchRowResult } from '../contracts/batch-messages';
import type { BatchRow, RowProblem } from '../contracts/batch-row';

/** The largest concurrency cap a batch may ask for; the default when it asks for none. */
export const MAX_BATCH_CONCURRENCY = 200;
export const DEFAULT_BATCH_CONCURRENCY = 20;

/**
 * What starting a batch found: the batch (new or existing), a conflict with another batch under the key, or rows
 * whose keys already name payments with other requests (nothing was started).
 */
export type BatchStartResult =
  | { kind: 'started' | 'existing'; progress: BatchProgress }
  | { kind: 'conflict'; batchId: string }
  | { kind: 'invalid-rows'; problems: RowProblem[] };

/** A batch's report: its progress and, row by row, each row's result (rows not yet final are absent). */
export interface BatchReport {
  progress: BatchProgress;
  rows: BatchRowResult[];
}

/** A cancel's outcome: done (with the progress), refused by the batch's state (with the reason), or no batch. */
export type BatchCancelResult =
  { kind: 'done'; progress: BatchProgress } | { kind: 'refused'; reason: string } | { kind: 'not-found' };

/** Batches on the payment engine; the API and the CLI use it, tests fake it. Ids are batch workflow ids. */
export interface BatchService {
  start(
    clientId: string | undefined,
    batchKey: string,
    rows: BatchRow[],
    options?: { concurrency?: number },
  ): Promise<BatchStartResult>;
  progress(batchId: string): Promise<BatchProgress | undefined>;
  report(batchId: string): Promise<BatchReport | undefined>;
  cancel(batchId: string, request: BatchCancelRequest): Promise<BatchCancelResult>;
}
