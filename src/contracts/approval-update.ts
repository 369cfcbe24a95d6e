import { z } from 'zod';
import { APPROVAL_SOURCES, APPROVAL_STATES } from './payment-update-fields';

export { APPROVAL_STATES } from './payment-update-fields';
export type ApprovalState = (typeof APPROVAL_STATES)[number];

/** A provider-neutral fact about a policy approval, from a webhook, a poll, or the orchestrator's own decision. */
export const approvalUpdateSchema = z.object({
  /** Tells an approval fact from a transfer fact when both travel as one PaymentUpdate. */
  kind: z.literal('approval'),
  source: z.enum(APPROVAL_SOURCES),
  approvalId: z.string().min(1),
  /** The externalId of the transfer the approval holds, when the provider said. */
  externalId: z.string().min(1).optional(),
  status: z.enum(APPROVAL_STATES),
  /** When the provider will expire it (ISO 8601), if a timeout is configured. */
  expirationDate: z.string().optional(),
  /** The deciding reason, e.g. the approver's words on a denial. */
  reason: z.string().optional(),
  decidedBy: z.string().optional(),
  /** Every approver's decision so far: who, what, when and why (the audit trail). */
  decisions: z
    .array(
      z.object({
        userId: z.string().min(1),
        value: z.enum(['Approved', 'Denied']),
        date: z.string(),
        reason: z.string().optional(),
      }),
    )
    .max(50)
    .optional(),
  eventKind: z.string().min(1),
  eventTime: z.string().min(1),
  deliveryId: z.string().optional(),
});

export type ApprovalUpdate = z.infer<typeof approvalUpdateSchema>;
