import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { ApplicationFailure } from '@temporalio/common';
import {
  batchCancelUpdate,
  batchChunkResultsSignal,
  batchFinal,
  batchProgressQuery,
  batchProgressUpdate,
  batchRowsRequestSignal,
  batchRowsSignal,
  type BatchCancelRequest,
  type BatchProgress,
  type BatchWorkflowInput,
} from '../src/contracts/batch-messages';
import type { BatchRow } from '../src/contracts/batch-row';
import { batchChunkId } from '../src/contracts/payment-id';
import { cancelRowsInFlight, runRows } from './batch-rows';
import { BatchRun } from './batch-run';
import { setReadHandler } from './read-handler';

/**
 * A batch payout: runs its chunks one after another, each chunk's rows as child payment workflows under the
 * concurrency cap, and continues as new after each chunk, so that a run's history holds one chunk's rows and
 * their children (a few thousand events) whatever the batch's size. The rows live in the chunk workflows the API
 * started with them; each run fetches the one it needs, and hands the chunk its results for the report.
 */
export async function batchWorkflow(input: BatchWorkflowInput): Promise<BatchProgress> {
  const run = new BatchRun(input);
  let loaded: { index: number; rows: BatchRow[] } | undefined;
  setHandler(batchProgressQuery, () => run.progress());
  setReadHandler(batchProgressUpdate, () => run.progress());
  setHandler(batchRowsSignal, (chunk) => {
    if (chunk.index === run.nextChunk) loaded = chunk;
  });
  setHandler(
    batchCancelUpdate,
    (request) => {
      const by = request.operator ? ` by ${request.operator}` : '';
      run.cancel(`cancelled${by}${request.reason ? `: ${request.reason}` : ''}`);
      cancelRowsInFlight(run);
      return run.progress();
    },
    {
      validator: (_request: BatchCancelRequest) => {
        if (batchFinal(run.status)) refuse(`cannot cancel: the batch is already ${run.status}`);
        if (run.cancelled) refuse('cannot cancel: the batch is already being cancelled');
      },
      description: 'Cancel the batch: start no more rows, cancel the rows not yet broadcast',
    },
  );
  // A cancellation requested through Temporal (Web UI, CLI) is a batch cancel: the rows already started are
  // cancelled or followed to their end, never abandoned.
  CancellationScope.current().cancelRequested.catch(() => {
    run.cancel('workflow cancellation requested');
    cancelRowsInFlight(run);
  });
  run.publish();

  return CancellationScope.nonCancellable(async () => {
    while (run.nextChunk < input.chunks) {
      const index = run.nextChunk;
      const chunkId = batchChunkId(input.batchId, index);
      await getExternalWorkflowHandle(chunkId).signal(batchRowsRequestSignal, {
        batchWorkflowId: workflowInfo().workflowId,
      });
      await condition(() => loaded?.index === index);
      const rows = (loaded as { rows: BatchRow[] }).rows;
      loaded = undefined;
      const results = await runRows(run, rows);
      await getExternalWorkflowHandle(chunkId).signal(batchChunkResultsSignal, results);
      run.nextChunk += 1;
      run.publish();
      if (run.nextChunk < input.chunks) {
        // Updates and signals in flight finish first, so that nothing they change is lost.
        await condition(allHandlersFinished);
        await continueAsNew<typeof batchWorkflow>({ ...input, continued: run.continuation() });
      }
    }
    run.status = run.cancelled ? 'Cancelled' : 'Completed';
    run.publish();
    await condition(allHandlersFinished);
    return run.progress();
  });
}

function refuse(message: string): never {
  throw ApplicationFailure.nonRetryable(message, 'OperatorActionRefused');
}
