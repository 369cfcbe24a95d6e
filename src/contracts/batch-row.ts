import { z } from 'zod';
import { toFieldErrors, type FieldError } from './field-errors';
import { paymentBodySchema, type PaymentBody } from './payment-request';

/** The most rows one batch may hold; the batch workflow carries them in chunks, never all at once. */
export const MAX_BATCH_ROWS = 10_000;

/** A batch's idempotency key: no "." (see `batchRowIdempotencyKey`), short enough to leave room for row keys. */
export const batchKeySchema = z
  .string({ error: 'is required' })
  .min(1, 'is required')
  .max(40, 'must be at most 40 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, "_" and "-"');

/** A row's own key, unique within its batch; with the batch key it forms the row payment's idempotency key. */
export const rowKeySchema = z
  .string({ error: 'is required' })
  .min(1, 'is required')
  .max(59, 'must be at most 59 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'may contain only letters, digits, ".", "_" and "-"');

/** One valid row: its number (from 1, in the order given), its key and the payment it asks for. */
export interface BatchRow {
  row: number;
  key: string;
  body: PaymentBody;
}

/** What is wrong with one row: its number and the field, as the caller wrote them. */
export interface RowProblem {
  row: number;
  field: string;
  message: string;
}

/** The rows as valid rows, or every problem of every row: nothing of a batch starts while any row is bad. */
export type RowsValidation = { ok: true; rows: BatchRow[] } | { ok: false; problems: RowProblem[] };

/**
 * A check of a row's valid payment beyond the schema, such as whether the caller may pay from its wallet or pool;
 * its problems are reported beside the row's others.
 */
export type RowBodyCheck = (body: PaymentBody) => FieldError[];

/**
 * Validates every row, each with the payment request schema (so a field the schema accepts, like a wallet pool,
 * passes through) and `check`, and the keys for uniqueness. Rows are numbered from 1, in the order given.
 */
export function validateBatchRows(raw: readonly unknown[], check?: RowBodyCheck): RowsValidation {
  const problems: RowProblem[] = [];
  const rows: BatchRow[] = [];
  const seen = new Map<string, number>();
  if (raw.length === 0) problems.push({ row: 0, field: 'rows', message: 'a batch needs at least one row' });
  if (raw.length > MAX_BATCH_ROWS)
    problems.push({
      row: 0,
      field: 'rows',
      message: `a batch holds at most ${MAX_BATCH_ROWS} rows, got ${raw.length}`,
    });
  raw.forEach((value, index) => {
    const row = index + 1;
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ row, field: '(row)', message: 'must be an object' });
      return;
    }
    const { key, ...fields } = value as Record<string, unknown>;
    const rowProblems: RowProblem[] = [];
    const parsedKey = rowKeySchema.safeParse(key);
    if (!parsedKey.success) rowProblems.push({ row, field: 'key', message: parsedKey.error.issues[0]?.message ?? '' });
    else if (seen.has(parsedKey.data))
      rowProblems.push({ row, field: 'key', message: `repeats the key of row ${seen.get(parsedKey.data)}` });
    else seen.set(parsedKey.data, row);
    const body = paymentBodySchema.safeParse(fields);
    if (!body.success) rowProblems.push(...bodyProblems(row, body.error));
    else if (check) rowProblems.push(...check(body.data).map((problem) => ({ row, ...problem })));
    if (rowProblems.length > 0) problems.push(...rowProblems);
    else if (body.success && parsedKey.success) rows.push({ row, key: parsedKey.data, body: body.data });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows };
}

function bodyProblems(row: number, error: z.ZodError): RowProblem[] {
  // Unknown fields, which zod reports once on their object, are named one by one.
  const issues = error.issues.flatMap((issue): z.core.$ZodIssue[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ ...issue, path: [...issue.path, key], message: 'is not a known field' }))
      : [issue],
  );
  return toFieldErrors(new z.ZodError(issues), { root: '(row)' }).map((e) => ({ row, ...e }));
}

/** A row problem as one field error: `row 3.amount` (or `rows` for the batch as a whole). */
export const rowProblemField = (problem: RowProblem): string =>
  problem.row === 0 ? problem.field : `row ${problem.row}.${problem.field}`;
