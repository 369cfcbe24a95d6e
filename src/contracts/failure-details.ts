import { FailureType } from './failure-types';

/**
 * The provider-neutral facts an activity attaches to a failure (as its first detail) for the workflow to branch
 * on. Only the Dfns adapter (src/dfns/dfns-failure.ts) writes them; the workflow reads them with
 * `failureDetails`. Workflow-safe.
 */
export interface FailureDetails {
  /**
   * The activity attempt the refusal came from. A refusal on attempt 1 means the provider never accepted this
   * request; on a later attempt an earlier try may have created the transfer before its answer was lost.
   */
  attempt?: number;
  /** The provider already holds transfer `existingTransferId` under our externalId (a duplicate submission). */
  existingTransferId?: string;
}

/** Reads the neutral details of a failure; fields that are missing or of the wrong type are left out. */
export function failureDetails(failure: { details?: unknown[] | null }): FailureDetails {
  const raw = failure.details?.[0];
  if (!raw || typeof raw !== 'object') return {};
  const { attempt, existingTransferId } = raw as Record<string, unknown>;
  const details: FailureDetails = {};
  if (typeof attempt === 'number' && Number.isInteger(attempt) && attempt > 0) details.attempt = attempt;
  if (typeof existingTransferId === 'string' && existingTransferId !== '') {
    details.existingTransferId = existingTransferId;
  }
  return details;
}

/** What the workflow needs to know about a refused activity, whichever way the failure was recorded. */
export interface Refusal {
  /** The failure type (one of FailureType); DfnsUnavailable when the failure carried none. */
  type: string;
  /** The activity attempt the refusal came from; refusals without one count as first tries. */
  attempt: number;
  /** The transfer the provider already holds under our externalId, when the refusal says so. */
  existingTransferId?: string;
  /** A policy blocked the request: the payment ends Rejected rather than Failed. */
  policyBlocked: boolean;
}

/** The minimum of an ApplicationFailure these readers look at. */
export interface RecordedFailure {
  type?: string | null;
  message: string;
  details?: unknown[] | null;
}

/** Reads a refusal recorded by today's activities: its failure type and neutral details. */
export function readRefusal(failure: RecordedFailure): Refusal {
  const { attempt, existingTransferId } = failureDetails(failure);
  const type = failure.type ?? FailureType.DfnsUnavailable;
  const refusal: Refusal = { type, attempt: attempt ?? 1, policyBlocked: type === FailureType.PolicyBlocked };
  if (existingTransferId) refusal.existingTransferId = existingTransferId;
  return refusal;
}
