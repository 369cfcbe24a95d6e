import { setFlagsFromString } from 'node:v8';

/**
 * How many workflows the worker keeps cached, from the memory it is given. A cached workflow resumes without
 * replaying its history; an evicted one is replayed when its next task comes (a parked payment's history is short,
 * so that costs milliseconds), which is what bounds the worker's memory whatever the number of payments in flight.
 * The SDK's own default sizes the cache from the V8 heap limit (2,310 workflows on a 4 GiB heap), not from what
 * the container may use.
 */

/**
 * What the worker holds besides its cached workflows (RSS: Node, the Temporal core, the workflow context and the
 * bundle, the six pollers, and what a stream of evicted workflows leaves in the heap): about 240 MiB idle and
 * 270–320 MiB once workflows have run, in npm run bench:memory.
 */
export const WORKER_BASE_MIB = 320;
/**
 * What the budget reserves per cached payment: the measured cost (npm run bench:memory, docs/benchmarks.md, "Worker memory")
 * with room for the payments that run (timeline, activities in flight) rather than wait.
 */
export const CACHED_PAYMENT_MIB = 0.5;
/** The SDK refuses a cache of one; below this, payments would replay on almost every task. */
export const MIN_CACHED_WORKFLOWS = 10;

/** The cache size for a worker given `memoryMiB` in all, or `override` when an operator set it outright. */
export function workflowCacheSize(memoryMiB: number, override?: number): number {
  if (override !== undefined) return override;
  return Math.max(MIN_CACHED_WORKFLOWS, Math.floor((memoryMiB - WORKER_BASE_MIB) / CACHED_PAYMENT_MIB));
}

/** The most the main thread's V8 old space is given, MiB: what the image's NODE_OPTIONS gives it (Dockerfile). */
export const MAX_MAIN_HEAP_MIB = 256;

/**
 * The V8 old-space limit of the worker's main thread for a worker given `memoryMiB` in all: half of it, at most
 * MAX_MAIN_HEAP_MIB. What that thread holds (the SDK's bookkeeping, the activities in flight, the bundle while the
 * worker builds one at start-up) does not grow with the cache, which lives on the workflow thread. Left to V8, the
 * limit is sized from the machine's memory, and the heap grew with every payment the worker had seen (docs/benchmarks.md, "Worker
 * memory"). Set at start only (src/worker-launch.ts).
 */
export function mainHeapMiB(memoryMiB: number): number {
  return Math.min(MAX_MAIN_HEAP_MIB, Math.max(64, Math.floor(memoryMiB / 2)));
}

/** What the workflow thread holds besides its cached workflows (the SDK, the bundle and its source map), MiB. */
const WORKFLOW_THREAD_BASE_MIB = 32;
/** The V8 heap a cached payment takes, MiB: a little above the RSS measured per cached payment (0.31). */
const CACHED_PAYMENT_HEAP_MIB = 0.35;
/** The smallest old-space limit the workflow thread is given, MiB. */
export const MIN_WORKFLOW_HEAP_MIB = 256;

/**
 * The V8 old-space limit for the worker's workflow thread, from its cache size: half as much again as the heap the
 * cached workflows should need, and at least MIN_WORKFLOW_HEAP_MIB. Without a limit, V8 sizes a heap from the
 * machine's memory (several GiB), so how far it grows past what it holds is up to V8, not to the worker's budget.
 * The main thread's limit is mainHeapMiB, set when the process starts: that one is what stopped the worker's RSS from
 * growing with the number of payments it had seen (npm run bench:memory, docs/benchmarks.md, "Worker memory"). `override` is
 * WORKER_WORKFLOW_HEAP_MIB.
 */
export function workflowHeapMiB(cachedWorkflows: number, override?: number): number {
  if (override !== undefined) return override;
  const needed = WORKFLOW_THREAD_BASE_MIB + CACHED_PAYMENT_HEAP_MIB * cachedWorkflows;
  return Math.max(MIN_WORKFLOW_HEAP_MIB, Math.ceil(1.5 * needed));
}

/**
 * Gives the workflow thread the heap limit above. V8 reads the flag when it sizes a new isolate's heap: called before
 * the SDK starts the workflow thread, it limits that thread only (the calling thread is already sized). Returns the
 * limit, in MiB.
 */
export function limitWorkflowThreadHeap(cachedWorkflows: number, override?: number): number {
  const limit = workflowHeapMiB(cachedWorkflows, override);
  setFlagsFromString(`--max-old-space-size=${limit}`);
  return limit;
}
