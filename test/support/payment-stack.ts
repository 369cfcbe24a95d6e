import type { PaymentRequest } from '../../src/contracts/payment-request';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { paymentDataConverter, payloadCodecFromConfig } from '../../src/temporal/data-converter';
import type { EncryptionCodec } from '../../src/temporal/encryption-codec';
import { Client } from '@temporalio/client';
import type { Tracing } from '../../src/observability/tracing';
import { createPaymentTraceReader } from '../../src/temporal/payment-trace';
import { clientInterceptors } from '../../src/temporal/tracing-interceptors';
import type { TemporalConnectionOptions } from '../../src/temporal/connection';
import { startSandbox, type SandboxHandle } from '../../sandbox/src/sandbox';
import { createApiKeyDirectory, createApiKeyVerifier, type ApiKeyEntry } from '../../src/api/api-keys';
import { createCodecApp } from '../../src/codec/codec-app';
import { listenForCodec } from '../../src/codec/codec-listener';
import { sessionSecret } from '../../src/codec/codec-session';
import { createTemporalPayments } from '../../src/api/temporal-payments';
import { createTemporalBatches } from '../../src/batches/temporal-batches';
import { createApp } from '../../src/app';
import { callbackPolicy } from '../../src/callbacks/callback-url-policy';
import { PaymentClient } from '../../src/client/payment-client';
import { clientBindings } from '../../src/clients/client-bindings';
import type { ClientsFileInput } from '../../src/clients/clients-file-schema';
import { parseClientsFile } from '../../src/clients/load-clients-file';
import type { PaymentTimings } from '../../src/contracts/payment-messages';
import type { PoolDefinition } from '../../src/contracts/pool-definition';
import { PAYMENT_SEARCH_ATTRIBUTES } from '../../src/contracts/search-attributes';
import { createDfnsGateway } from '../../src/dfns/dfns-gateway';
import { createAppMetrics } from '../../src/observability/app-metrics';
import { listenForMetrics } from '../../src/observability/metrics-listener';
import { installWorkerRuntime } from '../../src/observability/worker-runtime';
import { createPaymentWorker, type PaymentWorkerDeps, type PaymentWorkers } from '../../src/temporal/payment-worker';
import { createTemporalSignaler } from '../../src/temporal/payment-signaler';
import { createTemporalExports } from '../../src/exports/temporal-exports';
import { createTemporalReconciliations } from '../../src/reconciliation/temporal-reconciliations';
import { TEMPORAL_DEV_SERVER_DYNAMIC_CONFIG } from '../../src/temporal/dev-server-flags';
import { captureLogs, type LogCapture } from '../logging/log-capture';
import { freePort } from './free-port';
import { temporalCliPath } from './temporal-cli';
import { paymentWorkflowBundle } from './workflow-bundle-cache';

/** Every real part of the orchestrator, on loopback: Temporal dev server, sandbox, worker and bridge. */
export interface PaymentStack {
  env: TestWorkflowEnvironment;
  sandbox: SandboxHandle;
  worker?: PaymentWorkers;
  /** What the in-process worker is created from (createPaymentWorker), for tests that start more workers. */
  workerDeps: PaymentWorkerDeps;
  bridgeUrl: string;
  /** The Temporal Web UI's base URL, when the stack was started with `temporalUi` (the dev server's own UI). */
  temporalUiUrl?: string;
  /** The codec endpoint the Web UI decodes through, when the stack was started with `uiCodecKeys`. */
  uiCodecEndpoint?: string;
  /** The app's Prometheus endpoint, on its own loopback listener as the server serves it (never on bridgeUrl). */
  appMetricsUrl: string;
  /** The in-process worker's Prometheus endpoint (the Temporal runtime's, shared by the whole test process). */
  workerMetricsUrl: string;
  client: PaymentClient;
  /** The Temporal client the app and `client` use: traced when the stack was started with tracing. */
  temporalClient: Client;
  taskQueue: string;
  /** Every line the bridge, the worker, the workflows and the activities logged (pino, kept in memory). */
  logs: LogCapture;
  /** The variables a process of ours (worker, CLI) needs to reach this stack's Temporal, codec keys included. */
  temporalEnv: Record<string, string>;
  /** The payload codec every client and worker of the stack uses (a fresh key per stack), unless turned off. */
  codec?: EncryptionCodec;
  /** The keys file behind it (TEMPORAL_CODEC_KEYS_FILE). */
  codecKeysFile?: string;
  /**
   * The variables a worker or app process of ours needs to hold this stack's bindings and pools:
   * PAYMENT_CLIENTS_FILE, and PAYMENT_POOLS_FILE when the stack has pools.
   */
  bindingsEnv: Record<string, string>;
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
    /** Serves the dev server's Web UI on a free loopback port, as `npm run dev` does (`--ui-port`). */
    temporalUi?: boolean;
    /**
     * Operators' keys (scope payloads:decode) for a codec endpoint of the stack's own, which the dev server's Web UI
     * decodes through (`--ui-codec-endpoint`), as `npm run dev` serves it. Needs `temporalUi` and the codec.
     */
    uiCodecKeys?: ApiKeyEntry[];
    /** How the sandbox answers a policy Block: a Rejected transfer (default) or an HTTP 403. */
    blockMode?: 'rejected-transfer' | 'http-403';
    /** The sandbox's rate limit (default 1000 a minute), and the worker's Dfns budget (default: none). */
    rateLimitPerMinute?: number;
    /** The sliding window the sandbox counts its rate limit over, seconds (default 60). */
    rateLimitWindowSeconds?: number;
    dfnsRequestsPerSecond?: number;
    /** API keys to serve the payments API with, on the bridge's origin. */
    apiKeys?: ApiKeyEntry[];
    /** Wallet pools for the worker and the API, built from the sandbox's bootstrap wallets. */
    pools?: (bootstrap: SandboxHandle['bootstrap']) => PoolDefinition[];
    /** Starts tracing once the sandbox's URL (the Dfns base URL) is known; the app, clients and worker then trace. */
    tracing?: (dfnsBaseUrl: string) => Tracing;
    /**
     * Which wallets and pools each client may pay from (a clients file). By default every client of `apiKeys`, and
     * payments without a client, may pay from every wallet of the sandbox's bootstrap and every pool of the stack.
     */
    clients?: (bootstrap: SandboxHandle['bootstrap'], pools: PoolDefinition[]) => ClientsFileInput;
    /** Payloads in clear instead of through the payload codec every deployment should run. */
    codec?: false;
  } = {},
): Promise<PaymentStack> {
  const { logs, metricsUrl } = await installRuntime();
  const existing = options.temporal;
  const uiPort = options.temporalUi && !existing ? await freePort() : undefined;
  // The stack's files: its codec key (every payload is encrypted, as a deployment runs), and later its bindings.
  const filesDir = mkdtempSync(join(tmpdir(), 'payment-stack-'));
  const codecKeysFile = options.codec === false ? undefined : join(filesDir, 'codec-keys');
  if (codecKeysFile) {
    writeFileSync(codecKeysFile, `stack-${Date.now()} ${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  const codec = codecKeysFile
    ? payloadCodecFromConfig(loadConfig({ TEMPORAL_CODEC_KEYS_FILE: codecKeysFile }))
    : undefined;
  const dataConverter = paymentDataConverter(codec);
  const uiCodec =
    options.uiCodecKeys && codec && uiPort !== undefined
      ? await listenForCodec(
          createCodecApp({
            codec,
            verifyKey: createApiKeyVerifier(options.uiCodecKeys),
            keyById: createApiKeyDirectory(options.uiCodecKeys),
            sessionSecret: sessionSecret(codec.keyring),
            uiUrl: `http://127.0.0.1:${uiPort}`,
            authFailuresPerMinute: 30,
            logger: logs.logger.child({ component: 'codec' }),
          }),
          '127.0.0.1:0',
        )
      : undefined;
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
          port: await freePort(),
          ...(uiPort === undefined ? {} : { ui: true, uiPort }),
          searchAttributes: [...PAYMENT_SEARCH_ATTRIBUTES],
          extraArgs: [
            ...TEMPORAL_DEV_SERVER_DYNAMIC_CONFIG.flatMap((value) => ['--dynamic-config-value', value]),
            ...(uiCodec ? ['--ui-codec-endpoint', uiCodec.endpoint] : []),
          ],
        },
      });
  const logger = logs.logger.child({ component: 'bridge' });
  // The bridge listens first, on a port the kernel gives it, and serves the app once it is built: its URL goes to the
  // sandbox before the app exists, and a port only reserved for later could meanwhile be taken (a connection's local
  // port is drawn from the same range).
  const late: { fetch?: (request: Request, env: unknown) => Response | Promise<Response> } = {};
  const server: ServerType = await new Promise((resolve) => {
    const s = serve(
      {
        // env carries Node's request and response, which the app reads the caller's address from.
        fetch: (request, env) => late.fetch?.(request, env) ?? new Response('the stack is starting', { status: 503 }),
        hostname: '127.0.0.1',
        port: 0,
      },
      () => resolve(s),
    );
  });
  const bridgePort = (server.address() as AddressInfo).port;
  const bridgeUrl = `http://127.0.0.1:${bridgePort}`;
  const webhookUrl = `${bridgeUrl}/webhooks/dfns`;
  const blockMode = options.blockMode ? { blockMode: options.blockMode } : {};
  const rateLimit = {
    ...(options.rateLimitPerMinute === undefined ? {} : { rateLimitPerMinute: options.rateLimitPerMinute }),
    ...(options.rateLimitWindowSeconds === undefined ? {} : { rateLimitWindowSeconds: options.rateLimitWindowSeconds }),
  };
  const timeScale = options.timeScale ?? 10;
  const sandbox = await startSandbox({ port: 0, webhookUrl, timeScale, ...blockMode, ...rateLimit });
  const taskQueue = `payments-${process.pid}-${Date.now()}`;
  const { bootstrap } = sandbox;
  const pools = options.pools?.(bootstrap) ?? [];
  const tracing = options.tracing?.(sandbox.url);
  const temporalClient = tracing
    ? new Client({
        connection: env.connection,
        namespace: env.namespace ?? 'default',
        interceptors: clientInterceptors(tracing),
        dataConverter,
      })
    : env.client;
  const clientsFile = (options.clients ?? everyWalletToEveryClient(options.apiKeys ?? []))(bootstrap, pools);
  const clients = clientBindings(parseClientsFile(clientsFile, 'the stack clients file', pools));
  // The same bindings as files, for the worker and CLI processes a test starts (bindingsEnv).
  const bindingsEnv: Record<string, string> = { PAYMENT_CLIENTS_FILE: join(filesDir, 'clients.json') };
  writeFileSync(bindingsEnv.PAYMENT_CLIENTS_FILE as string, JSON.stringify(clientsFile, null, 2));
  if (pools.length > 0) {
    bindingsEnv.PAYMENT_POOLS_FILE = join(filesDir, 'pools.json');
    writeFileSync(bindingsEnv.PAYMENT_POOLS_FILE, JSON.stringify({ version: 1, pools }, null, 2));
  }
  const callbacks = callbackPolicy({
    insecureHosts: options.callbackInsecureHosts ?? [],
    callbackHostsOf: clients.callbackHostsOf,
  });
  // What the in-process worker is made of; a test starting workers of its own (other versions) starts them alike.
  const workerDeps: PaymentWorkerDeps = {
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    // Bundled once for all test files (test/support/workflow-bundle-cache.ts), as a worker given a prebuilt bundle.
    workflowBundlePath: (await paymentWorkflowBundle()).codePath,
    dfns: createDfnsGateway({ ...bootstrap, baseUrl: sandbox.url, source: 'test' }),
    ...(options.dfnsRequestsPerSecond ? { dfnsRequestsPerSecond: options.dfnsRequestsPerSecond } : {}),
    callbackSecret: options.callbackSecret,
    callbackPolicy: callbacks,
    pools,
    ...(tracing ? { workflowSpanSinks: tracing.workflowSinks } : {}),
    clients,
    dataConverter,
  };
  // Tests that kill and restart workers run them as processes of their own instead.
  const worker = options.inProcessWorker === false ? undefined : await createPaymentWorker(workerDeps);
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
    tracing: tracing?.enabled ?? false,
    webhook: {
      secrets: [bootstrap.webhookSecret],
      toleranceSeconds: 300,
      signaler: createTemporalSignaler(temporalClient),
      logger,
      ...(tracing ? { paymentTrace: createPaymentTraceReader(temporalClient) } : {}),
    },
    // The payments API on the same origin as the bridge, when a test brings API keys.
    ...(options.apiKeys
      ? {
          api: {
            backend: createTemporalPayments(temporalClient, {
              taskQueue,
              namespace: env.namespace ?? 'default',
              cursorSecret: 'payment-stack-cursor-secret-0123456789',
              ...(options.timings ? { timings: options.timings } : {}),
            }),
            batches: createTemporalBatches(temporalClient, {
              taskQueue,
              ...(options.timings ? { paymentTimings: options.timings } : {}),
            }),
            verifyKey: createApiKeyVerifier(options.apiKeys),
            rateLimitPerMinute: 10_000,
            pools,
            reconciliations: createTemporalReconciliations(env.client, { taskQueue, pools }),
            exports: createTemporalExports(env.client, { namespace: env.namespace ?? 'default' }),
            clients,
            callbacks,
            logger,
          },
        }
      : {}),
  });
  late.fetch = (request, env) => app.fetch(request, env);
  const client = new PaymentClient(temporalClient, {
    taskQueue,
    ...(options.timings ? { timings: options.timings } : {}),
  });

  return {
    env,
    sandbox,
    worker,
    workerDeps,
    bridgeUrl,
    ...(uiPort === undefined ? {} : { temporalUiUrl: `http://127.0.0.1:${uiPort}` }),
    ...(uiCodec ? { uiCodecEndpoint: uiCodec.endpoint } : {}),
    appMetricsUrl: metricsListener.url,
    workerMetricsUrl: metricsUrl,
    client,
    temporalClient,
    taskQueue,
    logs,
    temporalEnv: {
      ...(existing?.clientEnv ?? { TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: env.namespace ?? 'default' }),
      ...(codecKeysFile ? { TEMPORAL_CODEC_KEYS_FILE: codecKeysFile } : {}),
    },
    ...(codec && codecKeysFile ? { codec, codecKeysFile } : {}),
    bindingsEnv,
    async sandboxTransfers() {
      const response = await fetch(`${sandbox.url}/_sandbox/transfers`);
      return (
        (await response.json()) as { items: { id: string; walletId: string; externalId?: string; status: string }[] }
      ).items;
    },
    async stop() {
      // A connection still open (a keep-alive or a request in flight) would otherwise hold the close forever.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
      await metricsListener.close();
      await uiCodec?.close();
      worker?.shutdown();
      await running;
      await sandbox.close();
      await env.teardown();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

/**
 * The bindings of a stack whose test is not about them: each client of `apiKeys`, and payments without a client,
 * may pay from every wallet of the sandbox's bootstrap and every pool of the stack.
 */
function everyWalletToEveryClient(apiKeys: readonly ApiKeyEntry[]) {
  return (bootstrap: SandboxHandle['bootstrap'], pools: PoolDefinition[]): ClientsFileInput => {
    const binding = { wallets: bootstrap.wallets.map((wallet) => wallet.walletId), pools: pools.map((p) => p.name) };
    const ids = [...new Set(apiKeys.map((key) => key.clientId))];
    return { version: 1, clients: ids.map((id) => ({ id, ...binding })), withoutClient: binding };
  };
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
