// The memory benchmark's report: what each kind of worker measured, and the table printed without --json.

/** What one kind of worker measured. */
export interface KindResult {
  taskQueue: string;
  idleRssMiB: number;
  /** RSS at each checkpoint (parked count → MiB). */
  rssMiB: Record<string, number>;
  /** Parked count at which the cache is full (or the first checkpoint, when that comes first). */
  cacheFullAt: number;
  /** (RSS with the cache full − RSS at the warm-up) / workflows parked between them: all of them cached. */
  perCachedMiB: number;
  resume: { woken: number; p50: number; p95: number; p99: number; max: number };
  handling: { p50: number; p95: number; p99: number };
  endToEnd: { p50: number; p95: number; p99: number };
}

/** The whole run, as --json prints it. */
export interface Report {
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
export function table(r: Report, largest: number): string {
  const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
  const rows: string[][] = [['', 'payment', 'bare', 'payment / bare']];
  rows.push(['worker RSS idle (MiB)', f(r.payment.idleRssMiB), f(r.bare.idleRssMiB), '']);
  const parked = Object.keys(r.payment.rssMiB)
    .map(Number)
    .sort((a, b) => a - b);
  for (const n of parked) {
    const [p, b] = [r.payment.rssMiB[n]!, r.bare.rssMiB[n]!];
    const note = n === r.payment.cacheFullAt && !r.checkpoints.includes(n) ? ' (cache full)' : '';
    rows.push([`worker RSS, ${n} parked${note} (MiB)`, f(p), f(b), f(p / b, 2)]);
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
