import { DfnsError } from '@dfns/sdk';

/** The HTTP status Dfns answered with, or undefined when the call never got a Dfns answer. */
export function dfnsStatus(error: unknown): number | undefined {
  return error instanceof DfnsError ? error.httpStatus : undefined;
}

/**
 * One line saying why a Dfns call failed. Only the status and Dfns's message are used:
 * the error's context holds the request headers, and with them the bearer token.
 */
export function dfnsErrorLine(error: unknown): string {
  if (error instanceof DfnsError) {
    if (error.httpStatus === -1) return `the SDK refused before calling Dfns: ${error.message}`;
    return `Dfns answered ${error.httpStatus}: ${error.message}`;
  }
  if (error instanceof Error) {
    // node-fetch's FetchError: `system` is a network failure, `invalid-json` a non-Dfns answer (a proxy page, an empty body).
    const { type, code } = error as Error & { type?: string; code?: string };
    if (type === 'system') return `cannot reach Dfns (${code ?? error.message})`;
    if (type === 'invalid-json') return `Dfns (or a proxy in front of it) answered something that is not JSON`;
    return error.message;
  }
  return String(error);
}
