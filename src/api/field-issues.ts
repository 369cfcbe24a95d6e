import { ZodError, type z } from 'zod';
import { toFieldErrors, type FieldError } from '../contracts/field-errors';

/** Where a request value came from, as @hono/zod-openapi's validators name it. */
export type RequestTarget = 'json' | 'form' | 'query' | 'param' | 'header' | 'cookie';

/** The canonical spelling of the headers the API reads (validators see them lowercased). */
const HEADER_NAMES: Record<string, string> = { 'idempotency-key': 'Idempotency-Key' };

/**
 * Names each bad field the way the caller sent it: a body path ("asset.contract"), a header, a query parameter.
 * Unknown fields, which zod reports once on their object, are named one by one.
 */
export function requestFieldErrors(error: ZodError, target: RequestTarget): FieldError[] {
  const issues = error.issues.flatMap((issue): z.core.$ZodIssue[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ ...issue, path: [...issue.path, key], message: 'is not a known field' }))
      : [issue],
  );
  const errors = toFieldErrors(new ZodError(issues), { root: '(body)' });
  return target === 'header' ? errors.map((e) => ({ ...e, field: HEADER_NAMES[e.field] ?? e.field })) : errors;
}
