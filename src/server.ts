import { serve } from '@hono/node-server';
import { Client } from '@temporalio/client';
import { createApiKeyVerifier } from './api/api-keys';
import { loadApiKeys } from './api/api-key-config';
import { createTemporalPayments } from './api/temporal-payments';
import { createTemporalBatches } from './batches/temporal-batches';
import { createApp } from './app';
import { loadConfig } from './config';
import { resolveWebhookSecrets } from './dfns/credentials';
import { createLogger } from './logger';
import { callbackPolicy } from './callbacks/callback-url-policy';
import { createAppMetrics } from './observability/app-metrics';
import { paymentTimingsFromConfig } from './payment-timings-config';
import { loadPoolFile } from './pools/load-pool-file';
import { runMain } from './run-main';
import { describeTemporalSecurity, lazyTemporalClient, temporalConnectionOptions } from './temporal/connection';
import { createTemporalSignaler } from './temporal/payment-signaler';
import { createTemporalExports } from './exports/temporal-exports';
import { createTemporalReconciliations } from './reconciliation/temporal-reconciliations';

runMain('server', () => {
  const config = loadConfig();
  const logger = createLogger({ name: 'server', level: config.LOG_LEVEL });
  const secrets = resolveWebhookSecrets(config);
  // Lazy: the bridge starts even while Temporal is down, and answers 503 until it is back, so Dfns redelivers.
  const connection = lazyTemporalClient(config, '3s');
  const temporalSecurity = describeTemporalSecurity(temporalConnectionOptions(config));
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const apiKeys = loadApiKeys(config);
  if (apiKeys.length === 0)
    logger.warn('no API keys configured (API_KEYS_FILE, API_KEY_ENTRY): every /v1 request gets 401');
  const metrics = createAppMetrics({
    payments: {
      count: async (query) => (await client.workflow.count(query)).count,
      approvalTimeoutMinutes: config.POLICY_AUTO_REJECT_TIMEOUT_MINUTES,
      approvalWarningMinutes: config.APPROVAL_EXPIRY_WARNING_MINUTES,
    },
  });
  const timings = paymentTimingsFromConfig(config);
  const pools = loadPoolFile(config.PAYMENT_POOLS_FILE);
  const app = createApp({
    metrics,
    webhook: {
      secrets,
      toleranceSeconds: config.WEBHOOK_TOLERANCE_SECONDS,
      signaler: createTemporalSignaler(client),
      logger,
    },
    api: {
      backend: createTemporalPayments(client, {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        namespace: config.TEMPORAL_NAMESPACE,
        ...(timings ? { timings } : {}),
      }),
      batches: createTemporalBatches(client, {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        ...(timings ? { paymentTimings: timings } : {}),
      }),
      verifyKey: createApiKeyVerifier(apiKeys),
      pools,
      reconciliations: createTemporalReconciliations(client, {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        pools,
        timings: { lookbackMs: config.RECONCILIATION_LOOKBACK_HOURS * 3_600_000 },
      }),
      exports: createTemporalExports(client, { namespace: config.TEMPORAL_NAMESPACE }),
      callbacks: callbackPolicy({ insecureHosts: config.CALLBACK_ALLOWED_INSECURE_HOSTS }),
      rateLimitPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
      logger,
    },
  });
  const server = serve({ fetch: app.fetch, hostname: config.APP_HOST, port: config.APP_PORT }, (info) => {
    const url = `http://${info.address}:${info.port}`;
    const temporal = config.TEMPORAL_ADDRESS;
    const where = {
      url,
      webhook: '/webhooks/dfns',
      metrics: '/metrics',
      secrets: secrets.length,
      apiKeys: apiKeys.length,
    };
    logger.info({ ...where, temporal, temporalSecurity }, 'listening');
  });
  server.on('error', (error: Error) => {
    logger.error({ host: config.APP_HOST, port: config.APP_PORT, error: error.message }, 'cannot listen');
    process.exit(1);
  });
  const stop = (): void => {
    logger.info('stopping');
    server.close(() => void connection.close().finally(() => process.exit(0)));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
});
