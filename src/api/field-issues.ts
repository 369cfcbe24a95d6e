import type { z } from 'zod';
import type { FieldIssue } from '../contracts/payment-request';

/** Where a request value came from, as @hono/zod-openapi's validators name it. */
export type RequestTarget = 'json' | 'form' | 'query' | 'param' | 'header' | 'cookie';

/** The canonical spelling of the headers the API reads (validators see them lowercased). */
const HEADER_NAMES: Record<string, string> = { 'idempotency-key': 'Idempotency-Key' };

/** Names each bad field the way the caller sent it: a body path ("asset.contract"), a header, a query parameter. */
export function requestFieldIssues(error: z.ZodError, target: RequestTarget): FieldIssue[] {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String);
      // An unknown body field is reported by zod on the object; name the field itself.
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      return keys.map((key) => {
        const full = key === undefined ? path : [...path, key];
        let field = full.join('.') || '(body)';
        if (target === 'header') field = HEADER_NAMES[full[0] ?? ''] ?? full[0] ?? '(headers)';
        const message = issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message;
        return { field, message };
      });
    })
    .flat();
}
