import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * Starts one of our entry points with the stack's Temporal and Dfns settings plus `env`: a TypeScript source under
 * tsx, or compiled JavaScript from dist/ (npm run build) with plain node, as the image runs it.
 */
export function startOurProcess(
  stack: PaymentStack,
  entry: string,
  args: string[] = [],
  env: Record<string, string> = {},
): OurProcess {
  const b = stack.sandbox.bootstrap;
  const runner = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  if (!entry.endsWith('.ts') && !existsSync(join(root, entry))) throw new Error(`no ${entry}: run npm run build first`);
  const child = spawn(process.execPath, [...runner, entry, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...stack.temporalEnv,
      ...stack.bindingsEnv,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      // Any free port: the default (9464) may belong to a developer's running worker.
      WORKER_METRICS_ADDRESS: '127.0.0.1:0',
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

/**
 * The real worker as its own process, from source or (compiled) as the image runs it: dist/worker.js with the
 * prebuilt workflow bundle, with `env` over the stack's variables. Resolves once it logs that it is running.
 */
export async function startWorkerProcess(
  stack: PaymentStack,
  options: { compiled?: boolean; env?: Record<string, string> } = {},
): Promise<OurProcess> {
  const timeoutMs = 60_000;
  const env = options.env ?? {};
  const worker = options.compiled
    ? startOurProcess(stack, 'dist/worker.js', [], {
        TEMPORAL_WORKFLOW_BUNDLE_PATH: join(root, 'dist/workflow-bundle.js'),
        ...env,
      })
    : startOurProcess(stack, 'src/worker.ts', [], env);
  const deadline = Date.now() + timeoutMs;
  while (!worker.output().includes('"msg":"worker running"')) {
    if (worker.child.exitCode !== null) {
      throw new Error(`the worker exited (${worker.child.exitCode}):\n${worker.output()}`);
    }
    if (Date.now() > deadline) throw new Error(`the worker did not start within ${timeoutMs} ms:\n${worker.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return worker;
}
