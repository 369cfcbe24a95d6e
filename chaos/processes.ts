import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnvironment } from '../src/config';
import { killTree } from '../test/support/process-tree';

/** The repository root: every process runs from there. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** One child process whose output goes to `<logDir>/<name>.log` (appended across restarts). */
export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<void>;
  /** Resolves when the child prints a line matching `readyPattern` (never, without one). */
  ready: Promise<void>;
}

const everyChild = new Set<Child>();

/** `kill -9` every child still running: the last resort when the run itself is interrupted or fails to start. */
export function killEveryChild(): void {
  for (const child of everyChild) if (running(child)) killTree(child.process.pid, 'SIGKILL');
}

/** Starts a child with the current environment plus `env`; its output is appended to its log file. */
export function startChild(
  logDir: string,
  name: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  readyPattern?: RegExp,
): Child {
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(command, args, { cwd: ROOT, env: childEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  void exited.then(() => log.end());
  const ready = new Promise<void>((resolve) => {
    if (!readyPattern) return;
    let seen = '';
    // Either stream: our processes log JSON lines to stderr.
    const watch = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4096);
      if (!readyPattern.test(seen)) return;
      child.stdout.off('data', watch);
      child.stderr.off('data', watch);
      resolve();
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
  });
  const started: Child = { name, process: child, exited, ready };
  everyChild.add(started);
  void exited.then(() => everyChild.delete(started));
  return started;
}

/** True while the child has neither exited nor been killed. */
export const running = (child: Child) => child.process.exitCode === null && child.process.signalCode === null;

/** Stops a child: SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopChild(child: Child, graceMs = 10_000): Promise<void> {
  if (!running(child)) return child.exited;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => killTree(child.process.pid, 'SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

/** Kills a child at once (`kill -9`), with every process it started, and waits for it to be gone. */
export async function killChild(child: Child): Promise<void> {
  if (running(child)) killTree(child.process.pid, 'SIGKILL');
  await child.exited;
}

/** Polls `check` every 200 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Whether something accepts TCP connections on host:port. */
export const portOpen = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host, port }, () => (socket.end(), resolve(true)));
    socket.on('error', () => resolve(false));
  });

/** Whether a GET answers 2xx. */
export const httpOk = async (url: string) => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
};
