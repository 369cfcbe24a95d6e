import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { childEnvironment, type Config } from './config';
import { mainHeapMiB } from './temporal/workflow-cache';

/**
 * The limits the worker process must be started with, because nothing can set them once it runs: V8 sizes the main
 * thread's heap when the process starts (`--max-old-space-size`), and glibc reads MALLOC_ARENA_MAX at its first
 * allocation. The image sets both (Dockerfile); a worker started any other way (`npm run worker`,
 * `node dist/worker.js`, systemd, a PaaS) starts itself again with them (relaunchWithLimits).
 */
export interface WorkerLaunch {
  /** Node flags the worker still needs: the main heap limit, unless the operator gave one. */
  nodeFlags: string[];
  /** Environment the worker still needs: MALLOC_ARENA_MAX, unless the operator set it. */
  env: Record<string, string>;
  /** The main thread's heap limit the worker runs with, MiB: the operator's, else derived from WORKER_MEMORY_MIB. */
  mainHeapMiB: number;
  /** Whether the operator gave the heap limit (NODE_OPTIONS or node's own flags). */
  operatorHeapLimit: boolean;
}

/** glibc's arenas for the worker: two instead of eight per core, about 30 MiB less RSS (docs/benchmarks.md, "Worker memory"). */
export const WORKER_MALLOC_ARENAS = 2;

const HEAP_FLAG = /(?:^|\s)--max[-_]old[-_]space[-_]size=(\d+)/;

/**
 * What `execArgv` (node's own flags) and the configuration leave for the worker to set. In the worker relaunched with
 * them, the flag relaunchWithLimits added last to node's flags is its own, not the operator's.
 */
export function workerLaunch(
  config: Pick<Config, 'WORKER_MEMORY_MIB' | 'NODE_OPTIONS' | 'MALLOC_ARENA_MAX' | 'WORKER_RELAUNCHED'>,
  execArgv: readonly string[],
): WorkerLaunch {
  const own = `--max-old-space-size=${mainHeapMiB(config.WORKER_MEMORY_MIB)}`;
  const operators = config.WORKER_RELAUNCHED === '1' && execArgv.at(-1) === own ? execArgv.slice(0, -1) : execArgv;
  const given = HEAP_FLAG.exec(operators.join(' ')) ?? HEAP_FLAG.exec(config.NODE_OPTIONS ?? '');
  const heap = given ? Number(given[1]) : mainHeapMiB(config.WORKER_MEMORY_MIB);
  return {
    nodeFlags: given ? [] : [own],
    env: config.MALLOC_ARENA_MAX === undefined ? { MALLOC_ARENA_MAX: String(WORKER_MALLOC_ARENAS) } : {},
    mainHeapMiB: heap,
    operatorHeapLimit: given !== null,
  };
}

/** Whether the process must be started again to get what `launch` asks for. */
export const needsRelaunch = (launch: WorkerLaunch): boolean =>
  launch.nodeFlags.length > 0 || Object.keys(launch.env).length > 0;

/** Signals that end the launcher the way they ended the worker. */
const RERAISED: NodeJS.Signals[] = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP'];

/** The signals the Temporal runtime shuts a worker down on (its default shutdownSignals). */
const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR2'];

/**
 * Starts this same script again, with node's flags and arguments, plus `launch`'s flags and environment and the
 * WORKER_RELAUNCHED mark (the started worker never relaunches). This process then only waits: it passes every
 * shutdown signal on, and ends as the worker ends, with its exit code or by its signal. Its own memory is a bare
 * Node process's (no Temporal, no Dfns SDK loaded), and it holds none of the worker's.
 */
export function relaunchWithLimits(launch: WorkerLaunch): void {
  const args = [...process.execArgv, ...launch.nodeFlags, ...process.argv.slice(1)];
  const env = childEnvironment({ ...launch.env, WORKER_RELAUNCHED: '1' });
  // The IPC channel only tells the worker if this process dies without passing a signal on (SIGKILL): it then
  // shuts down as on SIGTERM rather than run on unsupervised.
  const worker = spawn(process.execPath, args, { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env });
  const forward = (signal: NodeJS.Signals) => worker.kill(signal);
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, forward);
  worker.once('error', (error) => {
    process.stderr.write(`worker: cannot start ${process.execPath}: ${error.message}\n`);
    process.exit(1);
  });
  worker.once('exit', (code, signal) => {
    for (const each of SHUTDOWN_SIGNALS) process.off(each, forward);
    if (signal === null) process.exit(code ?? 1);
    // Stopped by a signal (the OOM killer's SIGKILL, say): stop by the same one, so that whoever started this process
    // sees what happened to the worker; the exit code says it otherwise (a crash's signal would dump this process).
    if (RERAISED.includes(signal)) process.kill(process.pid, signal);
    process.exit(128 + (constants.signals[signal] ?? 0));
  });
}

/**
 * For the worker that relaunchWithLimits started: a terminal's Ctrl-C or systemd's stop signals the whole process
 * group, and the launcher passes the same signal on, so the worker can get each signal twice. The Temporal runtime
 * shuts down on the first and then leaves the signal's default (exit) in place; a second copy within
 * DUPLICATE_WINDOW_MS is ignored instead, so it cannot cut the graceful shutdown short. A signal no other listener
 * handles (before the runtime is installed, or a later one) keeps its default. And if the launcher dies (SIGKILL),
 * the worker shuts down as on SIGTERM.
 */
export function superviseRelaunchedWorker(): void {
  const seen = new Map<NodeJS.Signals, number>();
  for (const signal of SHUTDOWN_SIGNALS) {
    const listener = () => {
      const last = seen.get(signal);
      const now = Date.now();
      if (last !== undefined && now - last < DUPLICATE_WINDOW_MS) return;
      seen.set(signal, now);
      if (process.listenerCount(signal) > 1) return; // the Temporal runtime's handler shuts the worker down
      process.off(signal, listener);
      process.kill(process.pid, signal);
    };
    process.on(signal, listener);
  }
  process.channel?.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

const DUPLICATE_WINDOW_MS = 2_000;
