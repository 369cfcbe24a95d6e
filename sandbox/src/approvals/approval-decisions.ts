import type { ApprovalRecord } from './approval-schema';
import { DfnsHttpError } from '../http/errors';
import type { ApprovalGroup } from '../policies/policy-schema';

/**
 * Who is deciding: service accounts approve only where a group opts in (a group's `serviceAccountsCanApprove`, new in
 * @dfns/sdk 0.8.21).
 */
export interface Decider {
  userId: string;
  isServiceAccount: boolean;
}

/**
 * Whether a user is listed in a group: `approvers: {}` means any user of the org; a service account
 * counts only in a group with `serviceAccountsCanApprove` (a 0.8.21 flag the sandbox accepts).
 */
export function inGroup(group: ApprovalGroup, decider: Decider): boolean {
  if (decider.isServiceAccount && group.serviceAccountsCanApprove !== true) return false;
  return group.approvers.userId === undefined || group.approvers.userId.in.includes(decider.userId);
}

/** Whether a user's approval counts in a group: a member, and not the initiator unless the group allows it. */
function approvesIn(approval: ApprovalRecord, group: ApprovalGroup, decider: Decider): boolean {
  return inGroup(group, decider) && (decider.userId !== approval.initiatorId || group.initiatorCanApprove === true);
}

/** Whether a user may approve (or has decided on) an approval: the `approverId` list filter. */
export function isApproverOf(approval: ApprovalRecord, decider: Decider): boolean {
  return (
    approval.decisions.some((decision) => decision.userId === decider.userId) ||
    approval.groups.some(({ group }) => approvesIn(approval, group, decider))
  );
}

/**
 * Refuses a decision Dfns's approval rules (https://docs.dfns.co/core-concepts/policies) do not allow: 409 once the
 * approval is resolved or the user already decided; 403 for a user in no triggered group (the initiator may always
 * deny, and may approve only in a group with `initiatorCanApprove`).
 */
export function checkDecision(approval: ApprovalRecord, decider: Decider, value: 'Approved' | 'Denied'): void {
  const { userId } = decider;
  const details = { approvalId: approval.id, userId };
  if (approval.status !== 'Pending') throw new DfnsHttpError(409, `Approval is already ${approval.status}`, details);
  if (approval.decisions.some((decision) => decision.userId === userId)) {
    throw new DfnsHttpError(409, 'User has already decided on this approval', details);
  }
  if (value === 'Denied') {
    if (userId === approval.initiatorId || approval.groups.some(({ group }) => inGroup(group, decider))) return;
    throw new DfnsHttpError(403, 'User is not an approver of this activity', details);
  }
  if (approval.groups.some(({ group }) => approvesIn(approval, group, decider))) return;
  const message =
    userId === approval.initiatorId
      ? 'The initiator cannot approve their own activity (no group sets initiatorCanApprove)'
      : 'User is not an approver of this activity';
  throw new DfnsHttpError(403, message, details);
}

/**
 * Completion: every group has at least `quorum` approvals that count in it (one user's approval
 * counts in each of their groups).
 */
export function quorumReached(approval: ApprovalRecord, deciderOf: (userId: string) => Decider): boolean {
  return approval.groups.every(({ group }) => {
    const approvals = approval.decisions.filter(
      (decision) => decision.value === 'Approved' && approvesIn(approval, group, deciderOf(decision.userId)),
    );
    return approvals.length >= group.quorum;
  });
}
