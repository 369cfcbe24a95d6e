// The worker-memory part of the suite (bench/worker-memory.ts: worker RSS with payments parked on approval, beside a
// bare workflow). This file runs it after the throughput figures and shows its rows in the report.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes';
import { table, type Report } from './memory-report';
import { renderTable } from './stats';

/**
 * Runs bench/worker-memory.ts after this run's stack has stopped; its `--json` output (the last line of its stdout)
 * joins the report as `workerMemory`. Bounded: for each way of starting the worker, 20,000 payments passed through,
 * then 1,000 and 10,000 parked, 200 woken (quick: 400 passed, 200 and 400 parked, 50 woken).
 */
export function workerMemory(log: (line: string) => void, quick: boolean): unknown {
  const script = join(ROOT, 'bench/worker-memory.ts');
  if (!existsSync(script)) return undefined;
  const bounds = quick
    ? ['--n', '200,400', '--passed', '400', '--wake', '50']
    : ['--n', '1000,10000', '--passed', '20000', '--wake', '200'];
  log(`running bench/worker-memory.ts ${bounds.join(' ')} --json`);
  try {
    const output = execFileSync(process.execPath, ['--import', 'tsx', script, ...bounds, '--json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 300 * 60_000,
    });
    const lines = output.toString().trim().split('\n');
    return JSON.parse(lines.at(-1) ?? 'null') as unknown;
  } catch (error) {
    // The throughput figures stand on their own: report the failure beside them instead of losing them.
    const message = error instanceof Error ? error.message : String(error);
    log(`bench/worker-memory.ts failed: ${message}`);
    return { error: message };
  }
}

/** The worker-memory rows as a table when they are a list of flat objects (or `{ rows: [...] }`), else as JSON. */
export function memoryTable(memory: unknown): string {
  // bench/worker-memory.ts's own report: its own table, as `npm run bench:memory` prints it.
  const report = memory as Partial<Report> | null;
  if (report?.results && Array.isArray(report.checkpoints) && report.checkpoints.length > 0) {
    return table(report as Report);
  }
  const rows = Array.isArray(memory) ? memory : (memory as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows) || !rows.every((row) => typeof row === 'object' && row !== null)) {
    return JSON.stringify(memory, null, 2);
  }
  const records = rows as Record<string, unknown>[];
  const header = [...new Set(records.flatMap((row) => Object.keys(row)))];
  const cell = (value: unknown) =>
    value === undefined || value === null
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : `${value as string}`;
  return renderTable(
    header,
    records.map((row) => header.map((key) => cell(row[key]))),
  );
}
