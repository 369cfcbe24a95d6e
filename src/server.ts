import { serve } from '@hono/node-server';
import { Client } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { answerClientErrorsAsProblems } from './api/client-errors';
import { createApiKeyDirectory, createApiKeyVerifier, isOperatorScope } from './api/api-keys';
import { createCodecApp } from './codec/codec-app';
import { listenForCodec } from './codec/codec-listener';
import { sessionSecret } from './codec/codec-session';
import { loadApiKeys } from './api/api-key-config';
import { createTemporalPayments } from './api/temporal-payments';
import { createTemporalBatches } from './batches/temporal-batches';
import { createApp } from './app';
import { loadConfig } from './config';
import { resolveWebhookSecrets } from './dfns/credentials';
import { createLogger } from './logger';
import { callbackPolicy } from './callbacks/callback-url-policy';
import { createAppMetrics } from './observability/app-metrics';
import { listenForMetrics } from './observability/metrics-listener';
import { paymentTimingsFromConfig } from './payment-timings-config';
import { loadPoolFile } from './pools/load-pool-file';
import { loadClientBindings } from './clients/load-clients-file';
import { runMain } from './run-main';
import { describeTemporalSecurity, lazyTemporalClient, temporalConnectionOptions } from './temporal/connection';
import { describePayloadCodec, paymentDataConverter, payloadCodecFromConfig } from './temporal/data-converter';
import { createTemporalSignaler } from './temporal/payment-signaler';
import { createTemporalExports } from './exports/temporal-exports';
import { createTemporalReconciliations } from './reconciliation/temporal-reconciliations';
import { createPaymentTraceReader } from './temporal/payment-trace';
import { clientInterceptors } from './temporal/tracing-interceptors';
import { startTracing } from './observability/tracing';

runMain('server', async () => {
  const config = loadConfig();
  const logger = createLogger({ name: 'server', level: config.LOG_LEVEL });
  // Before the Temporal client: its interceptors carry the trace of each start, signal and update to the workflow.
  const tracing = startTracing(config, { serviceName: 'payments-api' });
  const secrets = resolveWebhookSecrets(config);
  // Lazy: the bridge starts even while Temporal is down, and answers 503 until it is back, so Dfns redelivers.
  const connection = lazyTemporalClient(config, '3s');
  const temporalSecurity = describeTemporalSecurity(temporalConnectionOptions(config));
  const codec = payloadCodecFromConfig(config);
  if (!codec) logger.warn('TEMPORAL_CODEC_KEYS_FILE is not set: payments are stored in Temporal in clear');
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: paymentDataConverter(codec),
    interceptors: clientInterceptors(tracing),
  });
  const apiKeys = loadApiKeys(config);
  if (apiKeys.length === 0)
    logger.warn('no API keys configured (API_KEYS_FILE, API_KEY_ENTRY): every /v1 request gets 401');
  const pools = loadPoolFile(config.PAYMENT_POOLS_FILE);
  const clients = loadClientBindings(config.PAYMENT_CLIENTS_FILE, pools);
  // An operator's key (payloads:decode alone) pays from nothing by design: only client keys need a binding.
  const clientKeys = apiKeys.filter((key) => !key.scopes.every(isOperatorScope));
  const unbound = [...new Set(clientKeys.map((key) => key.clientId))].filter((id) => !clients.clientIds.includes(id));
  if (unbound.length > 0)
    logger.warn(
      { clients: unbound },
      'API keys of clients the clients file does not name (PAYMENT_CLIENTS_FILE): they may pay from nothing',
    );
  const metrics = createAppMetrics({
    payments: {
      count: async (query) => (await client.workflow.count(query)).count,
      approvalTimeoutMinutes: config.POLICY_AUTO_REJECT_TIMEOUT_MINUTES,
      approvalWarningMinutes: config.APPROVAL_EXPIRY_WARNING_MINUTES,
      cacheMs: config.APP_METRICS_CACHE_SECONDS * 1000,
    },
  });
  // Its own listener (loopback by default), never the public port; a port already taken stops the process here.
  const metricsListener = await listenForMetrics(metrics, config.APP_METRICS_ADDRESS);
  if (!config.API_CURSOR_SECRET) {
    logger.warn(
      'API_CURSOR_SECRET is not set: list cursors are sealed with a random key of this process, so a cursor does not ' +
        'survive a restart or work on another replica; set it (32+ characters, the same on every replica)',
    );
  }
  const cursorSecret = config.API_CURSOR_SECRET ?? randomBytes(32);
  const timings = paymentTimingsFromConfig(config);
  const app = createApp({
    metrics,
    tracing: tracing.enabled,
    webhook: {
      secrets,
      toleranceSeconds: config.WEBHOOK_TOLERANCE_SECONDS,
      signaler: createTemporalSignaler(client),
      logger,
      ...(tracing.enabled ? { paymentTrace: createPaymentTraceReader(client) } : {}),
    },
    api: {
      backend: createTemporalPayments(client, {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        namespace: config.TEMPORAL_NAMESPACE,
        cursorSecret,
        ...(timings ? { timings } : {}),
      }),
      batches: createTemporalBatches(client, {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        ...(timings ? { paymentTimings: timings } : {}),
      }),
      verifyKey: createApiKeyVerifier(apiKeys),
      apiKeyCount: apiKeys.length,
      pools,
      reconciliations: createTemporalReconciliations(client, {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        pools,
        timings: { lookbackMs: config.RECONCILIATION_LOOKBACK_HOURS * 3_600_000 },
      }),
      exports: createTemporalExports(client, { namespace: config.TEMPORAL_NAMESPACE, cursorSecret }),
      clients,
      ...(config.TRAVEL_RULE_REQUIRED_FROM ? { travelRuleFrom: config.TRAVEL_RULE_REQUIRED_FROM } : {}),
      callbacks: callbackPolicy({
        insecureHosts: config.CALLBACK_ALLOWED_INSECURE_HOSTS,
        callbackHostsOf: clients.callbackHostsOf,
      }),
      rateLimitPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
      authFailuresPerMinute: config.API_AUTH_FAILURES_PER_MINUTE,
      logger,
    },
  });
  // The codec endpoint for the Temporal Web UI and CLI, on its own listener (loopback by default), operators only.
  const codecListener = codec
    ? await listenForCodec(
        createCodecApp({
          codec,
          verifyKey: createApiKeyVerifier(apiKeys),
          keyById: createApiKeyDirectory(apiKeys),
          sessionSecret: sessionSecret(codec.keyring),
          uiUrl: config.TEMPORAL_UI_URL,
          authFailuresPerMinute: config.API_AUTH_FAILURES_PER_MINUTE,
          logger,
        }),
        config.APP_CODEC_ADDRESS,
      )
    : undefined;
  const server = serve({ fetch: app.fetch, hostname: config.APP_HOST, port: config.APP_PORT }, (info) => {
    const url = `http://${info.address}:${info.port}`;
    const temporal = config.TEMPORAL_ADDRESS;
    const where = {
      url,
      webhook: '/webhooks/dfns',
      metrics: metricsListener.url,
      codec: codecListener?.endpoint ?? 'none (payloads in clear)',
      secrets: secrets.length,
      apiKeys: apiKeys.length,
    };
    const described = { temporalSecurity, tracing: tracing.description, payloads: describePayloadCodec(codec) };
    logger.info({ ...where, temporal, ...described }, 'listening');
  });
  answerClientErrorsAsProblems(server);
  server.on('error', (error: Error) => {
    logger.error({ host: config.APP_HOST, port: config.APP_PORT, error: error.message }, 'cannot listen');
    process.exit(1);
  });
  const stop = (): void => {
    logger.info('stopping');
    server.close(
      () =>
        void metricsListener
          .close()
          .then(() => codecListener?.close())
          .then(() => connection.close())
          .then(() => tracing.shutdown())
          .finally(() => process.exit(0)),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
});
