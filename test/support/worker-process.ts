import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PaymentStack } from './payment-stack';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A process of ours, started from its real entry point and configured for the stack through the environment only. */
export interface OurProcess {
  child: ChildProcess;
  /** What it wrote so far, stdout then stderr (its JSON log lines), for assertions and failure messages. */
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `node --import tsx <entry> ...args` with the stack's Temporal and Dfns settings plus `env`. */
export function startOurProcess(stack: PaymentStack, entry: string, args: string[] = [], env: Record<string, string> = {}): OurProcess {
  const b = stack.sandbox.bootstrap;
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...stack.temporalEnv,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      DFNS_BASE_URL: stack.sandbox.url,
      DFNS_ORG_ID: b.orgId,
      DFNS_AUTH_TOKEN: b.authToken,
      DFNS_CRED_ID: b.credId,
      DFNS_PRIVATE_KEY: b.privateKey,
      DFNS_WALLET_ID: b.walletId,
      ...env,
    },
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output: () => `${stdout}${stderr}`, exited };
}

/** The real worker (src/worker.ts) as its own process; resolves once it logs that it is running. */
export async function startWorkerProcess(stack: PaymentStack, timeoutMs = 60_000): Promise<OurProcess> {
  const worker = startOurProcess(stack, 'src/worker.ts');
  const deadline = Date.now() + timeoutMs;
  while (!worker.output().includes('"message":"worker running"')) {
    if (worker.child.exitCode !== null) throw new Error(`the worker exited (${worker.child.exitCode}):\n${worker.output()}`);
    if (Date.now() > deadline) throw new Error(`the worker did not start within ${timeoutMs} ms:\n${worker.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return worker;
}
