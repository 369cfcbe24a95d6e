// The memory benchmark's report: what each way of running a worker measured, and the table printed without --json.

/** The memory of a worker's processes at one moment, MiB (bench/process-memory.ts). */
export interface ProcessTreeMemory {
  /** 1, or more when the worker started itself again with its limits (the launcher waits beside it). */
  processes: number;
  /** RSS of the process running the worker. */
  workerRssMiB: number;
  /** RSS of all its processes, summed: what is compared with the budget. */
  totalRssMiB: number;
  /** PSS of all its processes: the pages they share counted once. */
  totalPssMiB: number;
}

/** What one way of running a worker measured. */
export interface KindResult {
  taskQueue: string;
  idle: ProcessTreeMemory;
  /** Workflows that ran to their end through the worker before any was parked, and how long they took. */
  passed: number;
  passSeconds: number;
  afterPassed: ProcessTreeMemory;
  /** At each checkpoint (parked count → memory). */
  memory: Record<string, ProcessTreeMemory>;
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
  passed: number;
  checkpoints: number[];
  /** How each way starts its worker. */
  ways: Record<string, string>;
  results: Record<string, KindResult>;
  targets: Record<string, { limit: number; value: number; met: boolean }>;
}

/** The human-readable form of the report. */
export function table(r: Report): string {
  const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
  const names = Object.keys(r.results);
  const results = names.map((name) => r.results[name]!);
  const rows: string[][] = [['', ...names]];
  const row = (label: string, cell: (k: KindResult) => string) => rows.push([label, ...results.map(cell)]);
  const at = (k: KindResult, n: number) => k.memory[n];
  row('processes', (k) => String(Object.values(k.memory).at(-1)?.processes ?? k.idle.processes));
  row('RSS idle (MiB)', (k) => f(k.idle.totalRssMiB));
  row(`RSS after ${r.passed} passed (MiB)`, (k) => (k.passed > 0 ? f(k.afterPassed.totalRssMiB) : '—'));
  row('  passed through, per s', (k) => (k.passed > 0 ? f(k.passed / k.passSeconds) : '—'));
  for (const n of r.checkpoints) {
    row(`RSS, ${n} parked (MiB)`, (k) => f(at(k, n)?.totalRssMiB ?? NaN));
    row(`  of which the worker process`, (k) => f(at(k, n)?.workerRssMiB ?? NaN));
    row(`  PSS, shared pages once`, (k) => f(at(k, n)?.totalPssMiB ?? NaN));
  }
  row('MiB per cached workflow', (k) => f(k.perCachedMiB, 3));
  for (const p of ['p50', 'p95', 'p99'] as const) row(`resume ${p} (ms), signal → handled`, (k) => f(k.resume[p], 0));
  for (const p of ['p50', 'p95', 'p99'] as const) row(`wake ${p} (ms), decision → handled`, (k) => f(k.endToEnd[p], 0));
  row('woken', (k) => String(k.resume.woken));
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((cells) => cells[c]!.length)));
  const lines = rows.map((cells) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
  );
  const ways = Object.entries(r.ways).map(([name, how]) => `  ${name}: ${how}`);
  const met = Object.entries(r.targets).map(
    ([name, t]) => `${name} ${f(t.value)} ≤ ${t.limit}: ${t.met ? 'met' : 'NOT met'}`,
  );
  const head = `WORKER_MEMORY_MIB ${r.workerMemoryMiB} → cache ${r.maxCachedWorkflows} workflows; `;
  const load = r.machine.loadAverage.join(' ');
  const machine = `${r.machine.cpus} cores (${r.machine.model ?? '?'}), ${r.machine.memoryMiB} MiB, load ${load}`;
  return `${head}${machine}\n${ways.join('\n')}\n${lines.join('\n')}\n${met.join('\n')}\n`;
}
