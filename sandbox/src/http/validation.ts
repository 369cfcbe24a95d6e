import type { Context } from 'hono';
import type { z } from 'zod';
import { badRequest } from './errors';

/** Renders zod issues as `field: problem` so every 400 names the offending field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Parses `value` with `schema` or throws a Dfns-shaped 400 whose message names the fields. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw badRequest(`Invalid ${what}: ${describeIssues(result.error)}`, {
    issues: result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
  });
}

/** Reads the raw body (Hono caches it, so the user-action guard saw the same text) and parses JSON. */
export async function readJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('Invalid request body: malformed JSON');
  }
}
