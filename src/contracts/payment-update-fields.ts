/**
 * The fields of both kinds of payment update, as plain data with no zod: the zod schemas at the edges
 * (transfer-update.ts, approval-update.ts) and the workflow's own check (payment-update-check.ts) both read them,
 * so the two cannot drift apart. Kept zod-free because every module the workflow bundle loads is evaluated again
 * for each cached workflow (reuseV8Context gives each workflow its own module cache): zod cost ~1 MiB a payment.
 */

/** Transfer states as the workflow sees them, already mapped from the provider's vocabulary. */
export const TRANSFER_STATES = [
  'Submitted',
  'AwaitingApproval',
  'Executing',
  'Broadcasted',
  'Confirmed',
  'Failed',
  'Rejected',
] as const;

/** Approval states as Dfns names them; all but Pending are final. */
export const APPROVAL_STATES = ['Pending', 'Approved', 'Denied', 'Expired'] as const;

/** Chainalysis alert levels, lowest first (https://docs.dfns.co/solutions/compliance). */
export const ALERT_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'SEVERE'] as const;

/** What kind of check a triggered policy ran: KYT pre-screening, the Travel Rule, or any other rule. */
export const POLICY_CHECKS = ['screening', 'travelRule', 'policy'] as const;

/** What a triggered policy did to the transfer. */
export const POLICY_OUTCOMES = ['blocked', 'approvalRequired', 'noAction'] as const;

/** How directly the recipient is exposed to the risk screening found. */
export const EXPOSURES = ['direct', 'indirect'] as const;

/** Where each kind of update may come from. */
export const TRANSFER_SOURCES = ['webhook', 'poll', 'submit'] as const;
export const APPROVAL_SOURCES = ['webhook', 'poll', 'operator'] as const;
export const POLICY_SOURCES = ['webhook'] as const;

/** One field: a fixed value, one of a list, or a string (non-empty when `nonEmpty`); absent only when optional. */
export type FieldRule =
  | { is: 'literal'; value: string }
  | { is: 'enum'; values: readonly string[]; optional?: true }
  | { is: 'string'; nonEmpty?: true; optional?: true }
  /** A list of approver decisions (approval updates only); see payment-update-check.ts. */
  | { is: 'decisions'; optional: true };

/** A transfer update's fields, in the order the schema lists them. */
export const TRANSFER_UPDATE_FIELDS = {
  kind: { is: 'literal', value: 'transfer' },
  source: { is: 'enum', values: TRANSFER_SOURCES },
  externalId: { is: 'string', nonEmpty: true },
  transferId: { is: 'string', nonEmpty: true },
  status: { is: 'enum', values: TRANSFER_STATES },
  approvalId: { is: 'string', optional: true },
  txHash: { is: 'string', optional: true },
  fee: { is: 'string', optional: true },
  reason: { is: 'string', optional: true },
  eventKind: { is: 'string', nonEmpty: true },
  eventTime: { is: 'string', nonEmpty: true },
  deliveryId: { is: 'string', optional: true },
} as const satisfies Record<string, FieldRule>;

/** An approval update's fields, in the order the schema lists them. */
export const APPROVAL_UPDATE_FIELDS = {
  kind: { is: 'literal', value: 'approval' },
  source: { is: 'enum', values: APPROVAL_SOURCES },
  approvalId: { is: 'string', nonEmpty: true },
  externalId: { is: 'string', nonEmpty: true, optional: true },
  status: { is: 'enum', values: APPROVAL_STATES },
  expirationDate: { is: 'string', optional: true },
  reason: { is: 'string', optional: true },
  decidedBy: { is: 'string', optional: true },
  decisions: { is: 'decisions', optional: true },
  eventKind: { is: 'string', nonEmpty: true },
  eventTime: { is: 'string', nonEmpty: true },
  deliveryId: { is: 'string', optional: true },
} as const satisfies Record<string, FieldRule>;

/** A policy update's fields (a policy of the org triggered on the transfer), in the order the schema lists them. */
export const POLICY_UPDATE_FIELDS = {
  kind: { is: 'literal', value: 'policy' },
  source: { is: 'enum', values: POLICY_SOURCES },
  externalId: { is: 'string', nonEmpty: true },
  transferId: { is: 'string', optional: true },
  evaluationId: { is: 'string', nonEmpty: true },
  policyId: { is: 'string', optional: true },
  policyName: { is: 'string', optional: true },
  check: { is: 'enum', values: POLICY_CHECKS },
  outcome: { is: 'enum', values: POLICY_OUTCOMES },
  alertLevel: { is: 'enum', values: ALERT_LEVELS, optional: true },
  category: { is: 'string', optional: true },
  exposure: { is: 'enum', values: EXPOSURES, optional: true },
  reason: { is: 'string', optional: true },
  eventKind: { is: 'string', nonEmpty: true },
  eventTime: { is: 'string', nonEmpty: true },
  deliveryId: { is: 'string', optional: true },
} as const satisfies Record<string, FieldRule>;
