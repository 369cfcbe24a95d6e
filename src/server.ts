import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { createApiKeyVerifier } from './api/api-keys';
import { loadApiKeys } from './api/api-key-config';
import { createTemporalPayments } from './api/temporal-payments';
import { createApp } from './app';
import { loadConfig } from './config';
import { resolveWebhookSecrets } from './dfns/credentials';
import { createLogger } from './logger';
import { runMain } from './run-main';
import { createTemporalSignaler } from './temporal/payment-signaler';

runMain('server', () => {
  const logger = createLogger('server');
  const config = loadConfig();
  const secrets = resolveWebhookSecrets(config);
  // Lazy: the bridge starts even while Temporal is down, and answers 503 until it is back, so Dfns redelivers.
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS, connectTimeout: '3s' });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const apiKeys = loadApiKeys(config);
  if (apiKeys.length === 0) logger.warn('no API keys configured (API_KEYS_FILE, API_KEY_ENTRY): every /v1 request gets 401');
  const app = createApp({
    webhook: { secrets, toleranceSeconds: config.WEBHOOK_TOLERANCE_SECONDS, signaler: createTemporalSignaler(client), logger },
    api: {
      backend: createTemporalPayments(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE }),
      verifyKey: createApiKeyVerifier(apiKeys),
      rateLimitPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
      logger,
    },
  });
  const server = serve({ fetch: app.fetch, hostname: config.APP_HOST, port: config.APP_PORT }, (info) => {
    logger.info('listening', { url: `http://${info.address}:${info.port}`, webhook: '/webhooks/dfns', secrets: secrets.length, apiKeys: apiKeys.length });
  });
  server.on('error', (error: Error) => {
    logger.error('cannot listen', { host: config.APP_HOST, port: config.APP_PORT, error: error.message });
    process.exit(1);
  });
  const stop = (): void => {
    logger.info('stopping');
    server.close(() => void connection.close().finally(() => process.exit(0)));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
});
