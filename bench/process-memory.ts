import { descendants, processMemoryMiB } from '../test/support/process-tree';
import type { ProcessTreeMemory } from './memory-report';

/**
 * The memory of a worker's processes: the one started and any it started (a worker that started itself again with
 * its limits is two: the launcher, waiting, and the worker). RSS counts each process's resident pages (what `ps`
 * shows; pages they share, the node binary's, are counted in both); PSS splits each shared page between them.
 */
export function treeMemory(pid: number): ProcessTreeMemory {
  const pids = [pid, ...descendants(pid)];
  const each = pids.map((p) => processMemoryMiB(p));
  return {
    processes: pids.length,
    // The largest: the launcher and the compiler tsx may run beside the worker are small.
    workerRssMiB: Math.max(...each.map((m) => m.rss)),
    totalRssMiB: each.reduce((sum, m) => sum + m.rss, 0),
    totalPssMiB: each.reduce((sum, m) => sum + m.pss, 0),
  };
}

/**
 * The memory once it has settled: the processes' total RSS sampled every second until eight samples in a row lie
 * within 2 % of each other (V8 collects lazily after a burst of work), or after `maxSeconds`, whichever comes first.
 */
export async function settledMemory(pid: number, maxSeconds = 45): Promise<ProcessTreeMemory> {
  const samples: ProcessTreeMemory[] = [];
  for (let i = 0; i < maxSeconds; i++) {
    samples.push(treeMemory(pid));
    const last = samples.slice(-8).map((m) => m.totalRssMiB);
    if (last.length === 8 && Math.max(...last) - Math.min(...last) <= 0.02 * Math.min(...last)) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return samples.at(-1)!;
}

/** Nearest-rank percentile of `values` (ms), or NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
