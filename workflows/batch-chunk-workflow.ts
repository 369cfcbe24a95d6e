import { allHandlersFinished, condition, getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import {
  batchChunkReportQuery,
  batchChunkReportUpdate,
  batchChunkResultsSignal,
  batchRowsRequestSignal,
  batchRowsSignal,
  type BatchChunkInput,
  type BatchChunkReport,
  type BatchRowResult,
} from '../src/contracts/batch-messages';
import { setReadHandler } from './read-handler';

/**
 * One chunk of a batch (at most a few hundred rows): the API starts it with the rows, so that the batch workflow
 * itself never holds more than the chunk it is running. It hands its rows to the batch when asked, keeps their
 * results when the batch has run them, and ends with both: its result is that part of the batch's report.
 */
export async function batchChunkWorkflow(input: BatchChunkInput): Promise<BatchChunkReport> {
  let results: BatchRowResult[] | undefined;
  const report = (): BatchChunkReport => ({
    index: input.index,
    rows: input.rows.length,
    ...(results ? { results } : {}),
  });
  setHandler(batchRowsRequestSignal, async ({ batchWorkflowId }) => {
    await getExternalWorkflowHandle(batchWorkflowId).signal(batchRowsSignal, { index: input.index, rows: input.rows });
  });
  setHandler(batchChunkResultsSignal, (rowResults) => {
    results ??= rowResults;
  });
  setHandler(batchChunkReportQuery, report);
  setReadHandler(batchChunkReportUpdate, report);
  await condition(() => results !== undefined);
  await condition(allHandlersFinished);
  return report();
}
