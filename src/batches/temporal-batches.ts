import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import {
  batchCancelUpdate,
  batchChunkReportQuery,
  batchChunkReportUpdate,
  batchProgressQuery,
  batchProgressUpdate,
  initialProgress,
  totalsOf,
  type BatchChunkReport,
  type BatchChunkInput,
  type BatchProgress,
  type BatchWorkflowInput,
} from '../contracts/batch-messages';
import type { BatchRow } from '../contracts/batch-row';
import type { PaymentTimings } from '../contracts/payment-messages';
import { batchChunkId, batchIdFor } from '../contracts/payment-id';
import { BatchIdKey, BatchStatusKey, PaymentClientIdKey } from '../contracts/search-attributes';
import { BATCH_CHUNK_WORKFLOW_TYPE, BATCH_WORKFLOW_TYPE } from '../contracts/workflow-types';
import { requestHash } from '../client/request-hash';
import { readWorkflow, type WorkflowRead } from '../temporal/workflow-reads';
import { DEFAULT_BATCH_CONCURRENCY, MAX_BATCH_CONCURRENCY, type BatchService } from './batch-service';
import { rowPaymentConflicts } from './row-payment-conflicts';

/**
 * Rows per chunk workflow: a chunk's rows (a few hundred bytes each) stay far below Temporal's payload limits, and
 * one batch run, which holds one chunk and its children, stays within a few thousand history events.
 */
export const DEFAULT_CHUNK_SIZE = 500;

export interface TemporalBatchesOptions {
  taskQueue: string;
  chunkSize?: number;
  /** Passed to every row's payment (tests shorten the payment's waits). */
  paymentTimings?: Partial<PaymentTimings>;
}

/** A batch's rows as the inputs of its chunk workflows, `chunkSize` rows each. */
export function chunkInputs(
  batchId: string,
  rows: readonly BatchRow[],
  chunkSize = DEFAULT_CHUNK_SIZE,
): BatchChunkInput[] {
  const chunks: BatchChunkInput[] = [];
  for (let index = 0; index * chunkSize < rows.length; index++)
    chunks.push({ batchId, index, rows: rows.slice(index * chunkSize, (index + 1) * chunkSize) });
  return chunks;
}

/** A batch's progress: a running batch answers a read Update, a closed one its query (workflow-reads.ts). */
const BATCH_READ: WorkflowRead<BatchProgress> = {
  update: batchProgressUpdate,
  query: batchProgressQuery,
  recorded: {
    [batchProgressUpdate.name]: (outcome) => outcome as BatchProgress,
    [batchCancelUpdate.name]: (outcome) => outcome as BatchProgress,
  },
};

/** A chunk's report, read the same way. */
const CHUNK_READ: WorkflowRead<BatchChunkReport> = {
  update: batchChunkReportUpdate,
  query: batchChunkReportQuery,
  recorded: { [batchChunkReportUpdate.name]: (outcome) => outcome as BatchChunkReport },
};

/** A workflow's result once it has completed (the same value its read gives), else its read. */
async function resultOrRead<T>(temporal: Client, workflowId: string, read: WorkflowRead<T>): Promise<T> {
  const handle = temporal.workflow.getHandle(workflowId);
  const description = await handle.describe();
  if (description.status.name === 'COMPLETED') return (await handle.result()) as T;
  return readWorkflow(temporal, workflowId, read);
}

/**
 * Batches on Temporal. Starting one starts its chunk workflows (the rows, in chunks) and then the batch workflow,
 * whose id comes from the client and the batch's key, so Temporal itself refuses a second batch for a key. The
 * memo holds a digest of the rows: the same key with other rows is a conflict, never a second batch. A row is the
 * same payment as a single start under `<batchKey>.<rowKey>`: one whose key already names another request refuses
 * the batch before anything starts (see rowPaymentConflicts).
 */
export function createTemporalBatches(temporal: Client, options: TemporalBatchesOptions): BatchService {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;

  async function existing(batchId: string, digest: string) {
    const description = await temporal.workflow.getHandle(batchId).describe();
    if (description.memo?.rowsHash !== digest) return { kind: 'conflict' as const, batchId };
    return { kind: 'existing' as const, progress: await readProgress(batchId) };
  }

  const readProgress = (batchId: string) => resultOrRead(temporal, batchId, BATCH_READ);

  return {
    async start(clientId, batchKey, rows: BatchRow[], startOptions = {}) {
      const batchId = batchIdFor(batchKey, clientId);
      const digest = requestHash(rows);
      try {
        return await existing(batchId, digest);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
      // Before anything starts: a row whose key already names a payment with another request refuses the batch.
      const problems = await rowPaymentConflicts(temporal, clientId, batchKey, rows);
      if (problems.length > 0) return { kind: 'invalid-rows', problems };
      const concurrency = Math.min(startOptions.concurrency ?? DEFAULT_BATCH_CONCURRENCY, MAX_BATCH_CONCURRENCY);
      const chunkList = chunkInputs(batchId, rows, chunkSize);
      const chunks = chunkList.length;
      const client = clientId ? [{ key: PaymentClientIdKey, value: clientId }] : [];
      // The chunks first: a batch never waits for rows that are not there. A retried start finds them (USE_EXISTING).
      for (const input of chunkList) {
        const first = input.index * chunkSize + 1;
        await temporal.workflow.start(BATCH_CHUNK_WORKFLOW_TYPE, {
          workflowId: batchChunkId(batchId, input.index),
          taskQueue: options.taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          staticSummary: `rows ${first}–${first + input.rows.length - 1} of ${batchId}`,
          typedSearchAttributes: [{ key: BatchIdKey, value: batchId }, ...client],
        });
      }
      const input: BatchWorkflowInput = {
        batchId,
        batchKey,
        ...(clientId ? { clientId } : {}),
        total: rows.length,
        totals: totalsOf(rows),
        chunks,
        concurrency,
        ...(options.paymentTimings ? { paymentTimings: options.paymentTimings } : {}),
      };
      try {
        await temporal.workflow.start(BATCH_WORKFLOW_TYPE, {
          workflowId: batchId,
          taskQueue: options.taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          memo: { rowsHash: digest },
          staticSummary: `batch of ${rows.length} payments, at most ${concurrency} at once`,
          typedSearchAttributes: [
            { key: BatchIdKey, value: batchId },
            { key: BatchStatusKey, value: 'Running' },
            ...client,
          ],
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        return existing(batchId, digest); // a concurrent start with the same key won
      }
      return { kind: 'started', progress: initialProgress(input) };
    },

    async progress(batchId) {
      try {
        return await readProgress(batchId);
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      }
    },

    async report(batchId) {
      let progress: BatchProgress;
      try {
        progress = await readProgress(batchId);
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      }
      const rows = [];
      for (let index = 0; index < progress.chunks; index++) {
        const chunk = await resultOrRead(temporal, batchChunkId(batchId, index), CHUNK_READ);
        rows.push(...(chunk.results ?? []));
      }
      return { progress, rows };
    },

    async cancel(batchId, request) {
      try {
        const progress = await temporal.workflow
          .getHandle(batchId)
          .executeUpdate(batchCancelUpdate, { args: [request] });
        return { kind: 'done', progress };
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) {
          // An Update cannot reach a closed workflow: a batch that has ended is refused, not missing.
          const ended = await temporal.workflow
            .getHandle(batchId)
            .describe()
            .catch(() => undefined);
          if (!ended) return { kind: 'not-found' };
          return { kind: 'refused', reason: `cannot cancel: the batch has ended (${ended.status.name})` };
        }
        if (error instanceof WorkflowUpdateFailedError) return { kind: 'refused', reason: error.cause?.message ?? '' };
        throw error;
      }
    },
  };
}
