// Parking and waking one kind of workflow while its worker's memory is measured (bench/worker-memory.ts).
import type { Client } from '@temporalio/client';
import type { PaymentStack } from '../test/support/payment-stack';
import type { OurProcess } from '../test/support/worker-process';
import type { KindResult, ProcessTreeMemory } from './memory-report';
import { percentile, settledMemory } from './process-memory';
import { resumeLatencies, type Woken } from './resume-latency';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `count` calls with at most `width` in flight. */
export async function pool(count: number, width: number, call: (i: number) => Promise<void>): Promise<void> {
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
/** Progress on stderr, with the seconds since the run began (stdout carries only the result). */
export function log(line: string): void {
  process.stderr.write(`[bench:memory ${Math.round((Date.now() - began) / 1000)} s] ${line}\n`);
}

/** One kind of workflow under test: how to start its worker, pass one through, park one, and wake a parked one. */
export interface Kind {
  name: string;
  taskQueue: string;
  startWorker(): OurProcess;
  /** Starts one workflow that runs to its end, and resolves once it has; absent: none pass through first. */
  pass?(i: number): Promise<void>;
  park(i: number): Promise<void>;
  /** Wakes the parked workflow; resolves with the wake time (ms) once the wake is sent. */
  wake(workflowId: string, approvalId?: string): Promise<number>;
}

/** What the run asks for. */
export interface RunOptions {
  /** How many workflows run to their end through the worker before any is parked. */
  passed: number;
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

/**
 * Starts the kind's worker, lets `passed` workflows run through it to their end, parks workflows up to each checkpoint
 * and measures the memory of the worker's processes there (the launcher too, when it started itself again), then
 * wakes an even spread of the parked ones and reads their resume latencies from their histories.
 */
export async function measure(
  stack: PaymentStack,
  processes: OurProcess[],
  kind: Kind,
  o: RunOptions,
): Promise<KindResult> {
  const client = stack.env.client;
  const parked = `TaskQueue = '${kind.taskQueue}' AND PaymentStatus = 'AwaitingApproval'`;
  const worker = kind.startWorker();
  processes.push(worker);
  await waitRunning(worker);
  const pid = worker.child.pid!;
  const idle = await settledMemory(pid);
  log(`${kind.name}: idle, ${describe(idle)}`);
  let passed = 0;
  let passSeconds = 0;
  const afterPassed = { ...idle };
  if (kind.pass && o.passed > 0) {
    const began = Date.now();
    const deadline = began + 150 * 60_000;
    let lastLog = began;
    await pool(o.passed, 100, async (i) => {
      if (Date.now() > deadline) throw new Error(`${kind.name}: ${passed} of ${o.passed} passed after 150 minutes`);
      await kind.pass!(i);
      passed += 1;
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        log(`${kind.name}: ${passed} passed (${(passed / ((lastLog - began) / 1000)).toFixed(1)}/s)`);
      }
    });
    passSeconds = (Date.now() - began) / 1000;
    Object.assign(afterPassed, await settledMemory(pid));
    log(`${kind.name}: ${passed} passed in ${passSeconds.toFixed(0)} s, ${describe(afterPassed)}`);
  }
  const memory: Record<string, ProcessTreeMemory> = {};
  let started = 0;
  // Per cached workflow is measured while every parked one is still cached: from the warm-up to a full cache.
  const full = Math.min(o.checkpoints[0]!, o.cache);
  const targets = [...new Set([o.warmUp, full, ...o.checkpoints])].sort((a, b) => a - b);
  for (const target of targets) {
    const from = started;
    await pool(target - from, 32, (i) => kind.park(from + i));
    started = target;
    await untilCount(client, parked, target, `${kind.name} parked`);
    memory[target] = await settledMemory(pid);
    log(`${kind.name}: ${target} parked, ${describe(memory[target])}`);
  }
  const perCachedMiB = (memory[full]!.totalRssMiB - memory[o.warmUp]!.totalRssMiB) / (full - o.warmUp);
  // Wake an even spread over the start order: the oldest were evicted long ago, the newest are still cached.
  const all: { workflowId: string; approvalId?: string }[] = [];
  for await (const w of client.workflow.list({ query: parked, pageSize: 1000 })) {
    const approvalId = w.searchAttributes.DfnsApprovalId?.[0];
    all.push({ workflowId: w.workflowId, ...(typeof approvalId === 'string' ? { approvalId } : {}) });
  }
  const count = Math.min(o.wake, all.length);
  const chosen = Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]!);
  const woken: Woken[] = [];
  // One at a time, each once the one before has finished (a payment goes on to its broadcast and confirmation after
  // it resumes): the figure is how long one woken payment takes to resume, not how it queues behind other work.
  await pool(chosen.length, 1, async (i) => {
    const w = chosen[i]!;
    woken.push({ workflowId: w.workflowId, wokenAt: await kind.wake(w.workflowId, w.approvalId) });
    await Promise.race([client.workflow.getHandle(w.workflowId).result(), sleep(60_000)]).catch(() => undefined);
  });
  const left = all.length - count;
  const deadline = Date.now() + 10 * 60_000;
  while ((await countWhere(client, parked)) > left) {
    if (Date.now() > deadline) throw new Error(`${kind.name}: woken workflows still parked after 10 minutes`);
    await sleep(1000);
  }
  const latencies = await resumeLatencies(client, woken);
  if (latencies.missing.length > 0) log(`${kind.name}: no resume found for ${latencies.missing.length}`);
  const stats = (values: number[]) => ({
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
  });
  log(`${kind.name}: woke ${woken.length}, resume p99 ${percentile(latencies.resume, 99)} ms`);
  worker.child.kill('SIGTERM');
  await Promise.race([worker.exited, sleep(10_000)]);
  return {
    taskQueue: kind.taskQueue,
    idle,
    passed,
    passSeconds,
    afterPassed,
    memory,
    cacheFullAt: full,
    perCachedMiB,
    resume: { woken: latencies.resume.length, ...stats(latencies.resume), max: Math.max(...latencies.resume) },
    handling: stats(latencies.handling),
    endToEnd: stats(latencies.endToEnd),
  };
}

/** One line for the progress log. */
const describe = (m: ProcessTreeMemory) =>
  `RSS ${m.totalRssMiB.toFixed(1)} MiB in ${m.processes} process(es) (worker ${m.workerRssMiB.toFixed(1)}, ` +
  `PSS ${m.totalPssMiB.toFixed(1)})`;
