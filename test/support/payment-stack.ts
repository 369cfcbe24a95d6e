import type { PaymentRequest } from '../../src/contracts/payment-request';
import { serve, type ServerType } from '@hono/node-server';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { paymentDataConverter, payloadCodecFromConfig } from '../../src/temporal/data-converter';
import type { EncryptionCodec } from '../../src/temporal/encryption-codec';
import type { TemporalConnectionOptions } from '../../src/temporal/connection';
import { startSandbox, type SandboxHandle } from '../../sandbox/src/sandbox';
import { createApiKeyVerifier, type ApiKeyEntry } from '../../src/api/api-keys';
import { createTemporalPayments } from '../../src/api/temporal-payments';
import { createTemporalBatches } from '../../src/batches/temporal-batches';
import { createApp } from '../../src/app';
import { callbackPolicy } from '../../src/callbacks/callback-url-policy';
import { PaymentClient } from '../../src/client/payment-client';
import type { PaymentTimings } from '../../src/contracts/payment-messages';
import type { PoolDefinition } from '../../src/contracts/pool-definition';
import { PAYMENT_SEARCH_ATTRIBUTES } from '../../src/contracts/search-attributes';
import { createDfnsGateway } from '../../src/dfns/dfns-gateway';
import { createAppMetrics } from '../../src/observability/app-metrics';
import { listenForMetrics } from '../../src/observability/metrics-listener';
import { installWorkerRuntime } from '../../src/observability/worker-runtime';
import { createPaymentWorker, type PaymentWorkers } from '../../src/temporal/payment-worker';
import { createTemporalSignaler } from '../../src/temporal/payment-signaler';
import { TEMPORAL_DEV_SERVER_DYNAMIC_CONFIG } from '../../src/temporal/dev-server-flags';
import { captureLogs, type LogCapture } from '../logging/log-capture';
import { freePort } from './free-port';
import { temporalCliPath } from './temporal-cli';

/** Every real part of the orchestrator, on loopback: Temporal dev server, sandbox, worker and bridge. */
export interface PaymentStack {
  env: TestWorkflowEnvironment;
  sandbox: SandboxHandle;
  worker?: PaymentWorkers;
  bridgeUrl: string;
  /** The app's Prometheus endpoint, on its own loopback listener as the server serves it (never on bridgeUrl). */
  appMetricsUrl: string;
  /** The in-process worker's Prometheus endpoint (the Temporal runtime's, shared by the whole test process). */
  workerMetricsUrl: string;
  client: PaymentClient;
  taskQueue: string;
  /** Every line the bridge, the worker, the workflows and the activities logged (pino, kept in memory). */
  logs: LogCapture;
  /** The variables a process of ours (worker, CLI) needs to reach this stack's Temporal, codec keys included. */
  temporalEnv: Record<string, string>;
  /** The payload codec every client and worker of the stack uses (a fresh key per stack), unless turned off. */
  codec?: EncryptionCodec;
  /** The keys file behind it (TEMPORAL_CODEC_KEYS_FILE). */
  codecKeysFile?: string;
  /** Every transfer the sandbox holds: Dfns's ground truth. */
  sandboxTransfers(): Promise<{ id: string; walletId: string; externalId?: string; status: string }[]>;
  stop(): Promise<void>;
}

let runtime: { logs: LogCapture; metricsUrl: string } | undefined;
/**
 * Installs the Temporal runtime once per test process as the worker does: pino into memory (which also keeps test
 * output quiet) and the SDK's Prometheus endpoint on a free port.
 */
async function installRuntime(): Promise<{ logs: LogCapture; metricsUrl: string }> {
  if (runtime) return runtime;
  const logs = captureLogs('stack');
  const address = `127.0.0.1:${await freePort()}`;
  installWorkerRuntime({ logger: logs.logger, sdkLogLevel: 'WARN', metricsAddress: address });
  runtime = { logs, metricsUrl: `http://${address}/metrics` };
  return runtime;
}

/** A Temporal server started elsewhere (e.g. test/support/postgres-temporal.ts), instead of the CLI dev server. */
export interface ExistingTemporal {
  address: string;
  namespace: string;
  connectionOptions: TemporalConnectionOptions;
  clientEnv: Record<string, string>;
}

/** Starts the whole stack; throws (failing the suite) if any part, Temporal included, cannot start. */
export async function startPaymentStack(
  options: {
    timings?: Partial<PaymentTimings>;
    timeScale?: number;
    inProcessWorker?: boolean;
    /** Signs outcome callbacks in the in-process worker; without it payments asking for one record none was sent. */
    callbackSecret?: string;
    /** Callback receivers of the test's own, on loopback, that the worker and the API let through (host:port). */
    callbackInsecureHosts?: string[];
    temporal?: ExistingTemporal;
    /** How the sandbox answers a policy Block: a Rejected transfer (default) or an HTTP 403. */
    blockMode?: 'rejected-transfer' | 'http-403';
    /** The sandbox's rate limit (default 1000 a minute), and the worker's Dfns budget (default: none). */
    rateLimitPerMinute?: number;
    dfnsRequestsPerSecond?: number;
    /** API keys to serve the payments API with, on the bridge's origin. */
    apiKeys?: ApiKeyEntry[];
    /** Wallet pools for the worker and the API, built from the sandbox's bootstrap wallets. */
    pools?: (bootstrap: SandboxHandle['bootstrap']) => PoolDefinition[];
    /** Payloads in clear instead of through the payload codec every deployment should run. */
    codec?: false;
  } = {},
): Promise<PaymentStack> {
  const { logs, metricsUrl } = await installRuntime();
  const existing = options.temporal;
  const codecKeys = options.codec === false ? undefined : writeCodecKeys();
  const codec = codecKeys
    ? payloadCodecFromConfig(loadConfig({ TEMPORAL_CODEC_KEYS_FILE: codecKeys.file }))
    : undefined;
  const dataConverter = paymentDataConverter(codec);
  const env = existing
    ? await TestWorkflowEnvironment.createFromExistingServer({
        address: existing.address,
        namespace: existing.namespace,
        connectionOptions: { tls: existing.connectionOptions.tls, apiKey: existing.connectionOptions.apiKey },
        client: { dataConverter },
      })
    : await TestWorkflowEnvironment.createLocal({
        client: { dataConverter },
        server: {
          executable: { type: 'existing-path', path: temporalCliPath() },
          searchAttributes: [...PAYMENT_SEARCH_ATTRIBUTES],
          extraArgs: TEMPORAL_DEV_SERVER_DYNAMIC_CONFIG.flatMap((value) => ['--dynamic-config-value', value]),
        },
      });
  const logger = logs.logger.child({ component: 'bridge' });
  const bridgePort = await freePort();
  const bridgeUrl = `http://127.0.0.1:${bridgePort}`;
  const webhookUrl = `${bridgeUrl}/webhooks/dfns`;
  const blockMode = options.blockMode ? { blockMode: options.blockMode } : {};
  const rateLimit = options.rateLimitPerMinute === undefined ? {} : { rateLimitPerMinute: options.rateLimitPerMinute };
  const timeScale = options.timeScale ?? 10;
  const sandbox = await startSandbox({ port: 0, webhookUrl, timeScale, ...blockMode, ...rateLimit });
  const taskQueue = `payments-${process.pid}-${Date.now()}`;
  const { bootstrap } = sandbox;
  const pools = options.pools?.(bootstrap) ?? [];
  const callbacks = callbackPolicy({ insecureHosts: options.callbackInsecureHosts ?? [] });
  // Tests that kill and restart workers run them as processes of their own instead.
  const worker =
    options.inProcessWorker === false
      ? undefined
      : await createPaymentWorker({
          connection: env.nativeConnection,
          namespace: env.namespace ?? 'default',
          taskQueue,
          dfns: createDfnsGateway({ ...bootstrap, baseUrl: sandbox.url, source: 'test' }),
          ...(options.dfnsRequestsPerSecond ? { dfnsRequestsPerSecond: options.dfnsRequestsPerSecond } : {}),
          callbackSecret: options.callbackSecret,
          callbackPolicy: callbacks,
          pools,
          dataConverter,
        });
  const running = worker?.run();
  const metrics = createAppMetrics({
    payments: {
      count: async (query) => (await env.client.workflow.count(query)).count,
      approvalTimeoutMinutes: 60,
      approvalWarningMinutes: 30,
    },
  });
  const metricsListener = await listenForMetrics(metrics, '127.0.0.1:0');
  const app = createApp({
    metrics,
    webhook: {
      secrets: [bootstrap.webhookSecret],
      toleranceSeconds: 300,
      signaler: createTemporalSignaler(env.client),
      logger,
    },
    // The payments API on the same origin as the bridge, when a test brings API keys.
    ...(options.apiKeys
      ? {
          api: {
            backend: createTemporalPayments(env.client, {
              taskQueue,
              namespace: env.namespace ?? 'default',
              cursorSecret: 'payment-stack-cursor-secret-0123456789',
              ...(options.timings ? { timings: options.timings } : {}),
            }),
            batches: createTemporalBatches(env.client, {
              taskQueue,
              ...(options.timings ? { paymentTimings: options.timings } : {}),
            }),
            verifyKey: createApiKeyVerifier(options.apiKeys),
            rateLimitPerMinute: 10_000,
            pools,
            callbacks,
            logger,
          },
        }
      : {}),
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: bridgePort }, () => resolve(s));
  });
  const client = new PaymentClient(env.client, { taskQueue, ...(options.timings ? { timings: options.timings } : {}) });

  return {
    env,
    sandbox,
    worker,
    bridgeUrl,
    appMetricsUrl: metricsListener.url,
    workerMetricsUrl: metricsUrl,
    client,
    taskQueue,
    logs,
    temporalEnv: {
      ...(existing?.clientEnv ?? { TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: env.namespace ?? 'default' }),
      ...(codecKeys ? { TEMPORAL_CODEC_KEYS_FILE: codecKeys.file } : {}),
    },
    ...(codec && codecKeys ? { codec, codecKeysFile: codecKeys.file } : {}),
    async sandboxTransfers() {
      const response = await fetch(`${sandbox.url}/_sandbox/transfers`);
      return (
        (await response.json()) as { items: { id: string; walletId: string; externalId?: string; status: string }[] }
      ).items;
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await metricsListener.close();
      worker?.shutdown();
      await running;
      await sandbox.close();
      await env.teardown();
      if (codecKeys) rmSync(codecKeys.dir, { recursive: true, force: true });
    },
  };
}

/** A keys file with one fresh key, readable by its owner only, as a deployment keeps it. */
function writeCodecKeys(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'payments-codec-'));
  const file = join(dir, 'codec-keys');
  writeFileSync(file, `stack-${Date.now()} ${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  return { dir, file };
}

/** A small native-ETH payment from the sandbox's funded EthereumSepolia wallet, keyed by `key`. */
export function nativeSepoliaRequest(stack: PaymentStack, key: string): PaymentRequest {
  return {
    idempotencyKey: key,
    walletId: stack.sandbox.bootstrap.walletId,
    network: 'EthereumSepolia',
    asset: { kind: 'Native' },
    to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    amount: '1000',
  };
}
