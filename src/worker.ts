import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig } from './config';
import { resolveDfnsCredentials } from './dfns/credentials';
import { missingSearchAttributes } from './temporal/search-attribute-registry';
import { createDfnsGateway } from './dfns/dfns-gateway';
import { createLogger } from './logger';
import { runMain } from './run-main';
import { createPaymentWorker } from './temporal/payment-worker';

runMain('worker', async () => {
  const logger = createLogger('worker');
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger(config.TEMPORAL_SDK_LOG_LEVEL) });
  const credentials = resolveDfnsCredentials(config);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  // Without them every workflow task would fail on its first upsert, so refuse to start instead.
  const missing = await missingSearchAttributes(connection.operatorService, config.TEMPORAL_NAMESPACE);
  if (missing.length > 0) {
    throw new ConfigError(
      `namespace ${config.TEMPORAL_NAMESPACE} lacks the search attributes ${missing.join(', ')}; register them first ` +
        '(npm run dev and docker-compose do; see README "Search attributes")',
    );
  }
  const worker = await createPaymentWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    dfns: createDfnsGateway(credentials),
    callbackSecret: config.CALLBACK_SIGNING_SECRET,
    maxTaskQueueActivitiesPerSecond: config.DFNS_ACTIVITIES_PER_SECOND,
    dfnsRequestsPerSecond: config.DFNS_REQUESTS_PER_SECOND,
  });
  logger.info('worker running', {
    temporal: config.TEMPORAL_ADDRESS,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    dfns: credentials.baseUrl,
    credentials: credentials.source,
    activitiesPerSecond: config.DFNS_ACTIVITIES_PER_SECOND,
    dfnsRequestsPerSecond: config.DFNS_REQUESTS_PER_SECOND,
    callbacks: config.CALLBACK_SIGNING_SECRET ? 'signed' : 'not configured',
  });
  // Worker.run() handles SIGINT/SIGTERM itself: it stops polling, lets running activities finish, then resolves.
  await worker.run();
  await connection.close();
  logger.info('worker stopped');
});
