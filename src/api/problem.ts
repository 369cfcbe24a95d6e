import { z } from '@hono/zod-openapi';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError } from '../bridge/http-error';
import type { Logger } from '../logger';
import { isTemporalUnavailable } from '../temporal/temporal-unavailable';

/** RFC 9457's media type: every error the API answers is one of these documents. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

const TITLES: Partial<Record<ContentfulStatusCode, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Codes for HTTPExceptions that middleware (Hono's validators, @hono/zod-openapi) throws without an ApiError. */
const CODE_FOR_STATUS: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  413: 'payload_too_large',
  405: 'method_not_allowed',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** An RFC 9457 problem document; `errors` names each bad field (a body field, a header, a query parameter). */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export type Problem = z.infer<typeof problemSchema>;

/** The app's error (ApiError) as a problem document: code → type, message → detail, issues → errors. */
export function problemBody(error: ApiError, instance?: string): Problem {
  return {
    type: `urn:problem:payments:${error.code}`,
    title: TITLES[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    ...(instance ? { instance } : {}),
    ...(error.issues && error.issues.length > 0 ? { errors: error.issues } : {}),
  };
}

/** Any HTTPException as the app's ApiError (its status and message are Hono's fixed texts, never request data). */
export function asApiError(error: HTTPException): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(error.status, CODE_FOR_STATUS[error.status] ?? 'http_error', error.message || 'request refused');
}

/** Answers with a problem document; headers set on the context before (Retry-After, Allow) are kept. */
export function renderProblem(c: Context, error: ApiError): Response {
  return c.body(JSON.stringify(problemBody(error, c.req.path)), error.status, { 'Content-Type': PROBLEM_MEDIA_TYPE });
}

/** The OpenAPI response entry for a problem with a status. */
export const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_MEDIA_TYPE]: { schema: problemSchema } },
});

/**
 * The API's `onError`: every refusal and failure as a problem document. Temporal not answering is 503
 * `temporal_unavailable` (retry later, with the same key); anything unexpected is logged and answered 500 without its
 * text.
 */
export function answerProblems(logger: Logger): ErrorHandler {
  return function answerProblem(error, c) {
    if (error instanceof HTTPException && error.status < 500) return renderProblem(c, asApiError(error));
    if (isTemporalUnavailable(error)) {
      logger.warn({ path: c.req.path, error: error.message }, 'Temporal unavailable');
      return renderProblem(
        c,
        new ApiError(503, 'temporal_unavailable', 'the payment engine is unavailable; retry later'),
      );
    }
    if (error instanceof ApiError) return renderProblem(c, error);
    logger.error({ path: c.req.path, error: error.message }, 'unhandled API error');
    return renderProblem(c, new ApiError(500, 'internal_error', 'internal error'));
  };
}

/** A route that does not exist, under `/v1` or anywhere else on the API's port: 404 as a problem document. */
export const problemNotFound: NotFoundHandler = (c) =>
  renderProblem(c, new ApiError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
