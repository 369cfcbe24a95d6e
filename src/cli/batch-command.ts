import { readFile, writeFile } from 'node:fs/promises';
import { parseBatchCsv, reportCsv } from '../batches/batch-csv';
import { MAX_BATCH_CONCURRENCY } from '../batches/batch-service';
import { batchFinal, type BatchProgress } from '../contracts/batch-messages';
import { batchKeySchema, rowProblemField, type RowProblem } from '../contracts/batch-row';
import type { Config } from '../config';
import { apiBatches, BatchRowsRefusedError, connectTemporalBatches } from './batch-gateway';
import { progressPrinter } from './batch-progress-line';
import { EXIT } from './exit-codes';
import { parseCommandArgs } from './parse-command-args';
import { localPayerCheck } from './local-payer-check';
import { UsageError } from './run-cli';

/** Rows of the file are invalid: every one is listed, and nothing was started. */
export class BatchRowsError extends Error {
  override name = 'BatchRowsError';
  constructor(
    readonly file: string,
    readonly problems: RowProblem[],
  ) {
    const rows = new Set(problems.map((p) => p.row).filter((row) => row > 0)).size;
    super(
      `${rows > 0 ? `${rows} row(s) of ${file} are invalid` : `${file} is not a valid batch`}; nothing was started`,
    );
  }

  /** Each problem as the file shows it: the row, its line in the file, and the column. */
  lines(): string[] {
    return this.problems.map((p) =>
      p.row > 0 ? `row ${p.row} (line ${p.row + 1}) ${p.field}: ${p.message}` : `${rowProblemField(p)}: ${p.message}`,
    );
  }
}

const POLL_MS = 1_000;
/** `batch` follows for at most this long, then says where the batch stands and leaves it running. */
const MAX_FOLLOW_MS = 24 * 3_600_000;
const SHOWN_PROBLEM_ROWS = 20;

/** `payments batch FILE.csv --key KEY`: validates every row, starts the batch, and follows it with a progress bar. */
export async function batchCommand(
  args: string[],
  config: Config,
  options: { json: boolean; api?: string },
): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      concurrency: { type: 'string' },
      report: { type: 'string' },
      'no-follow': { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one FILE.csv, got ${positionals.length}`);
  const file = positionals[0] as string;
  const key = batchKeySchema.safeParse(values.key);
  if (!key.success) throw new UsageError(`--key ${key.error.issues[0]?.message ?? 'is invalid'}`);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (
    concurrency !== undefined &&
    !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= MAX_BATCH_CONCURRENCY)
  )
    throw new UsageError(`--concurrency must be a whole number from 1 to ${MAX_BATCH_CONCURRENCY}`);
  let csv: string;
  try {
    csv = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  // Every row is checked before connecting: a bad file starts nothing, even when Temporal or the API is down. Through
  // the API the API checks each row's payer; on Temporal the clients and pools files configured here do, if any.
  const validation = parseBatchCsv(csv, options.api ? undefined : localPayerCheck(config));
  if (!validation.ok) throw new BatchRowsError(file, validation.problems);

  const batches = options.api ? apiBatches(options.api, config.PAYMENTS_API_KEY) : await connectTemporalBatches(config);
  try {
    const started = await batches.start(key.data, validation.rows, csv, concurrency).catch((error: unknown) => {
      // Refused where it starts (a row's key names another payment): the same report as any bad row, exit 1.
      throw error instanceof BatchRowsRefusedError ? new BatchRowsError(file, error.problems) : error;
    });
    const { batchId } = started.progress;
    const say = (line: string) => !options.json && console.log(line);
    say(`${started.created ? 'started' : 'already exists:'} ${batchId} (${started.progress.total} rows)`);
    if (values['no-follow']) {
      if (options.json) console.log(JSON.stringify(started, null, 2));
      return EXIT.ok;
    }
    const printer = progressPrinter(process.stderr);
    let progress: BatchProgress = started.progress;
    const until = Date.now() + MAX_FOLLOW_MS;
    while (!batchFinal(progress.status) && Date.now() < until) {
      if (!options.json) printer.show(progress);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      progress = await batches.progress(batchId);
    }
    if (!options.json) {
      printer.show(progress, true);
      printer.done();
    }
    if (!batchFinal(progress.status)) {
      say(`${batchId} is still ${progress.status}; follow it again with the same command`);
      return EXIT.unavailable;
    }
    const report = await batches.report(batchId);
    if (values.report) await writeFile(values.report, reportCsv(report.rows));
    if (options.json) console.log(JSON.stringify(report, null, 2));
    else printSummary(report.progress, report.rows, values.report);
    return report.rows.every((row) => row.status === 'Confirmed') ? EXIT.ok : EXIT.notConfirmed;
  } finally {
    await batches.close();
  }
}

function printSummary(
  progress: BatchProgress,
  rows: { row: number; key: string; status: string; txHash?: string; reason?: string }[],
  reportFile: string | undefined,
): void {
  console.log(`${progress.batchId}: ${progress.status}${progress.cancelReason ? ` (${progress.cancelReason})` : ''}`);
  for (const [status, tally] of Object.entries(progress.byStatus)) {
    if (tally.count === 0) continue;
    const amounts = Object.entries(tally.amounts).map(([asset, amount]) => `${amount} ${asset}`);
    console.log(`  ${status.padEnd(10)} ${String(tally.count).padStart(6)}  ${amounts.join(', ')}`);
  }
  const unpaid = rows.filter((row) => row.status !== 'Confirmed');
  for (const row of unpaid.slice(0, SHOWN_PROBLEM_ROWS))
    console.log(`  row ${row.row} ${row.key}: ${row.status}${row.reason ? ` — ${row.reason}` : ''}`);
  if (unpaid.length > SHOWN_PROBLEM_ROWS) console.log(`  … and ${unpaid.length - SHOWN_PROBLEM_ROWS} more`);
  if (reportFile) console.log(`report: ${reportFile} (${rows.length} rows)`);
}
