import { readFileSync } from 'node:fs';

/** A process's resident set in MiB, from /proc/<pid>/status (Linux): what a container's memory limit counts. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}

/**
 * The RSS once it has settled: sampled every second until eight samples in a row lie within 2 % of each other
 * (V8 collects lazily after a burst of work), or after `maxSeconds`, whichever comes first.
 */
export async function settledRssMiB(pid: number, maxSeconds = 45): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < maxSeconds; i++) {
    samples.push(rssMiB(pid));
    const last = samples.slice(-8);
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
