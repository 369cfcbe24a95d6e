import { FailureType } from '../contracts/failure-types';
import type { RecordedFailure, Refusal } from '../contracts/failure-details';

/**
 * Reads refusals recorded by the Dfns activities before neutral failure details (orchestrator 0.1.0 with
 * @dfns/sdk 0.8.3). Those carried `{ httpStatus, body, attempt }`, with Dfns's error body as is, and a policy
 * block arrived as a Forbidden failure whose message named the policy. Workflow histories keep those failures
 * for ever, so a payment replayed from such a history (a worker restart, a query on a finished payment) must
 * reach the same decisions it made then: the workflow uses this reader only where `patched()` says the
 * history predates the change, and `readRefusal` (src/contracts/failure-details.ts) everywhere else.
 *
 * Frozen: it reproduces the old decisions exactly, including the old message test for a policy block. Do not
 * extend it; today's failures are typed by src/dfns/dfns-failure.ts. Pure and workflow-safe (no Node imports).
 */
export function readLegacyRefusal(failure: RecordedFailure): Refusal {
  const recorded = failure.details?.[0] as
    { attempt?: number; body?: { error?: { details?: { duplicate?: { id?: unknown } } } } } | undefined;
  const duplicateId = recorded?.body?.error?.details?.duplicate?.id;
  const type = failure.type ?? FailureType.DfnsUnavailable;
  const text = failure.message.toLowerCase();
  // The old workflow called a Forbidden refusal a policy block when its message mentioned a policy or a block.
  const policyBlocked = type === FailureType.Forbidden && (text.includes('polic') || text.includes('block'));
  const refusal: Refusal = { type, attempt: recorded?.attempt ?? 1, policyBlocked };
  if (typeof duplicateId === 'string') refusal.existingTransferId = duplicateId;
  return refusal;
}
