import { z } from 'zod';

/**
 * Org-specific values are never written into the files: `{"$org": "…"}` marks where configuration fills them in,
 * so the same file applies to the sandbox and to any real org.
 */
const approversMarker = z.strictObject({
  $org: z.enum(['approvers', 'complianceApprovers']),
  count: z.number().int().min(1).max(100),
});
const whitelistMarker = z.strictObject({ $org: z.literal('recipientWhitelist') });
const walletFilterMarker = z.strictObject({ $org: z.literal('walletFilter') });
const timeoutMarker = z.strictObject({ $org: z.literal('autoRejectTimeout') });

// Dfns takes USD limits as JSON numbers; whole dollars keep them exact.
const usdLimit = z.number().int('must be whole US dollars').positive().max(Number.MAX_SAFE_INTEGER);
const countLimit = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const timeframe = z.number().int('must be whole minutes').min(1).max(43_200);
const ids = z.array(z.string().min(1));

const categoryIds = z.array(z.number().int().min(0), { error: 'must be a list of Chainalysis category ids' });

/** KYT pre-screening by Chainalysis (@dfns/sdk's `ChainalysisTransactionPrescreening`). */
const prescreening = z.strictObject({
  kind: z.literal('ChainalysisTransactionPrescreening'),
  configuration: z.strictObject({
    alerts: z.strictObject({ alertLevel: z.enum(['LOW', 'MEDIUM', 'HIGH', 'SEVERE']), categoryIds }),
    exposures: z.strictObject({ direct: z.strictObject({ categoryIds }) }),
    addresses: z.strictObject({ categoryIds }),
    userIdTemplate: z.string().min(1).optional(),
    fallbackBehaviours: z.strictObject({
      skipUnscreenableTransaction: z.boolean(),
      skipUnsupportedNetwork: z.boolean(),
      skipUnsupportedAsset: z.boolean(),
      skipChainalysisFailure: z.boolean(),
    }),
  }),
});

const rule = z.discriminatedUnion('kind', [
  prescreening,
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
    configuration: z.strictObject({ limit: countLimit, timeframe }),
  }),
  z.strictObject({
    kind: z.literal('TransactionRecipientWhitelist'),
    configuration: z.strictObject({
      addresses: z.union([ids, whitelistMarker], {
        error: 'must be a list of addresses or {"$org": "recipientWhitelist"}',
      }),
    }),
  }),
]);

const approvalGroup = z
  .strictObject({
    name: z.string().min(1).optional(),
    quorum: z.number().int().min(1),
    approvers: z.strictObject({
      userId: z
        .strictObject({
          in: z.union([ids.min(1), approversMarker], {
            error: 'must be a list of user ids or {"$org": "approvers" | "complianceApprovers", "count": N}',
          }),
        })
        .optional(),
    }),
    initiatorCanApprove: z.boolean().optional(),
  })
  .refine(
    (group) => {
      const listed = group.approvers.userId?.in;
      const size = listed === undefined ? Infinity : Array.isArray(listed) ? listed.length : listed.count;
      return group.quorum <= size;
    },
    { message: 'must not exceed the number of approvers', path: ['quorum'] },
  );

const action = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('RequestApproval'),
    approvalGroups: z.array(approvalGroup).min(1),
    autoRejectTimeout: z
      .union([z.number().int().min(1), timeoutMarker, z.null()], {
        error: 'must be whole minutes, null or {"$org": "autoRejectTimeout"}',
      })
      .optional(),
  }),
  z.strictObject({ kind: z.literal('Block') }),
  z.strictObject({ kind: z.literal('NoAction') }),
]);

const filters = z.union(
  [
    walletFilterMarker,
    z.strictObject({
      walletId: z.strictObject({ in: ids.min(1) }).optional(),
      walletTags: z.strictObject({ hasAny: ids.optional(), hasAll: ids.optional() }).optional(),
    }),
  ],
  { error: 'must be {"walletId": {"in": [...]}, "walletTags": {...}} or {"$org": "walletFilter"}' },
);

const policy = z.strictObject({
  name: z.string().min(1).max(200),
  activityKind: z.literal('Wallets:Sign'),
  rule,
  action,
  filters: filters.optional(),
});

/**
 * Which networks and transfer kinds the KYT screening provider covers, as Dfns lists them, with the page it lists
 * them on: plan shows which of the orchestrator's networks are screened and which pass by the fallback behaviours.
 */
const screeningCoverage = z.strictObject({
  source: z.url(),
  networks: z.strictObject({ Native: z.array(z.string().min(1)), Erc20: z.array(z.string().min(1)) }),
});

/** A versioned policy file (`policies/<set>.json`): Dfns v2 create bodies, with `{"$org": …}` placeholders. */
export const policyFileSchema = z
  .strictObject({
    set: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case, e.g. "standard"'),
    version: z.number().int().min(1),
    description: z.string().optional(),
    screening: screeningCoverage.optional(),
    policies: z.array(policy).min(1),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.policies.forEach((item, index) => {
      // The prefix is how plan finds the org policies this file owns, including ones to archive.
      if (!item.name.startsWith(`${file.set}: `)) {
        ctx.addIssue({ code: 'custom', path: ['policies', index, 'name'], message: `must start with "${file.set}: "` });
      }
      if (seen.has(item.name))
        ctx.addIssue({ code: 'custom', path: ['policies', index, 'name'], message: `duplicates "${item.name}"` });
      seen.add(item.name);
      if (item.rule.kind === 'ChainalysisTransactionPrescreening' && !file.screening) {
        ctx.addIssue({
          code: 'custom',
          path: ['screening'],
          message:
            'is required with a ChainalysisTransactionPrescreening rule: the networks Dfns screens, and where it lists them',
        });
      }
    });
  });

/** A parsed policy file. */
export type PolicyFile = z.infer<typeof policyFileSchema>;

/** One policy of a file, placeholders still in place. */
export type PolicyTemplate = PolicyFile['policies'][number];

/** The screened networks a file declares. */
export type ScreeningCoverage = z.infer<typeof screeningCoverage>;
