// The worker of the export benchmark's stand-in payments (bench/export-payment-workflow.ts), its own process.
import { Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config';
import { runMain } from '../src/run-main';
import { connectTemporalWorker } from '../src/temporal/connection';

runMain('export-worker', async () => {
  const config = loadConfig();
  const connection = await connectTemporalWorker(config);
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('./export-payment-workflow.ts', import.meta.url)),
  });
  console.log(JSON.stringify({ msg: 'worker running', taskQueue: config.TEMPORAL_TASK_QUEUE }));
  await worker.run();
  await connection.close();
});
