/**
 * The one place that recognises what a Dfns SDK call threw. The SDK throws `DfnsError` (and its subclass
 * `PolicyPendingError`) for every answer it could read: `httpStatus` is the HTTP status, or -1 when the SDK refused
 * before calling (no signer, a credential the challenge does not allow), and `context` holds `{ url, headers, body }`.
 * Anything else is a network failure or an answer that was not JSON (node-fetch's FetchError), or a plain Error.
 */

/** A Dfns answer as the SDK reports it. `context.headers` carries our bearer token: never log or keep it. */
export interface DfnsErrorLike extends Error {
  httpStatus: number;
  context?: { headers?: { get?: (name: string) => string | null }; body?: unknown };
}

/**
 * True for the SDK's DfnsError. Recognised by shape (an Error with a numeric `httpStatus`) rather than
 * `instanceof`, so an error thrown by a second copy of @dfns/sdk in node_modules (another package pinning
 * its own version) is still read as the Dfns answer it is.
 */
export function isDfnsError(error: unknown): error is DfnsErrorLike {
  return error instanceof Error && typeof (error as Partial<DfnsErrorLike>).httpStatus === 'number';
}

/** The HTTP status Dfns answered with, or undefined when the call never got a Dfns answer. */
export function dfnsStatus(error: unknown): number | undefined {
  return isDfnsError(error) ? error.httpStatus : undefined;
}

/** The `{ error: { message, details } }` body Dfns sends with every failure, as far as it can be read. */
interface DfnsErrorBody {
  error?: { message?: unknown; details?: Record<string, unknown> };
}

/** The `error.details` object of a Dfns error body, or undefined when there is none. */
export function dfnsErrorDetails(error: DfnsErrorLike): Record<string, unknown> | undefined {
  const details = (error.context?.body as DfnsErrorBody | undefined)?.error?.details;
  return details && typeof details === 'object' ? details : undefined;
}

/**
 * One line saying why a Dfns call failed. Only the status and Dfns's message are used:
 * the error's context holds the request headers, and with them the bearer token.
 */
export function dfnsErrorLine(error: unknown): string {
  if (isDfnsError(error)) {
    if (error.httpStatus === -1) return `the SDK refused before calling Dfns: ${error.message}`;
    return `Dfns answered ${error.httpStatus}: ${error.message}`;
  }
  if (error instanceof Error) {
    // node-fetch's FetchError: `system` is a network failure, `invalid-json` a non-Dfns answer (a proxy page,
    // an empty body).
    const { type, code } = error as Error & { type?: string; code?: string };
    if (type === 'system') return `cannot reach Dfns (${code ?? error.message})`;
    if (type === 'invalid-json') return `Dfns (or a proxy in front of it) answered something that is not JSON`;
    return error.message;
  }
  return String(error);
}
