// The benchmark's child processes: each writes its output to a file (the bench never buffers it, so reading logs
// costs the measured run nothing), can be waited on for a log line, and reports its CPU time from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnvironment } from '../src/config';
import { descendants, killTree } from '../test/support/process-tree';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** One process the bench started: its pid, its log file, and what it has printed so far. */
export interface BenchProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `command` in the repository root with the environment plus `env`; stdout and stderr go to `<dir>/<name>.log`. */
export function startProcess(
  dir: string,
  name: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): BenchProcess {
  const logFile = join(dir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { cwd: ROOT, env: childEnvironment(env), stdio: ['ignore', fd, fd] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    logFile,
    output: () => readFileSync(logFile, 'utf8'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // With what it started too (a worker's launcher passes SIGTERM on; its worker is its child).
      const timer = setTimeout(() => killTree(child.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A node entry point of this repository, under tsx, with extra Node flags (e.g. --cpu-prof) first. */
export const startNode = (
  dir: string,
  name: string,
  entry: string,
  env: Record<string, string>,
  args: string[] = [],
  nodeFlags: string[] = [],
) => startProcess(dir, name, process.execPath, [...nodeFlags, '--import', 'tsx', entry, ...args], env);

/** Polls until `check` holds; throws after `timeoutMs`, or at once if `process` has exited. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  process?: BenchProcess,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (process && process.child.exitCode !== null) {
      throw new Error(
        `${process.name} exited (${process.child.exitCode}) while waiting for ${what}; see ${process.logFile}`,
      );
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits for a line of the process's output matching `pattern`. */
export const waitForLine = (process: BenchProcess, pattern: RegExp) =>
  waitFor(`${process.name} to print ${pattern}`, () => pattern.test(process.output()), process);

/** Whether something listens on host:port. */
export const portOpen = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host, port }, () => (socket.end(), resolve(true)));
    socket.on('error', () => resolve(false));
  });

/**
 * CPU seconds (user + system) a process and the processes it runs have used so far (a worker that started itself
 * again with its limits runs as the launcher's child), from /proc/<pid>/stat; 0 for what cannot be read.
 */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  return [pid, ...descendants(pid)].reduce((sum, each) => sum + ownCpuSeconds(each), 0);
}

function ownCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** USER_HZ: 100 on every Linux the project runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;
