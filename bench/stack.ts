// The real stack for the benchmark, each part its own process on 127.0.0.1 with free ports, started as
// scripts/dev.ts starts it: the Temporal dev server, the Dfns sandbox, the payment worker, the reference worker and
// the app (payments API + webhook bridge).
import { Client } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxBootstrap } from '../sandbox/src/sandbox';
import { loadConfig } from '../src/config';
import { PAYMENT_SEARCH_ATTRIBUTES, searchAttributeTypeName } from '../src/contracts/search-attributes';
import { connectTemporalClient } from '../src/temporal/connection';
import { paymentDataConverter, payloadCodecFromConfig } from '../src/temporal/data-converter';
import { freePort } from '../test/support/free-port';
import { temporalCliPath } from '../test/support/temporal-cli';
import { portOpen, startNode, startProcess, waitFor, waitForLine, type BenchProcess } from './processes';

/** The running stack: its processes (for CPU figures), a Temporal client, and the sandbox's fixtures. */
export interface BenchStack {
  dir: string;
  processes: Record<'temporal' | 'sandbox' | 'worker' | 'app', BenchProcess> & { bareWorker?: BenchProcess };
  client: Client;
  bootstrap: SandboxBootstrap;
  sandboxUrl: string;
  appUrl: string;
  taskQueue: string;
  bareTaskQueue: string;
  stop(): Promise<void>;
}

/** Starts every part; on any failure stops what already started and rethrows. */
export async function startBenchStack(options: {
  timeScale: number;
  log: (line: string) => void;
  /** Writes V8 CPU profiles of the workers and the app into the log directory when they stop. */
  profile?: boolean;
  /** Every process and the bench's client encrypt payloads (a fresh key in the stack's directory). */
  codec?: boolean;
  /** Starts the reference workflow's worker too (default true). */
  bare?: boolean;
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
    ]);
    started.push(sandboxProcess);
    await waitFor('the sandbox credentials', () => existsSync(credentialsFile), sandboxProcess);
    const bootstrap = JSON.parse(readFileSync(credentialsFile, 'utf8')) as SandboxBootstrap;
    options.log(`Dfns sandbox on ${bootstrap.baseUrl} (time scale ${options.timeScale}, no rate limit)`);

    const profile = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
    const taskQueue = 'bench-payments';
    const bareTaskQueue = 'bench-bare';
    const codecKeysFile = join(dir, 'codec-keys');
    if (options.codec) writeFileSync(codecKeysFile, `bench ${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    const codecEnv: Record<string, string> = options.codec ? { TEMPORAL_CODEC_KEYS_FILE: codecKeysFile } : {};
    const common = {
      ...codecEnv,
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
    };
    // The product's Dfns caps (5 activities/s, 15 requests/s by default) would measure the cap, not the engine.
    const worker = startNode(
      dir,
      'worker',
      'src/worker.ts',
      {
        ...common,
        TEMPORAL_TASK_QUEUE: taskQueue,
        DFNS_ACTIVITIES_PER_SECOND: '10000',
        DFNS_REQUESTS_PER_SECOND: '10000',
      },
      [],
      profile,
    );
    started.push(worker);
    const bareWorker =
      options.bare === false
        ? undefined
        : startNode(
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
    if (bareWorker) started.push(bareWorker);
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
    await waitForLine(worker, /"msg":"worker running"/);
    if (bareWorker) await waitForLine(bareWorker, /"msg":"worker running"/);
    await waitForLine(app, /"msg":"listening"/);
    const parts = bareWorker ? 'worker, reference worker and app' : 'worker and app';
    const payloads = options.codec ? ', payloads encrypted' : '';
    options.log(`${parts} (${appUrl}) running${payloads}; logs in ${dir}`);

    const config = loadConfig({ TEMPORAL_ADDRESS: temporalAddress, ...codecEnv });
    const connection = await connectTemporalClient(config);
    const dataConverter = paymentDataConverter(payloadCodecFromConfig(config));
    const client = new Client({ connection, namespace: 'default', dataConverter });
    const processes = { temporal, sandbox: sandboxProcess, worker, app, ...(bareWorker ? { bareWorker } : {}) };
    const sandboxUrl = bootstrap.baseUrl;
    const stop = async () => {
      await connection.close();
      await stopAll();
    };
    return { dir, processes, client, bootstrap, sandboxUrl, appUrl, taskQueue, bareTaskQueue, stop };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
