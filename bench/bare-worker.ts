// The bare workflow's worker, as its own process so its memory is measured like the payment worker's.
// Usage: node --import tsx bench/bare-worker.ts ADDRESS NAMESPACE TASK_QUEUE MAX_CACHED_WORKFLOWS BUNDLE
import { NativeConnection, Worker } from '@temporalio/worker';
import { runMain } from '../src/run-main';
import { limitWorkflowThreadHeap } from '../src/temporal/workflow-cache';
import type { BareActivities } from './bare-workflow';

runMain('bare-worker', async () => {
  const [address, namespace, taskQueue, cache, bundle] = process.argv.slice(2);
  if (!address || !namespace || !taskQueue || !cache || !bundle) {
    throw new Error('usage: bare-worker ADDRESS NAMESPACE TASK_QUEUE MAX_CACHED_WORKFLOWS BUNDLE');
  }
  // The workflow thread's heap limit, set as src/worker.ts sets the payment worker's.
  limitWorkflowThreadHeap(Number(cache));
  const connection = await NativeConnection.connect({ address });
  const activities: BareActivities = { submit: () => Promise.resolve({ status: 'AwaitingApproval' }) };
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowBundle: { codePath: bundle },
    activities,
    reuseV8Context: true,
    maxCachedWorkflows: Number(cache),
  });
  process.stdout.write('{"msg":"worker running"}\n');
  await worker.run();
  await connection.close();
});
