import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FieldIssue } from '../contracts/payment-request';

/** The one JSON error shape every endpoint answers with. */
export interface ErrorBody {
  error: { code: string; message: string; issues?: FieldIssue[] };
}

/** Answers with the project's JSON error shape; never includes stack traces or secrets. */
export function jsonError(c: Context, status: ContentfulStatusCode, code: string, message: string, issues?: FieldIssue[]) {
  const body: ErrorBody = { error: { code, message, ...(issues ? { issues } : {}) } };
  return c.json(body, status);
}
