import { ApplicationFailure } from '@temporalio/common';
import { FailureType, type FailureTypeName } from '../contracts/failure-types';

interface DfnsErrorLike {
  httpStatus: number;
  message: string;
  context?: { headers?: { get?: (name: string) => string | null }; body?: unknown };
}

function isDfnsError(error: unknown): error is DfnsErrorLike {
  return error instanceof Error && typeof (error as Partial<DfnsErrorLike>).httpStatus === 'number';
}

/** Reads Retry-After (seconds or an HTTP date) as milliseconds, when Dfns sent one. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  if (!isDfnsError(error)) return undefined;
  const value = error.context?.headers?.get?.('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function typeForStatus(status: number, message: string): FailureTypeName {
  if (status === -1) return FailureType.DfnsMisconfigured;
  if (status === 401) return FailureType.Unauthorized;
  if (status === 403) return FailureType.Forbidden;
  if (status === 404) return FailureType.NotFound;
  if (status === 409) return FailureType.ExternalIdConflict;
  // 408 and 425 say "try again" as plainly as 429 and 5xx do.
  if (status === 408 || status === 425 || status === 429 || status >= 500) return FailureType.DfnsUnavailable;
  if (/insufficient/i.test(message)) return FailureType.InsufficientFunds;
  return FailureType.InvalidTransfer;
}

/**
 * Converts anything a Dfns SDK call threw into an ApplicationFailure whose type says what to do next:
 * transient failures (network, 5xx, 429, unreadable bodies) are retryable, honouring Retry-After; other 4xx are not.
 * Only the status, Dfns's message and error details are kept: never headers, which carry our token.
 */
export function toDfnsFailure(error: unknown, operation: string, attempt?: number): ApplicationFailure {
  if (isDfnsError(error)) {
    const type = typeForStatus(error.httpStatus, error.message);
    const message = `${operation}: Dfns answered ${error.httpStatus}: ${error.message}`;
    // The activity attempt lets the workflow tell "refused before anything existed" from "refused on a retry".
    const details = { httpStatus: error.httpStatus, body: error.context?.body, ...(attempt ? { attempt } : {}) };
    if (type !== FailureType.DfnsUnavailable) return ApplicationFailure.nonRetryable(message, type, details);
    return ApplicationFailure.create({ message, type, details: [details], nextRetryDelay: retryAfterMs(error) });
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // The SDK's own guard for a token that does not belong to the configured org (reference §6.2): retrying cannot fix it.
  if (error instanceof Error && /auth token/i.test(error.message)) {
    return ApplicationFailure.nonRetryable(`${operation}: ${text}`, FailureType.DfnsMisconfigured, attempt ? { attempt } : {});
  }
  // node-fetch FetchErrors (connection refused, reset, invalid JSON from a proxy) and anything unexpected.
  return ApplicationFailure.retryable(`${operation}: ${text}`, FailureType.DfnsUnavailable);
}
