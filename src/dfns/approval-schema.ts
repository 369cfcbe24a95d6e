import { z } from 'zod';
import type { ApprovalUpdate } from '../contracts/approval-update';
import { dfnsTransferSchema } from './transfer-schema';

/**
 * The fields of a Dfns Approval object (https://docs.dfns.co/api-reference/policy-approvals) the orchestrator
 * reads; the rest pass through.
 */
export const dfnsApprovalSchema = z.looseObject({
  id: z.string().min(1),
  initiatorId: z.string().optional(),
  status: z.enum(['Pending', 'Approved', 'Denied', 'Expired']),
  expirationDate: z.string().optional(),
  dateUpdated: z.string().optional(),
  dateResolved: z.string().optional(),
  dateCreated: z.string().optional(),
  activity: z.looseObject({ kind: z.string().optional(), transferRequest: dfnsTransferSchema.optional() }).optional(),
  decisions: z
    .array(
      z.looseObject({
        userId: z.string(),
        date: z.string().optional(),
        reason: z.string().nullish(),
        value: z.enum(['Approved', 'Denied']),
      }),
    )
    .default([]),
  // Why the approval exists: each policy Dfns evaluated, and whether it triggered.
  policyEvaluations: z
    .array(z.looseObject({ policyId: z.string(), triggered: z.boolean(), reason: z.string() }))
    .default([]),
});

export type DfnsApproval = z.infer<typeof dfnsApprovalSchema>;

/** Turns a Dfns approval snapshot into the provider-neutral update the workflow consumes. */
export function toApprovalUpdate(
  approval: DfnsApproval,
  origin: { source: ApprovalUpdate['source']; eventKind: string; eventTime?: string; deliveryId?: string },
): ApprovalUpdate {
  const transfer = approval.activity?.transferRequest;
  const externalId = transfer?.externalId ?? transfer?.requestBody?.externalId;
  // Who settled it: the first denial for Denied, the last decision for Approved; nobody decided an expiry.
  const decisive =
    approval.status === 'Denied'
      ? approval.decisions.find((d) => d.value === 'Denied')
      : approval.status === 'Approved'
        ? approval.decisions.at(-1)
        : undefined;
  const update: ApprovalUpdate = {
    kind: 'approval',
    source: origin.source,
    approvalId: approval.id,
    status: approval.status,
    eventKind: origin.eventKind,
    eventTime: origin.eventTime ?? approval.dateResolved ?? approval.dateUpdated ?? new Date(0).toISOString(),
  };
  if (externalId) update.externalId = externalId;
  if (approval.expirationDate) update.expirationDate = approval.expirationDate;
  if (decisive) {
    update.decidedBy = decisive.userId;
    if (decisive.reason) update.reason = decisive.reason;
  }
  // The audit trail: each approver's decision, with who, when and why (50 at most: larger than any group's quorum).
  const decisions = approval.decisions.slice(0, 50).map((d) => ({
    userId: d.userId,
    value: d.value,
    date: d.date ?? update.eventTime,
    ...(d.reason ? { reason: d.reason.slice(0, 500) } : {}),
  }));
  if (decisions.length > 0) update.decisions = decisions;
  if (origin.deliveryId) update.deliveryId = origin.deliveryId;
  return update;
}
