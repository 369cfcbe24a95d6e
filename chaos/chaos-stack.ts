import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mintApiKey } from '../src/api/api-keys';
import { PAYMENT_SEARCH_ATTRIBUTES, searchAttributeTypeName } from '../src/contracts/search-attributes';
import { readCredentialsFile } from '../src/dfns/credentials-file';
import { writeSandboxClientsFile } from '../scripts/sandbox-clients';
import { freePort } from '../test/support/free-port';
import { temporalCliPath } from '../test/support/temporal-cli';
import { httpOk, killChild, portOpen, running, startChild, stopChild, waitFor, type Child } from './processes';
import { paymentWorkflowBundle } from '../test/support/workflow-bundle-cache';

const HOST = '127.0.0.1';
/** The API client the run's key belongs to: its payments are `payment:chaos:<key>`. */
export const CHAOS_CLIENT = 'chaos';

/** How the stack is configured for a run. */
export interface ChaosStackOptions {
  /** Where the Temporal database, the sandbox state, the credentials and every process's log go. */
  dir: string;
  /** The sandbox's time scale (chain and webhook retry delays are divided by it). */
  timeScale: number;
  /** The app's replay window: a delivery older than this is refused (short, so stale replays are quick to make). */
  webhookToleranceSeconds: number;
  /** Told about each part once it is up. */
  progress: (message: string) => void;
}

/** The real stack, each part its own process on 127.0.0.1, with the knobs chaos pulls. */
export interface ChaosStack {
  appUrl: string;
  /** The Temporal dev server's gRPC address. */
  temporalAddress: string;
  /** The workflow bundle every worker of the run loads. */
  workflowBundlePath: string;
  /** The payload codec's keys file the worker and the app share (histories replay through it). */
  codecKeysFile: string;
  sandboxUrl: string;
  apiKey: string;
  walletId: string;
  network: string;
  /** `kill -9` the worker; the supervisor starts a new one after `pauseMs`. */
  killWorker(pauseMs: number): Promise<void>;
  /** Stops the Temporal dev server, waits `pauseMs`, starts it again on the same database and port. */
  restartTemporal(pauseMs: number): Promise<void>;
  /** How often the worker was started after its first start (kills and crashes). */
  workerRestarts(): number;
  /** Resolves once the current worker is running (at once when it is); waits across supervisor restarts. */
  workerRunning(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Starts Temporal (a dev server on a SQLite file, so a restart keeps every workflow), the Dfns sandbox, the worker and
 * the app (bridge + payments API) as separate processes, as `npm run dev` does, on free loopback ports.
 */
export async function startChaosStack(options: ChaosStackOptions): Promise<ChaosStack> {
  const { dir } = options;
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const children: Child[] = [];
  const [temporalPort, sandboxPort, appPort] = [await freePort(), await freePort(), await freePort()];
  const temporalAddress = `${HOST}:${temporalPort}`;
  const appUrl = `http://${HOST}:${appPort}`;
  const credentialsFile = join(dir, 'dfns-sandbox.json');
  const taskQueue = 'chaos-payments';
  let stopping = false;

  const temporalCli = temporalCliPath();
  const temporalArgs = [
    ...['server', 'start-dev', '--db-filename', join(dir, 'temporal.db'), '--headless'],
    ...['--ip', HOST, '--port', String(temporalPort), '--log-level', 'error'],
    ...PAYMENT_SEARCH_ATTRIBUTES.flatMap((key) => [
      '--search-attribute',
      `${key.name}=${searchAttributeTypeName(key.type)}`,
    ]),
  ];
  const startTemporal = async () => {
    const child = startChild(logDir, 'temporal', temporalCli, temporalArgs, {});
    children.push(child);
    await waitFor('the Temporal dev server', () => portOpen(HOST, temporalPort));
    return child;
  };
  let temporal = await startTemporal();
  options.progress(`Temporal dev server on ${temporalAddress}`);

  const sandbox = startChild(logDir, 'sandbox', process.execPath, ['--import', 'tsx', 'sandbox/src/main.ts'], {
    SANDBOX_HOST: HOST,
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_STATE_FILE: join(dir, 'sandbox-state.json'),
    SANDBOX_CREDENTIALS_FILE: credentialsFile,
    SANDBOX_WEBHOOK_URL: `${appUrl}/webhooks/dfns`,
    SANDBOX_TIME_SCALE: String(options.timeScale),
    // The product's own Dfns budget is what is exercised; 429s come from the fault knobs, at a known rate.
    SANDBOX_RATE_LIMIT_PER_MINUTE: '0',
  });
  children.push(sandbox);
  const bundling = paymentWorkflowBundle();
  bundling.catch(() => undefined); // awaited below, once the sandbox is up
  const sandboxUrl = `http://${HOST}:${sandboxPort}`;
  // It listens first, then writes the credentials (atomically).
  await waitFor('the Dfns sandbox', async () => existsSync(credentialsFile) && httpOk(`${sandboxUrl}/_sandbox/health`));
  const credentials = readCredentialsFile(credentialsFile, 'sandbox credentials');
  options.progress(`Dfns sandbox on ${sandboxUrl}`);

  // Bundled once, as the image does: a restarted worker loads it instead of bundling again (seconds on 2 cores). The
  // tests' shared bundle for these sources, built while the sandbox starts when there is none yet.
  const bundle = (await bundling).codePath;
  options.progress(`workflow bundle ${bundle}`);

  // Payloads encrypted as a deployment runs them: one key for the run, shared by the worker and the app.
  const codecKeysFile = join(dir, 'codec-keys');
  writeFileSync(codecKeysFile, `chaos ${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  // The chaos client pays from the sandbox's wallets: bound to it in the clients file the worker and the app read.
  const clientsFile = join(dir, 'clients.json');
  const walletIds = [credentials.walletId, ...credentials.wallets.map((wallet) => wallet.walletId)];
  writeSandboxClientsFile(clientsFile, { clientIds: [CHAOS_CLIENT], walletIds, withoutClient: false });
  const common = {
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    DFNS_CREDENTIALS_FILE: credentialsFile,
    TEMPORAL_CODEC_KEYS_FILE: codecKeysFile,
    PAYMENT_CLIENTS_FILE: clientsFile,
  };
  let workerStarts = 0;
  let worker: Child | undefined;
  const startWorker = () => {
    workerStarts += 1;
    const child = startChild(
      logDir,
      'worker',
      process.execPath,
      ['--import', 'tsx', 'src/worker.ts'],
      {
        ...common,
        WORKER_METRICS_ADDRESS: `${HOST}:0`,
        DFNS_REQUESTS_PER_MINUTE: '9000',
        TEMPORAL_WORKFLOW_BUNDLE_PATH: bundle,
      },
      /"msg":"worker running"/,
    );
    children.push(child);
    worker = child;
    // Supervised, as a container platform would: whatever ends it (kill -9, Temporal gone), a new one starts.
    void child.exited.then(async () => {
      if (stopping) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (!stopping && worker === child) startWorker();
    });
    return child;
  };
  const firstWorker = startWorker();
  // The app starts while the worker does: it needs Temporal, not the worker.
  const { key, entry } = mintApiKey(CHAOS_CLIENT, ['payments:write', 'payments:read']);
  const app = startChild(logDir, 'app', process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    ...common,
    APP_HOST: HOST,
    APP_PORT: String(appPort),
    APP_METRICS_ADDRESS: `${HOST}:0`,
    API_KEY_ENTRY: entry,
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    // A payment that hears nothing reads Dfns after 60 s of silence and then every 60 s, not backing off to 10 min as
    // in production: a payment whose reads land in a fault (a restart, an injected error) needs a third or fourth
    // read, and with the backoff the fourth would come 7 min after the first, past the run's bound.
    PAYMENT_MAX_POLL_INTERVAL_SECONDS: '60',
    WEBHOOK_TOLERANCE_SECONDS: String(options.webhookToleranceSeconds),
    LOG_LEVEL: 'warn',
  });
  children.push(app);
  await Promise.race([
    firstWorker.ready,
    firstWorker.exited.then(() => Promise.reject(new Error(`the worker exited; see ${logDir}/worker.log`))),
  ]);
  options.progress('worker running');
  await waitFor('the app', () => httpOk(`${appUrl}/healthz`));
  options.progress(`app (bridge + payments API) on ${appUrl}`);

  return {
    appUrl,
    temporalAddress,
    workflowBundlePath: bundle,
    codecKeysFile,
    sandboxUrl,
    apiKey: key,
    walletId: credentials.walletId,
    network: typeof credentials.network === 'string' ? credentials.network : 'EthereumSepolia',
    async killWorker(pauseMs) {
      const current = worker;
      if (!current || !running(current)) return;
      worker = undefined; // the supervisor leaves this one alone; a new one starts after the pause
      await killChild(current);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      if (!stopping) startWorker();
    },
    async restartTemporal(pauseMs) {
      await stopChild(temporal);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      if (stopping) return;
      temporal = await startTemporal();
    },
    workerRestarts: () => workerStarts - 1,
    async workerRunning(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && !stopping) {
        const current = worker;
        if (current && running(current)) {
          const ready = await Promise.race([
            current.ready.then(() => true),
            current.exited.then(() => false),
            new Promise<false>((resolve) => setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))),
          ]);
          if (ready) return true;
        } else await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return false;
    },
    async stop() {
      stopping = true;
      // Newest first: the app and the worker before the sandbox and Temporal they talk to.
      for (const child of [...children].reverse()) await stopChild(child);
    },
  };
}
