import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WORKER_MALLOC_ARENAS } from '../../src/worker-launch';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';
import { descendants, processArguments, processEnvironment } from '../support/process-tree';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

/** A worker started from source with no memory flags, in a process group of its own (so a test can signal the group). */
interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The worker started with no memory flags from outside: `node --import tsx src/worker.ts` with only the stack's
 * settings in its environment (no NODE_OPTIONS, no MALLOC_ARENA_MAX), as a user would outside the image. `npm run
 * worker` runs the same entry point compiled (`node dist/worker.js`), which relaunches itself the same way.
 */
describe('the worker sets its own memory limits (src/worker.ts relaunches itself)', { timeout: 300_000 }, () => {
  let stack: PaymentStack;
  const started: Started[] = [];
  before(async () => {
    stack = await startPaymentStack({ timeScale: 10, inProcessWorker: false });
  });
  after(async () => {
    for (const { child } of started) {
      if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    }
    await stack?.stop();
  });

  function startWorker(env: Record<string, string> = {}): Started {
    const b = stack.sandbox.bootstrap;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...stack.temporalEnv,
        TEMPORAL_TASK_QUEUE: stack.taskQueue,
        WORKER_METRICS_ADDRESS: '127.0.0.1:0',
        DFNS_BASE_URL: stack.sandbox.url,
        DFNS_ORG_ID: b.orgId,
        DFNS_AUTH_TOKEN: b.authToken,
        DFNS_CRED_ID: b.credId,
        DFNS_PRIVATE_KEY: b.privateKey,
        LOG_LEVEL: 'info',
        ...stack.bindingsEnv,
        ...env,
      },
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const worker = { child, output: () => output, exited };
    started.push(worker);
    return worker;
  }

  /** The "worker running" log line, once it is written (bounded). */
  async function running(worker: Started): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const line = worker
        .output()
        .split('\n')
        .find((l) => l.includes('"msg":"worker running"'));
      if (line) return JSON.parse(line) as Record<string, unknown>;
      if (worker.child.exitCode !== null) throw new Error(`the worker exited:\n${worker.output()}`);
      if (Date.now() > deadline) throw new Error(`the worker is not running after 120 s:\n${worker.output()}`);
      await sleep(200);
    }
  }

  async function pays(key: string): Promise<void> {
    const { paymentId } = await stack.client.start({
      idempotencyKey: `${key}-${Date.now()}`,
      walletId: stack.sandbox.bootstrap.walletId,
      network: 'EthereumSepolia',
      asset: { kind: 'Native' },
      to: RECIPIENT,
      amount: '1000',
    });
    assert.equal((await stack.client.waitForOutcome(paymentId)).status, 'Confirmed');
  }

  /** The worker processes `launcher` started (tsx may run its compiler beside them, which is not one). */
  const workersOf = (launcher: number) =>
    descendants(launcher).filter((pid) => processArguments(pid).some((arg) => arg.endsWith('src/worker.ts')));

  async function gone(pid: number): Promise<boolean> {
    for (let i = 0; i < 300 && existsSync(`/proc/${pid}`); i++) await sleep(100);
    return !existsSync(`/proc/${pid}`);
  }

  it('starts itself again with the main heap limit and two malloc arenas, pays, and stops on SIGTERM', async () => {
    const worker = startWorker();
    const line = await running(worker);
    const launcher = worker.child.pid!;
    const [relaunched, ...others] = workersOf(launcher);
    assert.ok(relaunched, 'the launcher started the worker');
    assert.deepEqual(others, [], 'one worker process (the workflows were bundled in one that has ended)');
    assert.ok(
      processArguments(relaunched).includes('--max-old-space-size=256'),
      processArguments(relaunched).join(' '),
    );
    const env = processEnvironment(relaunched);
    assert.equal(env.MALLOC_ARENA_MAX, String(WORKER_MALLOC_ARENAS));
    assert.equal(env.WORKER_RELAUNCHED, '1');
    assert.equal(line.pid, relaunched, 'the worker logs from the process it started');
    assert.deepEqual(line.launch, { relaunched: true, mainHeapMiB: 256, heapLimitFrom: 'WORKER_MEMORY_MIB' });
    assert.equal(line.workflows, 'bundled at start-up, in a process of its own');
    // V8's limit: the old space asked for plus the young generation.
    const heap = line.mainHeapMiB as number;
    assert.ok(heap >= 256 && heap < 400, `main heap limit ${heap} MiB`);
    await pays('relaunched');

    worker.child.kill('SIGTERM');
    assert.deepEqual(await worker.exited, { code: 0, signal: null }, worker.output());
    assert.ok(await gone(relaunched), 'the worker ended with the launcher');
    assert.match(worker.output(), /"msg":"worker stopped"/, 'it shut down gracefully');
  });

  it('keeps the limits an operator gave it, and then runs in one process', async () => {
    const worker = startWorker({ NODE_OPTIONS: '--max-old-space-size=300', MALLOC_ARENA_MAX: '4' });
    const line = await running(worker);
    assert.deepEqual(workersOf(worker.child.pid!), [], 'no second worker process');
    assert.equal(line.pid, worker.child.pid);
    assert.deepEqual(line.launch, { relaunched: false, mainHeapMiB: 300, heapLimitFrom: 'operator' });
    assert.ok((line.mainHeapMiB as number) >= 300, `main heap limit ${String(line.mainHeapMiB)} MiB`);
    worker.child.kill('SIGTERM');
    assert.deepEqual(await worker.exited, { code: 0, signal: null }, worker.output());
  });

  it('stops gracefully once when a Ctrl-C reaches the whole process group (the worker sees it twice)', async () => {
    const worker = startWorker();
    await running(worker);
    const [relaunched] = workersOf(worker.child.pid!);
    assert.ok(relaunched);
    process.kill(-worker.child.pid!, 'SIGINT'); // the terminal signals the group: launcher and worker alike
    assert.deepEqual(await worker.exited, { code: 0, signal: null }, worker.output());
    assert.ok(await gone(relaunched));
    assert.match(worker.output(), /"msg":"worker stopped"/);
  });

  it('leaves no worker behind when the launcher is killed outright', async () => {
    const worker = startWorker();
    await running(worker);
    const [relaunched] = workersOf(worker.child.pid!);
    assert.ok(relaunched);
    worker.child.kill('SIGKILL');
    await worker.exited;
    assert.ok(await gone(relaunched), 'the worker shut down when its launcher died');
  });

  it("ends with the worker's exit code and message when the worker cannot start", async () => {
    const worker = startWorker({ TEMPORAL_WORKFLOW_BUNDLE_PATH: '/nonexistent/workflow-bundle.js' });
    assert.deepEqual(await worker.exited, { code: 1, signal: null });
    assert.match(worker.output(), /TEMPORAL_WORKFLOW_BUNDLE_PATH: no file at \/nonexistent\/workflow-bundle\.js/);
  });
});
