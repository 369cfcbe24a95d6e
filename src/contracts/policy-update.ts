import { z } from 'zod';
import { ALERT_LEVELS, EXPOSURES, POLICY_CHECKS, POLICY_OUTCOMES, POLICY_SOURCES } from './payment-update-fields';

export { ALERT_LEVELS } from './payment-update-fields';
export type AlertLevel = (typeof ALERT_LEVELS)[number];
export type PolicyCheck = (typeof POLICY_CHECKS)[number];
export type PolicyOutcome = (typeof POLICY_OUTCOMES)[number];

/**
 * A provider-neutral fact: a policy of the org triggered on the transfer of one attempt (KYT pre-screening, the
 * Travel Rule, or any other rule), and what it did. The Dfns adapter builds it from `policy.triggered`, keeping only
 * what the payment needs: which check, its outcome, the alert level, category and exposure. No addresses, names or
 * other personal data.
 */
export const policyUpdateSchema = z.object({
  kind: z.literal('policy'),
  source: z.enum(POLICY_SOURCES),
  /** The externalId of the transfer the policy judged (one attempt of the payment). */
  externalId: z.string().min(1),
  transferId: z.string().optional(),
  /** The provider's id of this evaluation: a redelivered webhook carries the same one. */
  evaluationId: z.string().min(1),
  policyId: z.string().optional(),
  policyName: z.string().optional(),
  check: z.enum(POLICY_CHECKS),
  outcome: z.enum(POLICY_OUTCOMES),
  alertLevel: z.enum(ALERT_LEVELS).optional(),
  /** The risk category screening named (e.g. "sanctions"). */
  category: z.string().optional(),
  exposure: z.enum(EXPOSURES).optional(),
  /** The provider's reason for triggering. */
  reason: z.string().optional(),
  eventKind: z.string().min(1),
  eventTime: z.string().min(1),
  deliveryId: z.string().optional(),
});

export type PolicyUpdate = z.infer<typeof policyUpdateSchema>;
