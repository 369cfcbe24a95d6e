// Worker memory with payments parked on approval, beside a bare workflow of the same shape, in one run; then the
// resume latency of parked workflows woken by their approval (replay included once the cache is smaller than N).
// Usage: npm run bench:memory -- [--n 1000,10000] [--wake 1000] [--memory-mib 512] [--json]
// Starts its own Temporal dev server, Dfns sandbox and bridge (test/support/payment-stack.ts); each worker is its
// own process, measured from /proc/<pid>/status. Prints a table, or with --json one JSON object as the last line of
// stdout (progress goes to stderr).
import { DfnsApiClient } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { spawn } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runMain } from '../src/run-main';
import { WORKFLOWS_PATH } from '../src/temporal/payment-worker';
import { workflowCacheSize } from '../src/temporal/workflow-cache';
import { startPaymentStack, type PaymentStack } from '../test/support/payment-stack';
import { startOurProcess, type OurProcess } from '../test/support/worker-process';
import { bareUpdateSignal } from './bare-workflow';
import { resumeLatencies, type Woken } from './resume-latency';
import { percentile, settledRssMiB } from './process-memory';

const root = fileURLToPath(new URL('..', import.meta.url));
const MAX_N = 20_000;
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

/** What one kind of worker measured. */
interface KindResult {
  taskQueue: string;
  idleRssMiB: number;
  /** RSS at each checkpoint (parked count → MiB). */
  rssMiB: Record<string, number>;
  /** (RSS at the first checkpoint − RSS at the warm-up) / cached workflows added between them. */
  perCachedMiB: number;
  resume: { woken: number; p50: number; p95: number; p99: number; max: number };
  handling: { p50: number; p95: number; p99: number };
  endToEnd: { p50: number; p95: number; p99: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `count` calls with at most `width` in flight. */
async function pool(count: number, width: number, call: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await call(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, lane));
}

async function countWhere(client: Client, query: string): Promise<number> {
  return (await client.workflow.count(query)).count;
}

/** Waits (bounded) until `query` counts `target` workflows; throws with the last count otherwise. */
async function untilCount(client: Client, query: string, target: number, what: string): Promise<void> {
  const deadline = Date.now() + 30 * 60_000;
  let seen = -1;
  while ((seen = await countWhere(client, query)) < target) {
    if (Date.now() > deadline) throw new Error(`${what}: ${seen} of ${target} after 30 minutes`);
    await sleep(1000);
  }
}

const began = Date.now();
function log(_json: boolean, line: string): void {
  process.stderr.write(`[bench:memory ${Math.round((Date.now() - began) / 1000)} s] ${line}\n`);
}

runMain('bench:memory', async () => {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '1000,10000' },
      wake: { type: 'string', default: '1000' },
      'memory-mib': { type: 'string', default: '512' },
      json: { type: 'boolean', default: false },
    },
  });
  const checkpoints = values.n
    .split(',')
    .map(Number)
    .sort((a, b) => a - b);
  if (checkpoints.some((n) => !Number.isInteger(n) || n < 20 || n > MAX_N)) {
    throw new Error(`--n: whole numbers from 20 to ${MAX_N}, comma-separated (got ${values.n})`);
  }
  const wake = Number(values.wake);
  const memoryMiB = Number(values['memory-mib']);
  if (!Number.isInteger(wake) || wake < 1) throw new Error('--wake: a whole number of payments to wake');
  if (!Number.isInteger(memoryMiB) || memoryMiB < 128) throw new Error('--memory-mib: a whole number ≥ 128');
  const json = values.json;
  const cache = workflowCacheSize(memoryMiB);
  const largest = checkpoints.at(-1)!;
  const warmUp = Math.min(50, Math.floor(checkpoints[0]! / 4));

  // Prebuilt bundles, as the image runs the worker: neither worker process runs webpack while measured.
  mkdirSync(`${root}/.local/bench`, { recursive: true });
  const paymentBundle = `${root}/.local/bench/payment-workflows.js`;
  const bareBundle = `${root}/.local/bench/bare-workflows.js`;
  writeFileSync(paymentBundle, (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet })).code);
  const barePath = fileURLToPath(new URL('./bare-workflow.ts', import.meta.url));
  writeFileSync(bareBundle, (await bundleWorkflowCode({ workflowsPath: barePath, logger: quiet })).code);

  log(json, `starting Temporal, the sandbox and the bridge; cache ${cache} workflows for ${memoryMiB} MiB`);
  // Parked payments stay parked for the whole run: their first approval poll is hours away (production: 15 min).
  const timings = { approvalPollIntervalMs: 6 * 3_600_000, maxApprovalPollIntervalMs: 6 * 3_600_000 };
  const stack = await startPaymentStack({ inProcessWorker: false, rateLimitPerMinute: 0, timeScale: 60, timings });
  const processes: OurProcess[] = [];
  try {
    const options: RunOptions = { checkpoints, warmUp, cache, memoryMiB, wake, json };
    const payment = await measurePayments(stack, processes, options);
    const bare = await measureBare(stack, processes, options);
    const report: Report = {
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        memoryMiB: Math.round(totalmem() / 2 ** 20),
        // The machine is shared: its load during the run says how far the latencies can be trusted.
        loadAverage: loadavg().map((x) => Number(x.toFixed(1))),
      },
      workerMemoryMiB: memoryMiB,
      maxCachedWorkflows: cache,
      checkpoints,
      payment,
      bare,
      ratio: payment.perCachedMiB / bare.perCachedMiB,
      targets: {
        perCachedPaymentMiB: { limit: 0.4, met: payment.perCachedMiB <= 0.4 },
        rssAtLargestMiB: { limit: 512, met: payment.rssMiB[largest]! <= 512 },
        resumeP99Ms: { limit: 250, met: payment.resume.p99 <= 250 },
      },
    };
    if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(table(report, largest));
  } finally {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await stack.stop();
  }
});

/** One kind of workflow under test: how to start its worker, park one, and wake a parked one. */
interface Kind {
  name: string;
  taskQueue: string;
  startWorker(): OurProcess;
  park(i: number): Promise<void>;
  /** Wakes the parked workflow; resolves with the wake time (ms) once the wake is sent. */
  wake(workflowId: string, approvalId?: string): Promise<number>;
}

interface RunOptions {
  checkpoints: number[];
  warmUp: number;
  cache: number;
  memoryMiB: number;
  wake: number;
  json: boolean;
}

async function waitRunning(worker: OurProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!worker.output().includes('"msg":"worker running"')) {
    if (worker.child.exitCode !== null)
      throw new Error(`worker exited (${worker.child.exitCode}):\n${worker.output()}`);
    if (Date.now() > deadline) throw new Error(`worker not running after 120 s:\n${worker.output()}`);
    await sleep(200);
  }
}

async function measure(stack: PaymentStack, processes: OurProcess[], kind: Kind, o: RunOptions): Promise<KindResult> {
  const client = stack.env.client;
  const parked = `TaskQueue = '${kind.taskQueue}' AND PaymentStatus = 'AwaitingApproval'`;
  const worker = kind.startWorker();
  processes.push(worker);
  await waitRunning(worker);
  const pid = worker.child.pid!;
  const idleRssMiB = await settledRssMiB(pid);
  const rss: Record<string, number> = {};
  let started = 0;
  for (const target of [o.warmUp, ...o.checkpoints]) {
    const from = started;
    await pool(target - from, 32, (i) => kind.park(from + i));
    started = target;
    await untilCount(client, parked, target, `${kind.name} parked`);
    rss[target] = await settledRssMiB(pid);
    log(o.json, `${kind.name}: ${target} parked, worker RSS ${rss[target].toFixed(1)} MiB`);
  }
  const first = o.checkpoints[0]!;
  const cachedAdded = Math.min(first, o.cache) - Math.min(o.warmUp, o.cache);
  const perCachedMiB = (rss[first]! - rss[o.warmUp]!) / cachedAdded;

  // Wake an even spread over the start order: the oldest were evicted long ago, the newest are still cached.
  const all: { workflowId: string; approvalId?: string }[] = [];
  for await (const w of client.workflow.list({ query: parked, pageSize: 1000 })) {
    const approvalId = w.searchAttributes.DfnsApprovalId?.[0];
    all.push({ workflowId: w.workflowId, ...(typeof approvalId === 'string' ? { approvalId } : {}) });
  }
  const count = Math.min(o.wake, all.length);
  const chosen = Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]!);
  const woken: Woken[] = [];
  // One at a time: the figure is how long one woken payment takes to resume, not how a burst of wakes queues.
  await pool(chosen.length, 1, async (i) => {
    const w = chosen[i]!;
    woken.push({ workflowId: w.workflowId, wokenAt: await kind.wake(w.workflowId, w.approvalId) });
  });
  const left = all.length - count;
  const deadline = Date.now() + 10 * 60_000;
  while ((await countWhere(client, parked)) > left) {
    if (Date.now() > deadline) throw new Error(`${kind.name}: woken workflows still parked after 10 minutes`);
    await sleep(1000);
  }
  const latencies = await resumeLatencies(client, woken);
  if (latencies.missing.length > 0) log(o.json, `${kind.name}: no resume found for ${latencies.missing.length}`);
  const stats = (values: number[]) => ({
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
  });
  log(o.json, `${kind.name}: woke ${woken.length}, resume p99 ${percentile(latencies.resume, 99)} ms`);
  worker.child.kill('SIGTERM');
  await Promise.race([worker.exited, sleep(10_000)]);
  return {
    taskQueue: kind.taskQueue,
    idleRssMiB,
    rssMiB: rss,
    perCachedMiB,
    resume: { woken: latencies.resume.length, ...stats(latencies.resume), max: Math.max(...latencies.resume) },
    handling: stats(latencies.handling),
    endToEnd: stats(latencies.endToEnd),
  };
}

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

async function measurePayments(stack: PaymentStack, processes: OurProcess[], o: RunOptions): Promise<KindResult> {
  const b = stack.sandbox.bootstrap;
  const signer = (credId: string, privateKey: string) => new AsymmetricKeySigner({ credId, privateKey });
  const admin = new DfnsApiClient({
    baseUrl: stack.sandbox.url,
    authToken: b.authToken,
    orgId: b.orgId,
    signer: signer(b.credId, b.privateKey),
  });
  const approver = b.approvers[0];
  if (!approver) throw new Error('the sandbox has no approver');
  const approverClient = new DfnsApiClient({
    baseUrl: stack.sandbox.url,
    authToken: approver.authToken,
    signer: signer(approver.credId, approver.privateKey),
  });
  // Every payment above 10,000 USD waits for one approver, so each one parks in AwaitingApproval.
  await admin.policies.createPolicy({
    body: {
      name: 'bench: approve large payments',
      activityKind: 'Wallets:Sign',
      rule: { kind: 'TransactionAmountLimit', configuration: { limit: 10_000, currency: 'USD' } },
      action: {
        kind: 'RequestApproval',
        approvalGroups: [{ name: 'treasury', quorum: 1, approvers: { userId: { in: [approver.userId] } } }],
      },
      filters: { walletId: { in: [b.walletId] } },
    },
  });
  const run = Date.now().toString(36);
  return measure(
    stack,
    processes,
    {
      name: 'payment',
      taskQueue: stack.taskQueue,
      startWorker: () =>
        startOurProcess(stack, 'src/worker.ts', [], {
          TEMPORAL_WORKFLOW_BUNDLE_PATH: `${root}/.local/bench/payment-workflows.js`,
          WORKER_MEMORY_MIB: String(o.memoryMiB),
          DFNS_REQUESTS_PER_SECOND: '10000',
          DFNS_ACTIVITIES_PER_SECOND: '10000',
          LOG_LEVEL: 'info',
        }),
      park: async (i) => {
        await stack.client.start({
          idempotencyKey: `bench-memory-${run}-${i}`,
          walletId: b.walletId,
          network: 'EthereumSepolia',
          asset: { kind: 'Erc20', contract: b.erc20.contract, symbol: 'USDC', decimals: 6 },
          to: RECIPIENT,
          amount: '15000000000',
        });
      },
      wake: async (_workflowId, approvalId) => {
        if (!approvalId) throw new Error('a parked payment without its DfnsApprovalId');
        const at = Date.now();
        await approverClient.policies.createApprovalDecision({ approvalId, body: { value: 'Approved' } });
        return at;
      },
    },
    o,
  );
}

async function measureBare(stack: PaymentStack, processes: OurProcess[], o: RunOptions): Promise<KindResult> {
  const taskQueue = `${stack.taskQueue}-bare`;
  const client = stack.env.client;
  return measure(
    stack,
    processes,
    {
      name: 'bare',
      taskQueue,
      startWorker: () => {
        const args = ['--import', 'tsx', 'bench/bare-worker.ts', stack.env.address, stack.env.namespace ?? 'default'];
        const child = spawn(
          process.execPath,
          [...args, taskQueue, String(o.cache), `${root}/.local/bench/bare-workflows.js`],
          {
            cwd: root,
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
        return { child, output: () => output, exited };
      },
      park: async (i) => {
        await client.workflow.start('bareWorkflow', { taskQueue, workflowId: `${taskQueue}-${i}` });
      },
      wake: async (workflowId) => {
        const at = Date.now();
        await client.workflow.getHandle(workflowId).signal(bareUpdateSignal, { status: 'Approved' });
        return at;
      },
    },
    o,
  );
}

interface Report {
  machine: { cpus: number; model?: string; memoryMiB: number; loadAverage: number[] };
  workerMemoryMiB: number;
  maxCachedWorkflows: number;
  checkpoints: number[];
  payment: KindResult;
  bare: KindResult;
  ratio: number;
  targets: Record<string, { limit: number; met: boolean }>;
}

/** The human-readable form of the report. */
function table(r: Report, largest: number): string {
  const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
  const rows: string[][] = [['', 'payment', 'bare', 'payment / bare']];
  rows.push(['worker RSS idle (MiB)', f(r.payment.idleRssMiB), f(r.bare.idleRssMiB), '']);
  for (const n of r.checkpoints) {
    const [p, b] = [r.payment.rssMiB[n]!, r.bare.rssMiB[n]!];
    rows.push([`worker RSS, ${n} parked (MiB)`, f(p), f(b), f(p / b, 2)]);
  }
  const first = r.checkpoints[0]!;
  const growth = (k: KindResult) => k.rssMiB[largest]! - k.rssMiB[first]!;
  rows.push([`RSS growth ${first} → ${largest} (MiB)`, f(growth(r.payment)), f(growth(r.bare)), '']);
  rows.push(['MiB per cached workflow', f(r.payment.perCachedMiB, 3), f(r.bare.perCachedMiB, 3), f(r.ratio, 2)]);
  const ms = (k: KindResult, p: 'p50' | 'p95' | 'p99') => `${f(k.resume[p], 0)}`;
  for (const p of ['p50', 'p95', 'p99'] as const) {
    rows.push([`resume ${p} (ms), signal → handled`, ms(r.payment, p), ms(r.bare, p), '']);
  }
  for (const p of ['p50', 'p95', 'p99'] as const) {
    rows.push([`  of which task polled → done ${p}`, f(r.payment.handling[p], 0), f(r.bare.handling[p], 0), '']);
  }
  for (const p of ['p50', 'p95', 'p99'] as const) {
    rows.push([`wake ${p} (ms), decision → handled`, f(r.payment.endToEnd[p], 0), f(r.bare.endToEnd[p], 0), '']);
  }
  rows.push(['woken', String(r.payment.resume.woken), String(r.bare.resume.woken), '']);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const lines = rows.map((row) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
  );
  const met = Object.entries(r.targets).map(([name, t]) => `${name} ≤ ${t.limit}: ${t.met ? 'met' : 'NOT met'}`);
  const head = `worker memory ${r.workerMemoryMiB} MiB → cache ${r.maxCachedWorkflows} workflows; `;
  const load = r.machine.loadAverage.join(' ');
  const machine = `${r.machine.cpus} cores (${r.machine.model ?? '?'}), ${r.machine.memoryMiB} MiB, load ${load}`;
  return `${head}${machine}\n${lines.join('\n')}\n${met.join('; ')}\n`;
}
