import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { BatchRowResult } from '../contracts/batch-messages';
import { validateBatchRows, type RowBodyCheck, type RowProblem, type RowsValidation } from '../contracts/batch-row';

/** The CSV columns that build a row's `asset`; every other non-empty cell is passed to the payment as it is. */
const ASSET_COLUMNS = ['asset', 'symbol', 'decimals', 'createDestinationAccount', 'allowOwnerOffCurve'] as const;
const TOKEN_KINDS: Record<string, string> = { erc20: 'Erc20', trc20: 'Trc20', spl: 'Spl', spl2022: 'Spl2022' };

/** A yes/no cell as a boolean; anything else is passed on as it is, for the schema to refuse by name. */
const yesNo = (cell: string): boolean | string => {
  const value = cell.toLowerCase();
  return value === 'true' || value === 'yes' ? true : value === 'false' || value === 'no' ? false : cell;
};

/**
 * One CSV record as a row object: `asset` from `native`, `erc20:CONTRACT`, `trc20:CONTRACT`, `spl:MINT` or
 * `spl2022:MINT`.
 */
function toRow(record: Record<string, string>, row: number, problems: RowProblem[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [column, cell] of Object.entries(record)) {
    if (cell === '' || (ASSET_COLUMNS as readonly string[]).includes(column)) continue;
    fields[column] = cell;
  }
  const assetCell = record.asset ?? '';
  const match = /^(erc20|trc20|spl2022|spl):(.+)$/i.exec(assetCell);
  let asset: Record<string, unknown> | undefined;
  if (assetCell === '' || assetCell.toLowerCase() === 'native') asset = { kind: 'Native' };
  else if (match) {
    const kind = TOKEN_KINDS[(match[1] as string).toLowerCase()] as string;
    asset = kind === 'Spl' || kind === 'Spl2022' ? { kind, mint: match[2] } : { kind, contract: match[2] };
  } else {
    const message = 'must be native, erc20:CONTRACT, trc20:CONTRACT, spl:MINT or spl2022:MINT';
    problems.push({ row, field: 'asset', message });
    return fields;
  }
  if (record.symbol) asset.symbol = record.symbol;
  if (record.decimals) asset.decimals = /^\d+$/.test(record.decimals) ? Number(record.decimals) : record.decimals;
  if (record.createDestinationAccount) asset.createDestinationAccount = yesNo(record.createDestinationAccount);
  if (record.allowOwnerOffCurve) asset.allowOwnerOffCurve = yesNo(record.allowOwnerOffCurve);
  fields.asset = asset;
  return fields;
}

/**
 * Parses a batch CSV (a header line naming the columns, then one row per line; see docs/pools-and-batches.md) and validates every
 * row (with `check` too, when given). Row numbers count data lines from 1, so row N is on line N + 1 of the file.
 */
export function parseBatchCsv(text: string, check?: RowBodyCheck): RowsValidation {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { ok: false, problems: [{ row: 0, field: '(csv)', message: error.message }] };
  }
  const problems: RowProblem[] = [];
  const rows = records.map((record, index) => toRow(record, index + 1, problems));
  const validation = validateBatchRows(rows, check);
  if (problems.length === 0) return validation;
  // A bad asset cell is reported once, as the CSV names it, not again as the missing asset it leaves.
  const named = new Set(problems.map((p) => `${p.row}|${p.field}`));
  const rest = validation.ok ? [] : validation.problems.filter((p) => !named.has(`${p.row}|${p.field}`));
  return { ok: false, problems: [...problems, ...rest].sort((a, b) => a.row - b.row) };
}

/** The columns of a batch report in CSV, in order. */
export const REPORT_COLUMNS = [
  'row',
  'key',
  'paymentId',
  'status',
  'asset',
  'amount',
  'transferId',
  'txHash',
  'reason',
  'failureType',
] as const satisfies readonly (keyof BatchRowResult)[];

/** A batch report's rows as CSV, one line per row with a header. */
export function reportCsv(rows: readonly BatchRowResult[]): string {
  return stringify(
    rows.map((row) => REPORT_COLUMNS.map((column) => row[column] ?? '')),
    { header: true, columns: [...REPORT_COLUMNS] },
  );
}
