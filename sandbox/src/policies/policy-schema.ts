import { z } from 'zod';

// The `Wallets:Sign` branch of `CreatePolicyBody` in @dfns/sdk@0.8.3 (its rule, action and filter types). Objects
// are strict: a rule, action or field the sandbox does not model is a loud 400, never ignored.

const usdLimit = z.number().finite().min(0);
const timeframe = z.number().int().min(1).max(43_200); // minutes

/** One approval group of a RequestApproval action; `approvers: {}` means any user of the org. */
export const ApprovalGroupSchema = z.strictObject({
  name: z.string().optional(),
  quorum: z.number().int().min(1),
  approvers: z.strictObject({ userId: z.strictObject({ in: z.array(z.string().min(1)) }).optional() }),
  initiatorCanApprove: z.boolean().optional(),
  /** 0.8.21: service accounts count as approvers only where this is true. */
  serviceAccountsCanApprove: z.boolean().optional(),
});

const categoryIds = z.array(z.number().int().min(0));

/** `ChainalysisTransactionPrescreening` (@dfns/sdk 0.8.3, `userIdTemplate` from 0.8.21). */
const PrescreeningConfigurationSchema = z.strictObject({
  alerts: z.strictObject({ alertLevel: z.enum(['LOW', 'MEDIUM', 'HIGH', 'SEVERE']), categoryIds }),
  exposures: z.strictObject({ direct: z.strictObject({ categoryIds }) }),
  addresses: z.strictObject({ categoryIds }),
  userIdTemplate: z.string().optional(),
  fallbackBehaviours: z.strictObject({
    skipUnscreenableTransaction: z.boolean(),
    skipUnsupportedNetwork: z.boolean(),
    skipUnsupportedAsset: z.boolean(),
    skipChainalysisFailure: z.boolean(),
  }),
});

const RuleSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('AlwaysTrigger'), configuration: z.strictObject({}).optional() }),
    z.strictObject({
      kind: z.literal('TransactionAmountLimit'),
      configuration: z.strictObject({ limit: usdLimit, currency: z.literal('USD') }),
    }),
    z.strictObject({
      kind: z.literal('TransactionAmountVelocity'),
      configuration: z.strictObject({ limit: usdLimit, currency: z.literal('USD'), timeframe }),
    }),
    z.strictObject({
      kind: z.literal('TransactionCountVelocity'),
      configuration: z.strictObject({ limit: z.number().int().min(0), timeframe }),
    }),
    z.strictObject({
      kind: z.literal('TransactionRecipientWhitelist'),
      configuration: z.strictObject({ addresses: z.array(z.string().min(1)) }),
    }),
    z.strictObject({
      kind: z.literal('ChainalysisTransactionPrescreening'),
      configuration: PrescreeningConfigurationSchema,
    }),
    z.strictObject({
      kind: z.literal('TravelRuleTransactionPrescreening'),
      configuration: z.strictObject({
        vendor: z.literal('Notabene'),
        autoTriggerTimeoutSeconds: z.number().int().min(0),
        autoClearAfterDeliveredTimeoutSeconds: z.number().int().min(0).optional(),
      }),
    }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'unsupported rule kind (the sandbox supports AlwaysTrigger, TransactionAmountLimit, ' +
          'TransactionAmountVelocity, TransactionCountVelocity, TransactionRecipientWhitelist, ' +
          'ChainalysisTransactionPrescreening, TravelRuleTransactionPrescreening)'
        : undefined,
  },
);

const ActionSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('RequestApproval'),
      approvalGroups: z.array(ApprovalGroupSchema).min(1),
      autoRejectTimeout: z.number().int().min(1).nullable().optional(),
    }),
    z.strictObject({ kind: z.literal('Block') }),
    z.strictObject({ kind: z.literal('NoAction') }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'must be RequestApproval, Block or NoAction' : undefined) },
);

const FiltersSchema = z.strictObject({
  walletId: z.strictObject({ in: z.array(z.string().min(1)) }).optional(),
  walletTags: z
    .strictObject({ hasAny: z.array(z.string().min(1)).optional(), hasAll: z.array(z.string().min(1)).optional() })
    .optional(),
});

/** `CreatePolicyBody` / `UpdatePolicyBody` (the same full definition) for `Wallets:Sign`. */
export const PolicyBodySchema = z.strictObject({
  name: z.string().min(1),
  activityKind: z.literal('Wallets:Sign', {
    error:
      'the sandbox implements only Wallets:Sign policies (Policies:Modify, Permissions:*, Registry:* are not modelled)',
  }),
  rule: RuleSchema,
  action: ActionSchema,
  filters: FiltersSchema.optional(),
});

/** The Policy object the API returns and the state file stores. */
export const PolicySchema = PolicyBodySchema.extend({
  id: z.string(),
  status: z.enum(['Active', 'Archived']),
  dateCreated: z.string(),
  dateUpdated: z.string(),
});

/** A validated policy definition. */
export type PolicyBody = z.infer<typeof PolicyBodySchema>;
/** A stored policy. */
export type Policy = z.infer<typeof PolicySchema>;
/** A policy rule. */
export type PolicyRule = Policy['rule'];
/** One approval group. */
export type ApprovalGroup = z.infer<typeof ApprovalGroupSchema>;
