// The arithmetic of the benchmark table, kept pure so that a unit test can pin it.

/** The p-th percentile (0 < p ≤ 100) of `values` by the nearest-rank method; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1] as number;
}

/** What one timed run of operations gives: how many finished, how fast, and how long each took. */
export interface RunSummary {
  count: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Summarises latencies (ms) of the operations that finished within `seconds` of wall time. */
export function summarise(latenciesMs: readonly number[], seconds: number, failed = 0): RunSummary {
  return {
    count: latenciesMs.length,
    failed,
    seconds,
    perSecond: seconds > 0 ? latenciesMs.length / seconds : Number.NaN,
    p50: percentile(latenciesMs, 50),
    p95: percentile(latenciesMs, 95),
    p99: percentile(latenciesMs, 99),
  };
}

/** measured / reference; NaN when the reference is zero or missing. */
export function ratio(measured: number, reference: number): number {
  return reference > 0 && Number.isFinite(measured) ? measured / reference : Number.NaN;
}

/** A figure for the table: fixed decimals, or "n/a" when it could not be measured. */
export function figure(value: number, decimals = 1): string {
  return Number.isFinite(value) ? value.toFixed(decimals) : 'n/a';
}

/** Renders rows as an aligned text table with a header rule; the first column left-aligned, the rest right. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}
