import { z } from 'zod';
import { ApprovalGroupSchema } from '../policies/policy-schema';

/** One policy's verdict on an activity, as `policyEvaluations[]` shows it in the SDK's Approval type. */
export const PolicyEvaluationSchema = z.object({
  policyId: z.string(),
  triggered: z.boolean(),
  reason: z.string(),
  /** 0.8.21: what the rule found (a screening's alerts). */
  context: z.record(z.string(), z.unknown()).optional(),
});

const DecisionSchema = z.object({
  userId: z.string(),
  date: z.string(),
  reason: z.string().nullable(),
  value: z.enum(['Approved', 'Denied']),
});

/**
 * A stored approval: the public Approval fields plus what the engine needs to decide it. Groups are
 * a snapshot taken at creation, so editing a policy later never changes a pending approval.
 */
export const ApprovalRecordSchema = z.object({
  id: z.string(),
  initiatorId: z.string(),
  transferId: z.string(),
  status: z.enum(['Pending', 'Approved', 'Denied', 'Expired']),
  expirationDate: z.string().optional(),
  dateCreated: z.string(),
  dateUpdated: z.string(),
  dateResolved: z.string().optional(),
  policyEvaluations: z.array(PolicyEvaluationSchema),
  decisions: z.array(DecisionSchema),
  groups: z.array(z.object({ policyId: z.string(), group: ApprovalGroupSchema })),
  /** Epoch ms of auto-rejection (already divided by the time scale); null = never expires. */
  expiresAt: z.number().nullable(),
});

/** A stored approval. */
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;
/** One policy evaluation entry. */
export type PolicyEvaluation = z.infer<typeof PolicyEvaluationSchema>;
/** One approver decision. */
export type ApprovalDecision = z.infer<typeof DecisionSchema>;
