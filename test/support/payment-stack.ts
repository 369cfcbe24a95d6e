import { serve, type ServerType } from '@hono/node-server';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startSandbox, type SandboxHandle } from '../../sandbox/src/sandbox';
import { createApiKeyVerifier, type ApiKeyEntry } from '../../src/api/api-keys';
import { createTemporalPayments } from '../../src/api/temporal-payments';
import { createApp } from '../../src/app';
import { PaymentClient } from '../../src/client/payment-client';
import type { PaymentTimings } from '../../src/contracts/payment-messages';
import { PAYMENT_SEARCH_ATTRIBUTES } from '../../src/contracts/search-attributes';
import { createDfnsGateway } from '../../src/dfns/dfns-gateway';
import type { Logger } from '../../src/logger';
import { createPaymentWorker, type PaymentWorkers } from '../../src/temporal/payment-worker';
import { createTemporalSignaler } from '../../src/temporal/payment-signaler';
import { freePort } from './free-port';
import { temporalCliPath } from './temporal-cli';

/** Log lines the bridge wrote, kept for assertions (and so tests stay quiet). */
export interface LogLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

/** Every real part of the orchestrator, on loopback: Temporal dev server, sandbox, worker and bridge. */
export interface PaymentStack {
  env: TestWorkflowEnvironment;
  sandbox: SandboxHandle;
  worker?: PaymentWorkers;
  bridgeUrl: string;
  client: PaymentClient;
  taskQueue: string;
  logs: LogLine[];
  /** Every transfer the sandbox holds: Dfns's ground truth. */
  sandboxTransfers(): Promise<{ id: string; externalId?: string; status: string }[]>;
  stop(): Promise<void>;
}

let runtimeInstalled = false;
/** Keeps the SDK's INFO chatter (bundle stats, worker state) out of test output; warnings still show. */
function quietTemporalLogs(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  runtimeInstalled = true;
}

/** Starts the whole stack; throws (failing the suite) if any part, Temporal included, cannot start. */
export async function startPaymentStack(
  options: {
    timings?: Partial<PaymentTimings>;
    timeScale?: number;
    inProcessWorker?: boolean;
    /** How the sandbox answers a policy Block: a Rejected transfer (default) or an HTTP 403. */
    blockMode?: 'rejected-transfer' | 'http-403';
    /** The sandbox's rate limit (default 1000 a minute), and the worker's Dfns budget (default: none). */
    rateLimitPerMinute?: number;
    dfnsRequestsPerSecond?: number;
    /** API keys to serve the payments API with, on the bridge's origin. */
    apiKeys?: ApiKeyEntry[];
  } = {},
): Promise<PaymentStack> {
  quietTemporalLogs();
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalCliPath() }, searchAttributes: [...PAYMENT_SEARCH_ATTRIBUTES] },
  });
  const logs: LogLine[] = [];
  const logger: Logger = {
    info: (message, fields) => void logs.push({ level: 'info', message, fields }),
    warn: (message, fields) => void logs.push({ level: 'warn', message, fields }),
    error: (message, fields) => void logs.push({ level: 'error', message, fields }),
  };
  const bridgePort = await freePort();
  const bridgeUrl = `http://127.0.0.1:${bridgePort}`;
  const webhookUrl = `${bridgeUrl}/webhooks/dfns`;
  const blockMode = options.blockMode ? { blockMode: options.blockMode } : {};
  const rateLimit = options.rateLimitPerMinute === undefined ? {} : { rateLimitPerMinute: options.rateLimitPerMinute };
  const timeScale = options.timeScale ?? 10;
  const sandbox = await startSandbox({ port: 0, webhookUrl, timeScale, ...blockMode, ...rateLimit });
  const taskQueue = `payments-${process.pid}-${Date.now()}`;
  const { bootstrap } = sandbox;
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
        });
  const running = worker?.run();
  const app = createApp({
    webhook: { secrets: [bootstrap.webhookSecret], toleranceSeconds: 300, signaler: createTemporalSignaler(env.client), logger },
    // The payments API on the same origin as the bridge, when a test brings API keys.
    ...(options.apiKeys
      ? {
          api: {
            backend: createTemporalPayments(env.client, { taskQueue, namespace: env.namespace ?? 'default' }),
            verifyKey: createApiKeyVerifier(options.apiKeys),
            rateLimitPerMinute: 10_000,
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
    client,
    taskQueue,
    logs,
    async sandboxTransfers() {
      const response = await fetch(`${sandbox.url}/_sandbox/transfers`);
      return ((await response.json()) as { items: { id: string; externalId?: string; status: string }[] }).items;
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      worker?.shutdown();
      await running;
      await sandbox.close();
      await env.teardown();
    },
  };
}
