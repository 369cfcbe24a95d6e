// HOOK for the worker-memory part of the suite (bench/worker-memory.ts, written separately: worker RSS with 1,000
// and 10,000 payments parked). This file only runs it, when it exists, and shows its rows in the report.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes';
import { renderTable } from './stats';

/**
 * HOOK (worker memory): bench/worker-memory.ts is another part of the suite (worker RSS with 1,000 and 10,000
 * payments parked). When the file exists it runs here, after this run's stack has stopped, and its `--json` output
 * joins the report as `workerMemory`.
 */
export function workerMemory(log: (line: string) => void): unknown {
  const script = join(ROOT, 'bench/worker-memory.ts');
  if (!existsSync(script)) return undefined;
  log('running bench/worker-memory.ts --json');
  try {
    const output = execFileSync(process.execPath, ['--import', 'tsx', script, '--json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 30 * 60_000,
    });
    return JSON.parse(output.toString()) as unknown;
  } catch (error) {
    // The throughput figures stand on their own: report the failure beside them instead of losing them.
    const message = error instanceof Error ? error.message : String(error);
    log(`bench/worker-memory.ts failed: ${message}`);
    return { error: message };
  }
}

/** The worker-memory rows as a table when they are a list of flat objects (or `{ rows: [...] }`), else as JSON. */
export function memoryTable(memory: unknown): string {
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
