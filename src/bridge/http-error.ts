import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FieldError } from '../contracts/field-errors';
import type { Logger } from '../logger';

/**
 * The webhook bridge's JSON error shape (everything else on the port answers RFC 9457 problem documents,
 * src/api/problem.ts, built from the same ApiError):
 * `{ "error": { "code": "malformed_body", "message": "…", "issues": [{ "field": "data.id", "message": "…" }] } }`.
 * `code` is stable and machine-readable, `message` is for people, `issues` (only for bad input) names each field.
 * It never carries a stack trace, a secret or an internal error's text. The fields map one to one onto an RFC 9457
 * problem document (code → type, message → detail, issues → errors), which is how the payments API renders them.
 */
export interface ErrorBody {
  error: { code: string; message: string; issues?: FieldError[] };
}

/** A refusal with its status, stable code and, for bad input, the fields at fault; `onError` renders it. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: FieldError[],
    options: { cause?: unknown } = {},
  ) {
    super(status, { message, cause: options.cause });
  }
}

/** Codes for HTTPExceptions thrown by middleware that knows nothing of ApiError. */
const CODE_FOR_STATUS: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  413: 'payload_too_large',
};

/** Answers with the error shape. */
export function errorResponse(c: Context, error: ApiError): Response {
  const { code, message, issues } = error;
  const body: ErrorBody = { error: { code, message, ...(issues ? { issues } : {}) } };
  return c.json(body, error.status);
}

/**
 * The webhook bridge's `onError`: an ApiError is answered as it says, any other HTTPException by its status, and anything
 * else is logged and answered 500 without its text.
 */
export function answerErrors(logger: Logger): ErrorHandler {
  return function answerError(error, c) {
    if (error instanceof ApiError) return errorResponse(c, error);
    if (error instanceof HTTPException && error.status !== 500) {
      const status = error.status;
      const code = CODE_FOR_STATUS[status] ?? 'http_error';
      return errorResponse(c, new ApiError(status, code, error.message || 'request refused'));
    }
    logger.error({ error: error.message, path: c.req.path }, 'unhandled error');
    return errorResponse(c, new ApiError(500, 'internal_error', 'internal error'));
  };
}
