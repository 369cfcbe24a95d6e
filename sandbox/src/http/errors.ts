import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { newErrorId } from '../state/ids';

/** An error that becomes a Dfns-shaped JSON error response: `{ error: { id, status, message, details? } }`. */
export class DfnsHttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Extra response headers, e.g. `Retry-After` on a 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DfnsHttpError';
  }
}

/** The `{ error: { id, status, message, details? } }` body Dfns returns for every failure. */
export function errorBody(status: number, message: string, details?: Record<string, unknown>) {
  return { error: { id: newErrorId(), status, message, ...(details ? { details } : {}) } };
}

/** Hono `onError` handler: Dfns-shaped JSON for known errors, a bare 500 (no stack) otherwise. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof DfnsHttpError) {
    return c.json(errorBody(err.status, err.message, err.details), err.status, err.headers);
  }
  console.error(`[sandbox] unexpected error on ${c.req.method} ${c.req.path}: ${err.message}`);
  return c.json(errorBody(500, 'Internal server error'), 500);
}

/** Hono `notFound` handler: unknown routes answer 404 JSON, never an HTML page. */
export function handleNotFound(c: Context): Response {
  return c.json(errorBody(404, `Route not found: ${c.req.method} ${c.req.path}`), 404);
}

/** Shorthand for the 400 every zod-validated edge throws. */
export function badRequest(message: string, details?: Record<string, unknown>): DfnsHttpError {
  return new DfnsHttpError(400, message, details);
}

/** Shorthand for a 404 naming the missing entity. */
export function notFound(message: string, details?: Record<string, unknown>): DfnsHttpError {
  return new DfnsHttpError(404, message, details);
}
