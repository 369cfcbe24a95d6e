// The real stack for the benchmark, each part its own process on 127.0.0.1 with free ports, started as
// scripts/dev.ts starts it: the Temporal dev server, the Dfns sandbox, the payment worker, the reference worker and
// the app (payments API + webhook bridge); the same worker and app again with tracing on (their own task queue),
// exporting to an OTLP receiver of the bench's own (bench/otlp-sink.ts); and once more with every payload encrypted
// by the payload codec (their own task queue and key).
import { Client } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxBootstrap } from '../sandbox/src/sandbox';
import { loadConfig } from '../src/config';
import { PAYMENT_SEARCH_ATTRIBUTES, searchAttributeTypeName } from '../src/contracts/search-attributes';
import { connectTemporalClient } from '../src/temporal/connection';
import { createDfnsClient } from '../src/dfns/dfns-client';
import { startTracing } from '../src/observability/tracing';
import { paymentDataConverter, payloadCodecFromConfig } from '../src/temporal/data-converter';
import { clientInterceptors } from '../src/temporal/tracing-interceptors';
import { freePort } from '../test/support/free-port';
import { temporalCliPath } from '../test/support/temporal-cli';
import { writeSandboxClientsFile } from '../scripts/sandbox-clients';
import { portOpen, startNode, startProcess, waitFor, waitForLine, type BenchProcess } from './processes';

/** The running stack: its processes (for CPU figures), a Temporal client, and the sandbox's fixtures. */
export interface BenchStack {
  dir: string;
  processes: Record<
    | 'temporal'
    | 'sandbox'
    | 'worker'
    | 'bareWorker'
    | 'app'
    | 'tracedWorker'
    | 'tracedApp'
    | 'otlpSink'
    | 'encryptedWorker'
    | 'encryptedApp',
    BenchProcess
  >;
  client: Client;
  /** A client whose starts are traced (the bench process traces too, into the same receiver). */
  tracedClient: Client;
  /** A client that encrypts and decrypts with the encrypted worker's and app's key. */
  encryptedClient: Client;
  encryptedTaskQueue: string;
  /** Points the sandbox's webhook at the app of one kind of payment, through the Dfns webhook API. */
  webhooksTo(app: 'plain' | 'traced' | 'encrypted'): Promise<void>;
  bootstrap: SandboxBootstrap;
  sandboxUrl: string;
  appUrl: string;
  taskQueue: string;
  bareTaskQueue: string;
  tracedTaskQueue: string;
  /** Points the sandbox's webhook at the traced app (true) or the untraced one, through the Dfns webhook API. */
  webhooksToTracedApp(traced: boolean): Promise<void>;
  /** What the OTLP receiver got so far. */
  otlpStats(): Promise<{ requests: number; bytes: number }>;
  stop(): Promise<void>;
}

/** Starts every part; on any failure stops what already started and rethrows. */
export async function startBenchStack(options: {
  timeScale: number;
  log: (line: string) => void;
  /** Writes V8 CPU profiles of the workers and the app into the log directory when they stop. */
  profile?: boolean;
  /**
   * The Dfns budget at its defaults: the worker without DFNS_REQUESTS_PER_MINUTE and the sandbox limited to its
   * default 1,000 requests a minute (Dfns's). Otherwise both are lifted, to measure the engine.
   */
  defaultBudget?: boolean;
}): Promise<BenchStack> {
  const dir = mkdtempSync(join(tmpdir(), 'payments-bench-'));
  const started: BenchProcess[] = [];
  const stopAll = async () => {
    for (const process of [...started].reverse()) await process.stop();
  };
  try {
    const temporalPort = await freePort();
    const temporalAddress = `127.0.0.1:${temporalPort}`;
    const temporal = startProcess(dir, 'temporal', temporalCliPath(), [
      ...['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(temporalPort)],
      ...['--log-level', 'error'],
      ...PAYMENT_SEARCH_ATTRIBUTES.flatMap((key) => [
        '--search-attribute',
        `${key.name}=${searchAttributeTypeName(key.type)}`,
      ]),
    ]);
    started.push(temporal);
    await waitFor('the Temporal dev server', () => portOpen('127.0.0.1', temporalPort), temporal);
    options.log(`Temporal dev server on ${temporalAddress} (in-memory)`);

    const appPort = await freePort();
    const appUrl = `http://127.0.0.1:${appPort}`;
    const credentialsFile = join(dir, 'dfns-sandbox.json');
    const sandboxArgs = [String(await freePort()), `${appUrl}/webhooks/dfns`, credentialsFile];
    const sandboxProcess = startNode(dir, 'sandbox', 'bench/bench-sandbox.ts', {}, [
      ...sandboxArgs,
      String(options.timeScale),
      ...(options.defaultBudget ? ['dfns-limit'] : []),
    ]);
    started.push(sandboxProcess);
    await waitFor('the sandbox credentials', () => existsSync(credentialsFile), sandboxProcess);
    const bootstrap = JSON.parse(readFileSync(credentialsFile, 'utf8')) as SandboxBootstrap;
    const limit = options.defaultBudget ? '1,000 requests a minute' : 'no rate limit';
    options.log(`Dfns sandbox on ${bootstrap.baseUrl} (time scale ${options.timeScale}, ${limit})`);

    const sinkPort = await freePort();
    const otlpSink = startNode(dir, 'otlp-sink', 'bench/otlp-sink.ts', {}, [String(sinkPort)]);
    started.push(otlpSink);
    await waitForLine(otlpSink, /"msg":"otlp sink listening"/);
    const otlpEndpoint = `http://127.0.0.1:${sinkPort}`;

    // The benchmark pays without a client (PaymentClient, the bare workflow): those payments may use every wallet.
    const clientsFile = join(dir, 'clients.json');
    const walletIds = [bootstrap.walletId, ...bootstrap.wallets.map((wallet) => wallet.walletId)];
    writeSandboxClientsFile(clientsFile, { clientIds: [], walletIds, withoutClient: true });
    const profile = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
    const taskQueue = 'bench-payments';
    const bareTaskQueue = 'bench-bare';
    const common = {
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      DFNS_BASE_URL: bootstrap.baseUrl,
      DFNS_ORG_ID: bootstrap.orgId,
      DFNS_AUTH_TOKEN: bootstrap.authToken,
      DFNS_CRED_ID: bootstrap.credId,
      DFNS_PRIVATE_KEY: bootstrap.privateKey,
      DFNS_WALLET_ID: bootstrap.walletId,
      DFNS_WEBHOOK_SECRETS: bootstrap.webhookSecret,
      WORKER_METRICS_ADDRESS: '127.0.0.1:0',
      PAYMENT_CLIENTS_FILE: clientsFile,
    };
    // The product's Dfns budget (1,000 requests a minute by default) would measure the budget, not the engine.
    const worker = startNode(
      dir,
      'worker',
      'src/worker.ts',
      {
        ...common,
        TEMPORAL_TASK_QUEUE: taskQueue,
        ...(options.defaultBudget ? {} : { DFNS_REQUESTS_PER_MINUTE: '600000' }),
      },
      [],
      profile,
    );
    started.push(worker);
    const bareWorker = startNode(
      dir,
      'bare-transfer-worker',
      'bench/bare-transfer-worker.ts',
      {
        ...common,
        TEMPORAL_TASK_QUEUE: bareTaskQueue,
      },
      [],
      profile,
    );
    started.push(bareWorker);
    const app = startNode(
      dir,
      'app',
      'src/server.ts',
      {
        ...common,
        TEMPORAL_TASK_QUEUE: taskQueue,
        APP_HOST: '127.0.0.1',
        APP_PORT: String(appPort),
        APP_METRICS_ADDRESS: '127.0.0.1:0',
      },
      [],
      profile,
    );
    started.push(app);
    // The same worker and app with tracing on: every payment sampled, batched OTLP/protobuf to the receiver.
    const tracedTaskQueue = 'bench-traced';
    const tracedAppPort = await freePort();
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, OTEL_TRACES_SAMPLER: 'parentbased_always_on' };
    const tracedWorker = startNode(
      dir,
      'traced-worker',
      'src/worker.ts',
      {
        ...common,
        ...tracing,
        TEMPORAL_TASK_QUEUE: tracedTaskQueue,
        DFNS_ACTIVITIES_PER_SECOND: '10000',
        DFNS_REQUESTS_PER_SECOND: '10000',
      },
      [],
      profile,
    );
    started.push(tracedWorker);
    const tracedApp = startNode(
      dir,
      'traced-app',
      'src/server.ts',
      {
        ...common,
        ...tracing,
        TEMPORAL_TASK_QUEUE: tracedTaskQueue,
        APP_HOST: '127.0.0.1',
        APP_PORT: String(tracedAppPort),
        APP_METRICS_ADDRESS: '127.0.0.1:0',
      },
      [],
      profile,
    );
    started.push(tracedApp);
    // The same worker and app with the payload codec: every payload encrypted (AES-256-GCM) under a key of this run.
    const encryptedTaskQueue = 'bench-encrypted';
    const encryptedAppPort = await freePort();
    const codecKeysFile = join(dir, 'codec-keys');
    writeFileSync(codecKeysFile, `bench ${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    const encrypted = { TEMPORAL_CODEC_KEYS_FILE: codecKeysFile };
    const encryptedWorker = startNode(
      dir,
      'encrypted-worker',
      'src/worker.ts',
      {
        ...common,
        ...encrypted,
        TEMPORAL_TASK_QUEUE: encryptedTaskQueue,
        DFNS_ACTIVITIES_PER_SECOND: '10000',
        DFNS_REQUESTS_PER_SECOND: '10000',
      },
      [],
      profile,
    );
    started.push(encryptedWorker);
    const encryptedApp = startNode(
      dir,
      'encrypted-app',
      'src/server.ts',
      {
        ...common,
        ...encrypted,
        TEMPORAL_TASK_QUEUE: encryptedTaskQueue,
        APP_HOST: '127.0.0.1',
        APP_PORT: String(encryptedAppPort),
        APP_METRICS_ADDRESS: '127.0.0.1:0',
        APP_CODEC_ADDRESS: '127.0.0.1:0',
      },
      [],
      profile,
    );
    started.push(encryptedApp);
    await waitForLine(encryptedWorker, /"msg":"worker running"/);
    await waitForLine(encryptedApp, /"msg":"listening"/);
    await waitForLine(tracedWorker, /"msg":"worker running"/);
    await waitForLine(tracedApp, /"msg":"listening"/);
    await waitForLine(worker, /"msg":"worker running"/);
    await waitForLine(bareWorker, /"msg":"worker running"/);
    await waitForLine(app, /"msg":"listening"/);
    options.log(`worker, reference worker and app (${appUrl}) running; logs in ${dir}`);

    const connection = await connectTemporalClient(loadConfig({ TEMPORAL_ADDRESS: temporalAddress }));
    const client = new Client({ connection, namespace: 'default' });
    // The load generator starts the traced payments as a traced service would: its starts are the traces' roots.
    const benchTracing = startTracing(loadConfig({ ...tracing, OTEL_SERVICE_NAME: 'payments-bench' }), {
      serviceName: 'payments-bench',
    });
    const tracedClient = new Client({
      connection,
      namespace: 'default',
      interceptors: clientInterceptors(benchTracing),
    });
    const encryptedClient = new Client({
      connection,
      namespace: 'default',
      dataConverter: paymentDataConverter(payloadCodecFromConfig(loadConfig(encrypted))),
    });
    const processes = {
      temporal,
      sandbox: sandboxProcess,
      worker,
      bareWorker,
      app,
      tracedWorker,
      tracedApp,
      otlpSink,
      encryptedWorker,
      encryptedApp,
    };
    const sandboxUrl = bootstrap.baseUrl;
    const dfns = createDfnsClient({ ...bootstrap, source: 'bench' });
    const portOf = { plain: appPort, traced: tracedAppPort, encrypted: encryptedAppPort };
    const webhooksTo = async (target: keyof typeof portOf) => {
      const url = `http://127.0.0.1:${portOf[target]}/webhooks/dfns`;
      const { items } = await dfns.webhooks.listWebhooks();
      for (const webhook of items) await dfns.webhooks.updateWebhook({ webhookId: webhook.id, body: { url } });
    };
    const webhooksToTracedApp = (traced: boolean) => webhooksTo(traced ? 'traced' : 'plain');
    const otlpStats = async () =>
      (await (await fetch(`${otlpEndpoint}/stats`)).json()) as { requests: number; bytes: number };
    const stop = async () => {
      await benchTracing.shutdown();
      await connection.close();
      await stopAll();
    };
    return {
      dir,
      processes,
      client,
      tracedClient,
      encryptedClient,
      encryptedTaskQueue,
      webhooksTo,
      bootstrap,
      sandboxUrl,
      appUrl,
      taskQueue,
      bareTaskQueue,
      tracedTaskQueue,
      webhooksToTracedApp,
      otlpStats,
      stop,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
