// A closed loop: keeps `concurrency` operations in flight until `count` have been started or the time bound passes,
// and times each one with the monotonic clock.
import { performance } from 'node:perf_hooks';
import { summarise, type RunSummary } from './stats';

/** What one run of the loop did: its summary, and the first error met (if any) for the report. */
export interface LoopResult extends RunSummary {
  firstError?: string;
  /** true when the time bound stopped the loop before `count` operations were started. */
  timedOut: boolean;
}

/**
 * Runs `operation(i)` for i = 0 … count-1, `concurrency` at a time, starting none after `timeBoundMs`. An operation
 * that fails, or does not finish within `operationTimeoutMs` (default 2 minutes), counts as failed.
 */
export async function closedLoop(
  options: { count: number; concurrency: number; timeBoundMs: number; operationTimeoutMs?: number },
  operation: (index: number) => Promise<void>,
): Promise<LoopResult> {
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  const startedAt = performance.now();
  const deadline = startedAt + options.timeBoundMs;
  const lane = async () => {
    while (next < options.count && performance.now() < deadline) {
      const index = next++;
      const t0 = performance.now();
      try {
        await withTimeout(operation(index), options.operationTimeoutMs ?? 120_000);
        latencies.push(performance.now() - t0);
      } catch (error) {
        failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.count) }, lane));
  const seconds = (performance.now() - startedAt) / 1000;
  return {
    ...summarise(latencies, seconds, failed),
    timedOut: next < options.count,
    ...(firstError ? { firstError } : {}),
  };
}

/** Rejects when `promise` has not settled within `ms` (the operation itself is left to finish on its own). */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  // A late failure of an operation given up on is not an unhandled rejection.
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
