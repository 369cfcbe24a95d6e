import type { Connection } from '@temporalio/client';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config';
import {
  connectTemporalClient,
  temporalConnectionOptions,
  type TemporalConnectionOptions,
} from '../../src/temporal/connection';
import { missingSearchAttributes } from '../../src/temporal/search-attribute-registry';
import { freePort } from './free-port';
import { temporalCliPath } from './temporal-cli';
import { composeConfig, mountedEnvironment } from './compose';
import type { DeploymentCertificates } from './test-certificates';

const root = fileURLToPath(new URL('../..', import.meta.url));
const NAMESPACE = 'default';

/**
 * A real Temporal server (the production config in deploy/temporal) on a throwaway PostgreSQL, with mTLS required as
 * docker-compose.yml configures it.
 */
export interface PostgresTemporal {
  address: string;
  namespace: string;
  /** The variables a process of ours needs to reach it (address, namespace, client certificate, CA, server name). */
  clientEnv: Record<string, string>;
  /** The same, as the connection factory turns them into options. */
  connectionOptions: TemporalConnectionOptions;
  /** The variables the admin certificate's holder uses (compose's temporal-namespace and temporal-admin). */
  adminEnv: Record<string, string>;
  /** Stops the server (SIGTERM, as an orchestrator would) and starts it again on the same database. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

type ServerBinaries = Record<'TEMPORAL_SERVER_PATH' | 'TEMPORAL_SQL_TOOL_PATH' | 'TEMPORAL_SCHEMA_DIR', string>;

/** The server binaries from the project's build script (cached, or built with go install: it never skips). */
export function serverBinaries(): ServerBinaries {
  const script = join(root, 'scripts/temporal-server.sh');
  const out = execFileSync(script, { stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  const pairs = Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2)),
  );
  for (const name of ['TEMPORAL_SERVER_PATH', 'TEMPORAL_SQL_TOOL_PATH', 'TEMPORAL_SCHEMA_DIR']) {
    if (!pairs[name]) throw new Error(`scripts/temporal-server.sh printed no ${name}:\n${out}`);
  }
  return pairs;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The TEMPORAL_TLS_* settings docker-compose.yml gives a service, with the deployment's certificate files. */
function composeTls(service: string, certs: DeploymentCertificates): Record<string, string> {
  const compose = composeConfig(['docker-compose.yml'], {
    DFNS_CRED_ID: 'postgres-suite',
    SECRETS_DIR: certs.secretsDir,
  });
  const env = mountedEnvironment(compose, service);
  return Object.fromEntries(Object.entries(env).filter(([name, value]) => name.startsWith('TEMPORAL_TLS_') && value));
}

/**
 * Starts PostgreSQL, creates Temporal's schemas with temporal-sql-tool, starts the server from
 * deploy/temporal/config/production.yaml with the TLS settings docker-compose.yml gives it (mTLS required) and the
 * deployment's certificates, and registers the namespace and the payment search attributes with compose's one-shot
 * script and certificate. Throws (failing the suite) with the server's log when any of it cannot start.
 */
export async function startPostgresTemporal(certs: DeploymentCertificates): Promise<PostgresTemporal> {
  const binaries = serverBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'payments-pg-temporal-'));
  const taken = new Set<number>();
  const port = async () => {
    const p = await freePort(taken);
    taken.add(p);
    return p;
  };
  const pgPort = await port();
  execFileSync(join(root, 'scripts/postgres-temporal.sh'), ['start', dir, String(pgPort)], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...binaries },
  });
  const grpc = await port();
  const http = await port();
  const serverEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    POSTGRES_SEEDS: '127.0.0.1',
    DB_PORT: String(pgPort),
    POSTGRES_USER: 'temporal',
    POSTGRES_PWD: 'trusted-on-loopback',
    NUM_HISTORY_SHARDS: '4',
    SQL_MAX_CONNS: '10',
    LOG_LEVEL: 'warn',
    BIND_ON_IP: '127.0.0.1',
    FRONTEND_GRPC_PORT: String(grpc),
    FRONTEND_HTTP_PORT: String(http),
    FRONTEND_MEMBERSHIP_PORT: String(await port()),
    HISTORY_GRPC_PORT: String(await port()),
    HISTORY_MEMBERSHIP_PORT: String(await port()),
    MATCHING_GRPC_PORT: String(await port()),
    MATCHING_MEMBERSHIP_PORT: String(await port()),
    WORKER_GRPC_PORT: String(await port()),
    WORKER_MEMBERSHIP_PORT: String(await port()),
    DYNAMIC_CONFIG_FILE_PATH: join(root, 'deploy/temporal/dynamicconfig/production.yaml'),
    ...composeTls('temporal', certs),
  };
  const address = `127.0.0.1:${grpc}`;
  // Our processes connect as compose's worker does (its certificate), the setup as compose's one-shot (admin).
  const clientEnv: Record<string, string> = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: NAMESPACE,
    ...composeTls('worker', certs),
  };
  const adminEnv: Record<string, string> = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: NAMESPACE,
    ...composeTls('temporal-namespace', certs),
  };
  for (const [name, env] of Object.entries({ server: serverEnv, worker: clientEnv, admin: adminEnv })) {
    if (!Object.keys(env).some((key) => key.startsWith('TEMPORAL_TLS_'))) {
      throw new Error(`docker-compose.yml gives the ${name} no TLS settings`);
    }
  }
  const config = loadConfig(clientEnv);
  const logFile = join(dir, 'temporal-server.log');
  const log = () => readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
  let server: ChildProcess | undefined;
  let exited: Promise<number | null> = Promise.resolve(null);

  const launch = async (): Promise<void> => {
    const out = openSync(logFile, 'a');
    const args = ['--root', join(root, 'deploy/temporal'), '--config', 'config', '--env', 'production'].concat([
      '--allow-no-auth',
      'start',
    ]);
    const child = spawn(binaries.TEMPORAL_SERVER_PATH, args, { env: serverEnv, stdio: ['ignore', out, out] });
    closeSync(out); // the child holds its own copy
    server = child;
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    let dead = false;
    void exited.then(() => (dead = true));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (dead) throw new Error(`the Temporal server exited during start-up:\n${log()}`);
      try {
        const connection = await connectTemporalClient(config, '2s');
        await connection.close();
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`the Temporal server did not answer within 60 s (${String(error)}):\n${log()}`);
        }
        await sleep(250);
      }
    }
  };
  const halt = async (): Promise<void> => {
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    server.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 20_000)));
    const stopped = await Promise.race([exited.then(() => true), timedOut]);
    clearTimeout(timer);
    if (!stopped) {
      server.kill('SIGKILL');
      await exited;
    }
  };

  try {
    await launch();
    // The namespace and search attributes are set up by the script docker-compose runs, with the same variables.
    execFileSync('sh', [join(root, 'deploy/temporal/setup-namespace.sh')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { PATH: `${dirname(temporalCliPath())}:${process.env.PATH ?? ''}`, HOME: dir, ...adminEnv },
      timeout: 120_000,
    });
    const connection = await connectTemporalClient(config);
    try {
      await waitForNamespace(connection);
      const missing = await missingSearchAttributes(connection.operatorService, NAMESPACE);
      if (missing.length > 0) {
        throw new Error(`deploy/temporal/setup-namespace.sh did not register ${missing.join(', ')}`);
      }
    } finally {
      await connection.close();
    }
    // Each service caches search attributes for a minute (production config: no forced refresh on read), so a
    // payment upserting PaymentStatus now could fail its first workflow tasks. A restart reads them fresh.
    await halt();
    await launch();
  } catch (error) {
    await halt();
    execFileSync(join(root, 'scripts/postgres-temporal.sh'), ['stop', dir], { stdio: 'ignore' });
    throw error;
  }

  return {
    address,
    namespace: NAMESPACE,
    clientEnv,
    adminEnv,
    connectionOptions: temporalConnectionOptions(config),
    async restart() {
      await halt();
      await launch();
    },
    async stop() {
      await halt();
      execFileSync(join(root, 'scripts/postgres-temporal.sh'), ['stop', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until the history service knows the new namespace too (its namespace cache refreshes on a timer), by
 * starting and terminating a probe workflow: a payment started earlier would be refused.
 */
async function waitForNamespace(connection: Connection): Promise<void> {
  const service = connection.workflowService;
  const deadline = Date.now() + 30_000;
  for (let probe = 0; ; probe++) {
    try {
      const workflowId = `namespace-probe-${probe}`;
      await service.startWorkflowExecution({
        namespace: NAMESPACE,
        workflowId,
        workflowType: { name: 'probe' },
        taskQueue: { name: 'namespace-probe' },
        requestId: `${workflowId}-${Date.now()}`,
      });
      await service.terminateWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId } });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`namespace ${NAMESPACE} is not usable after 30 s: ${String(error)}`);
      await sleep(500);
    }
  }
}
