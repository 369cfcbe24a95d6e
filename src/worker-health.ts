// The worker's container health check (docker-compose.yml): exit 0 when a worker on this host polls the task
// queue, 1 otherwise, with one line saying why.
import { ConfigError, loadConfig } from './config';
import { runMain } from './run-main';
import { connectTemporalClient } from './temporal/connection';
import { checkWorkerHealth } from './temporal/worker-health';

runMain('worker-health', async () => {
  const config = loadConfig();
  let connection;
  try {
    connection = await connectTemporalClient(config, '5s');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    process.stdout.write(`cannot reach Temporal at ${config.TEMPORAL_ADDRESS}: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  try {
    const health = await checkWorkerHealth(connection, {
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
    });
    process.stdout.write(`${health.detail}\n`);
    process.exitCode = health.healthy ? 0 : 1;
  } finally {
    await connection.close();
  }
});
