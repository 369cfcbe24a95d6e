import { dfnsErrorLine, dfnsStatus } from '../dfns/dfns-error';
import type { Approval } from './approval-row';
import { parseApproval, type ApprovalsApi } from './list-approvals';

/** Thrown when a decision cannot be made; the message is one line an approver can act on. */
export class DecisionRefusedError extends Error {
  override name = 'DecisionRefusedError';
}

/** One approver's decision on one approval. */
export interface DecisionInput {
  approvalId: string;
  value: 'Approved' | 'Denied';
  reason?: string;
}

/** The deciding approver, as messages name them. */
export interface Decider {
  label: string;
  userId?: string;
}

async function readApproval(api: Pick<ApprovalsApi, 'getApproval'>, approvalId: string): Promise<Approval> {
  try {
    return parseApproval(await api.getApproval({ approvalId }));
  } catch (error) {
    if (dfnsStatus(error) === 404) throw new DecisionRefusedError(`approval ${approvalId} not found`);
    throw new DecisionRefusedError(`cannot read approval ${approvalId}: ${dfnsErrorLine(error)}`);
  }
}

function refusal(error: unknown, input: DecisionInput, decider: Decider): DecisionRefusedError {
  const status = dfnsStatus(error);
  if (status === 404) return new DecisionRefusedError(`approval ${input.approvalId} not found`);
  // 403 is "not in a triggered group", or the initiator approving their own activity; Dfns's message says which.
  if (status === 403)
    return new DecisionRefusedError(
      `${decider.label} may not decide approval ${input.approvalId}: ${(error as Error).message} (HTTP 403)`,
    );
  if (status === 409)
    return new DecisionRefusedError(
      `approval ${input.approvalId} cannot take this decision now: ${(error as Error).message} (HTTP 409)`,
    );
  return new DecisionRefusedError(`Dfns refused the decision on ${input.approvalId}: ${dfnsErrorLine(error)}`);
}

/**
 * Records an approver's decision. The approval is read first, so that "not pending" and "already decided" are
 * told plainly rather than as whatever status Dfns answers with; Dfns still has the last word on who may decide.
 */
export async function decideApproval(
  api: Pick<ApprovalsApi, 'getApproval' | 'createApprovalDecision'>,
  input: DecisionInput,
  decider: Decider,
): Promise<Approval> {
  const before = await readApproval(api, input.approvalId);
  if (before.status !== 'Pending')
    throw new DecisionRefusedError(`approval ${input.approvalId} is not pending (it is ${before.status})`);
  const earlier = decider.userId ? before.decisions.find((decision) => decision.userId === decider.userId) : undefined;
  if (earlier)
    throw new DecisionRefusedError(`${decider.label} already decided approval ${input.approvalId} (${earlier.value})`);
  let after: unknown;
  try {
    const body = { value: input.value, ...(input.reason !== undefined ? { reason: input.reason } : {}) };
    after = await api.createApprovalDecision({ approvalId: input.approvalId, body });
  } catch (error) {
    throw refusal(error, input, decider);
  }
  try {
    return parseApproval(after);
  } catch (error) {
    throw new DecisionRefusedError(
      `the decision on ${input.approvalId} was sent, but Dfns's answer could not be read: ${(error as Error).message}`,
    );
  }
}
