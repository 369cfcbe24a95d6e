import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FieldIssue } from '../contracts/payment-request';

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
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
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

/** The problem document for a status; `type` is a stable slug clients may branch on. */
export function problemBody(
  status: ContentfulStatusCode,
  slug: string,
  detail: string,
  errors?: FieldIssue[],
): Problem {
  return {
    type: `urn:problem:payments:${slug}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** Answers with a problem document. Callers pass fixed texts and field names, never secrets or stack traces. */
export function problem(
  c: Context,
  status: ContentfulStatusCode,
  slug: string,
  detail: string,
  errors?: FieldIssue[],
): Response {
  const body: Problem = { ...problemBody(status, slug, detail, errors), instance: c.req.path };
  return c.body(JSON.stringify(body), status, { 'Content-Type': PROBLEM_MEDIA_TYPE });
}

/**
 * A problem answered from a typed route. @hono/zod-openapi types a handler's return by the route's JSON responses
 * only; problem documents have their own media type, so they are returned past that check (their schema is declared).
 */
export const routeProblem = (...args: Parameters<typeof problem>): never => problem(...args) as never;

/** The OpenAPI response entry for a problem with a status. */
export const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_MEDIA_TYPE]: { schema: problemSchema } },
});
