import { ApplicationFailure } from '@temporalio/common';
import type { FailureDetails } from '../contracts/failure-details';
import { FailureType, type FailureTypeName } from '../contracts/failure-types';
import { dfnsErrorDetails, isDfnsError, type DfnsErrorLike } from './dfns-error';

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

/**
 * The policy that blocked the request, when a 403 is a policy Block rather than a missing permission. Dfns
 * evaluates policies when a transfer is created; a triggered Block either creates the transfer with status
 * Rejected (handled from the transfer itself) or refuses with 403. Dfns does not document the 403's body; the
 * sandbox answers `error.details: { policyId, reason }`, and a permission 403 names no policy, so the policy id
 * is what tells the two apart. The message is never parsed.
 */
function blockingPolicyId(error: DfnsErrorLike): string | undefined {
  const policyId = dfnsErrorDetails(error)?.policyId;
  return error.httpStatus === 403 && typeof policyId === 'string' && policyId !== '' ? policyId : undefined;
}

/**
 * The transfer Dfns already holds under our externalId. Dfns answers a second request with the same externalId
 * but a different body with 409 and `error.details.duplicate: { id, externalId }` (Dfns's idempotency rules:
 * the same body returns the existing transfer with 200 instead).
 */
function duplicateTransferId(error: DfnsErrorLike): string | undefined {
  const duplicate = dfnsErrorDetails(error)?.duplicate as { id?: unknown } | undefined;
  return error.httpStatus === 409 && typeof duplicate?.id === 'string' ? duplicate.id : undefined;
}

/**
 * Whether a 4xx refuses the request's fee sponsor. Dfns does not document this error's body; the sandbox names the
 * sponsor in `error.details.feeSponsorId`, and that field, never the message, is what is read.
 */
function refusesFeeSponsor(error: DfnsErrorLike): boolean {
  const feeSponsorId = dfnsErrorDetails(error)?.feeSponsorId;
  return error.httpStatus >= 400 && error.httpStatus < 500 && typeof feeSponsorId === 'string' && feeSponsorId !== '';
}

function typeFor(error: DfnsErrorLike): FailureTypeName {
  const status = error.httpStatus;
  if (status === -1) return FailureType.DfnsMisconfigured;
  if (status === 401) return FailureType.Unauthorized;
  if (blockingPolicyId(error)) return FailureType.PolicyBlocked;
  if (status === 403) return FailureType.Forbidden;
  // Before 404: an unknown sponsor is the sponsor's problem, not a missing wallet.
  const transient = status === 408 || status === 425 || status === 429;
  if (!transient && refusesFeeSponsor(error)) return FailureType.FeeSponsorUnavailable;
  if (status === 404) return FailureType.NotFound;
  if (status === 409) return FailureType.ExternalIdConflict;
  // 408 and 425 say "try again" as plainly as 429 and 5xx do.
  if (status === 408 || status === 425 || status === 429 || status >= 500) return FailureType.DfnsUnavailable;
  if (/insufficient/i.test(error.message)) return FailureType.InsufficientFunds;
  return FailureType.InvalidTransfer;
}

/**
 * The failure's details: the neutral facts the workflow branches on (see FailureDetails), then Dfns's status and
 * error body for the person reading the history. The workflow never reads the last two.
 */
function detailsFor(error: DfnsErrorLike, attempt?: number): FailureDetails & { httpStatus: number; body: unknown } {
  const existingTransferId = duplicateTransferId(error);
  return {
    ...(attempt ? { attempt } : {}),
    ...(existingTransferId ? { existingTransferId } : {}),
    httpStatus: error.httpStatus,
    body: error.context?.body,
  };
}

/**
 * Converts anything a Dfns SDK call threw into an ApplicationFailure whose type says what to do next:
 * transient failures (network, 5xx, 429, unreadable bodies) are retryable, honouring Retry-After; other 4xx are
 * not. Only the status, Dfns's message and error body are kept: never headers, which carry our token.
 * `attempt` is the activity attempt, which lets the workflow tell "refused before anything existed" from
 * "refused on a retry".
 */
export function toDfnsFailure(error: unknown, operation: string, attempt?: number): ApplicationFailure {
  if (isDfnsError(error)) {
    const type = typeFor(error);
    const message = `${operation}: Dfns answered ${error.httpStatus}: ${error.message}`;
    const details = detailsFor(error, attempt);
    if (type !== FailureType.DfnsUnavailable) return ApplicationFailure.nonRetryable(message, type, details);
    return ApplicationFailure.create({ message, type, details: [details], nextRetryDelay: retryAfterMs(error) });
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // The SDK throws a plain Error when the token's org differs from the configured orgId: retrying cannot fix it.
  if (error instanceof Error && /auth token/i.test(error.message)) {
    const details: FailureDetails = attempt ? { attempt } : {};
    return ApplicationFailure.nonRetryable(`${operation}: ${text}`, FailureType.DfnsMisconfigured, details);
  }
  // node-fetch FetchErrors (connection refused, reset, invalid JSON from a proxy) and anything unexpected.
  return ApplicationFailure.retryable(`${operation}: ${text}`, FailureType.DfnsUnavailable);
}
