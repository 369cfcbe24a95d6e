// Worker memory with payments parked on approval, beside a bare workflow of the same shape, in one run; then the
// resume latency of parked workflows woken by their approval (replay included once the cache is smaller than N).
// Usage: npm run bench:memory -- [--n 1000,10000] [--wake 1000] [--memory-mib 512] [--json]
// Starts its own Temporal dev server, Dfns sandbox and bridge (test/support/payment-stack.ts); each worker is its
// own process, measured from /proc/<pid>/status. Prints a table, or with --json one JSON object as the last line of
// stdout (progress goes to stderr).
import { bundleWorkflowCode } from '@temporalio/worker';
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runMain } from '../src/run-main';
import { workflowBundleOptions } from '../src/temporal/workflow-bundle';
import { workflowCacheSize } from '../src/temporal/workflow-cache';
import { startPaymentStack } from '../test/support/payment-stack';
import type { OurProcess } from '../test/support/worker-process';
import { measureBare, measurePayments } from './memory-kinds';
import { table, type Report } from './memory-report';
import { log, type RunOptions } from './park-and-wake';

const root = fileURLToPath(new URL('..', import.meta.url));
const MAX_N = 20_000;
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

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
  // Past the first workflows' one-time costs (the workflow context, compiled code), well before the cache is full.
  const warmUp = Math.min(50, Math.floor(Math.min(checkpoints[0]!, cache) / 4));

  // Prebuilt bundles, as the image runs the worker: neither worker process runs webpack while measured.
  mkdirSync(`${root}/.local/bench`, { recursive: true });
  const paymentBundle = `${root}/.local/bench/payment-workflows.js`;
  const bareBundle = `${root}/.local/bench/bare-workflows.js`;
  writeFileSync(paymentBundle, (await bundleWorkflowCode({ ...workflowBundleOptions(), logger: quiet })).code);
  const barePath = fileURLToPath(new URL('./bare-workflow.ts', import.meta.url));
  writeFileSync(bareBundle, (await bundleWorkflowCode({ workflowsPath: barePath, logger: quiet })).code);

  log(`starting Temporal, the sandbox and the bridge; cache ${cache} workflows for ${memoryMiB} MiB`);
  // Parked payments stay parked for the whole run, as a payment is once past its first half hour: no fast approval
  // polls (production: every 100 s for 30 min, then 15 min backing off to 4 h), their next poll hours away.
  const timings = {
    approvalFastWindowMs: 0,
    approvalPollIntervalMs: 6 * 3_600_000,
    maxApprovalPollIntervalMs: 6 * 3_600_000,
  };
  const stack = await startPaymentStack({ inProcessWorker: false, rateLimitPerMinute: 0, timeScale: 60, timings });
  const processes: OurProcess[] = [];
  // Interrupted: leave nothing running (the workers, then the dev server and the sandbox).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
      void stack.stop().finally(() => process.exit(130));
    });
  }
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
