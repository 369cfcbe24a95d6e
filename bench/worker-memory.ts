// Worker memory with payments parked on approval, for each way of starting the worker, in one run: as the image starts
// it and as `npm run worker` does (no memory settings from outside: the worker sets its own); 20,000 payments pass
// through each worker first, then 1,000 and 10,000 are parked; then the resume latency of parked payments woken by
// their approval (replay included once the cache is smaller than N). The bare reference workflow on request.
// Usage: npm run bench:memory -- [--n 1000,10000] [--passed 20000] [--wake 200] [--memory-mib 512]
//   [--ways image,npm[,bare]] [--json]
// Starts its own Temporal dev server, Dfns sandbox and bridge (test/support/payment-stack.ts); each worker is its
// own process (or two), measured from /proc. Prints a table, or with --json one JSON object as the last line of
// stdout (progress goes to stderr).
import { bundleWorkflowCode } from '@temporalio/worker';
import { cpus, loadavg, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runMain } from '../src/run-main';
import { workflowCacheSize } from '../src/temporal/workflow-cache';
import { startPaymentStack } from '../test/support/payment-stack';
import { descendants } from '../test/support/process-tree';
import type { OurProcess } from '../test/support/worker-process';
import { approvalPolicy, measureBare, measurePayments, PARKED_TIMINGS, WAYS, type Way } from './memory-kinds';
import { table, type KindResult, type Report } from './memory-report';
import { log, type RunOptions } from './park-and-wake';

const root = fileURLToPath(new URL('..', import.meta.url));
const MAX_N = 20_000;
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

runMain('bench:memory', async () => {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '1000,10000' },
      passed: { type: 'string', default: '20000' },
      wake: { type: 'string', default: '200' },
      'memory-mib': { type: 'string', default: '512' },
      ways: { type: 'string', default: 'image,npm' },
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
  const passed = Number(values.passed);
  if (!Number.isInteger(passed) || passed < 0 || passed > 100_000)
    throw new Error('--passed: a whole number to 100000');
  const ways = values.ways.split(',') as Way[];
  if (ways.length === 0 || ways.some((way) => !(way in WAYS))) {
    throw new Error(`--ways: a comma-separated list of ${Object.keys(WAYS).join(', ')} (got ${values.ways})`);
  }
  const wake = Number(values.wake);
  const memoryMiB = Number(values['memory-mib']);
  if (!Number.isInteger(wake) || wake < 1) throw new Error('--wake: a whole number of payments to wake');
  if (!Number.isInteger(memoryMiB) || memoryMiB < 128) throw new Error('--memory-mib: a whole number ≥ 128');
  const json = values.json;
  const cache = workflowCacheSize(memoryMiB);
  // Past the first workflows' one-time costs (the workflow context, compiled code), well before the cache is full.
  const warmUp = Math.min(50, Math.floor(Math.min(checkpoints[0]!, cache) / 4));

  // Both ways run the compiled worker and its prebuilt bundle (npm run build writes both to dist/, and npm run worker
  // builds before it starts the worker); they differ in the memory settings the process is started with.
  if (ways.includes('image') || ways.includes('npm')) {
    log('npm run build (dist/worker.js and dist/workflow-bundle.js, as the image builds them)');
    try {
      execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(`npm run build failed:\n${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`);
    }
  }
  if (ways.includes('bare')) {
    mkdirSync(`${root}/.local/bench`, { recursive: true });
    const barePath = fileURLToPath(new URL('./bare-workflow.ts', import.meta.url));
    const bareBundle = `${root}/.local/bench/bare-workflows.js`;
    writeFileSync(bareBundle, (await bundleWorkflowCode({ workflowsPath: barePath, logger: quiet })).code);
  }

  log(`starting Temporal, the sandbox and the bridge; cache ${cache} workflows for ${memoryMiB} MiB`);
  const stack = await startPaymentStack({
    inProcessWorker: false,
    rateLimitPerMinute: 0,
    timeScale: 60,
    timings: PARKED_TIMINGS,
  });
  const processes: OurProcess[] = [];
  // Everything a worker started too (the npm way's worker is the launcher's child).
  const killAll = () => {
    for (const p of processes) {
      if (p.child.exitCode !== null || !p.child.pid) continue;
      for (const pid of [...descendants(p.child.pid), p.child.pid].reverse()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // ended meanwhile
        }
      }
    }
  };
  // Interrupted: leave nothing running (the workers, then the dev server and the sandbox).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      void stack.stop().finally(() => process.exit(130));
    });
  }
  try {
    const options: RunOptions = { passed, checkpoints, warmUp, cache, memoryMiB, wake, json };
    const approver = await approvalPolicy(stack);
    const results: Record<string, KindResult> = {};
    for (const way of ways) {
      log(`${way}: ${WAYS[way]}`);
      results[way] =
        way === 'bare'
          ? await measureBare(stack, processes, options)
          : await measurePayments(stack, processes, way, approver, options);
    }
    const targets: Report['targets'] = {};
    for (const way of ways) {
      if (way === 'bare') continue;
      const worst = Math.max(...checkpoints.map((n) => results[way]!.memory[n]!.totalRssMiB));
      targets[`${way}: RSS of its processes at every checkpoint`] = {
        limit: memoryMiB,
        value: worst,
        met: worst <= memoryMiB,
      };
    }
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
      passed,
      checkpoints,
      ways: Object.fromEntries(ways.map((way) => [way, WAYS[way]])),
      results,
      targets,
    };
    if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(table(report));
  } finally {
    killAll();
    await stack.stop();
  }
});
