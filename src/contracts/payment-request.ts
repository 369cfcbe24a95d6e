import { z } from 'zod';
import { amountProblem } from './amount';
import { addressProblem, amountBoundProblem, FAMILY_RULES } from './chain-rules';
import { NETWORKS, NETWORK_NAMES } from './networks';
import { poolNameSchema } from './pool-name';

/** Idempotency keys become part of the workflow id and of Dfns's externalId, so their alphabet is narrow. */
export const idempotencyKeySchema = z
  .string({ error: 'is required' })
  .min(1, 'is required')
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'may contain only letters, digits, ".", "_" and "-"');

const amountSchema = z
  .string({ error: 'must be a string of digits' })
  .superRefine((value, ctx) => {
    const problem = amountProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    pattern: '^[1-9][0-9]*$',
    description: "Integer in the asset's minimum units (wei; 1000000 = 1 USDC), within the network's bound",
  });

/** Display only (summaries); Dfns reads the token's own metadata. */
const tokenDisplay = {
  symbol: z.string().min(1).max(12).optional(),
  decimals: z.number().int().min(0).max(36).optional(),
};

/** What a payment (or a pool) pays in: the network's native coin, or one of its tokens. */
export const assetSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('Native') }).strict(),
    z.object({ kind: z.literal('Erc20'), contract: z.string(), ...tokenDisplay }).strict(),
    z.object({ kind: z.literal('Trc20'), contract: z.string(), ...tokenDisplay }).strict(),
    z
      .object({
        kind: z.literal('Spl'),
        mint: z.string(),
        /**
         * Whether Dfns may create the recipient's token account (paying its rent) when it has none. Required, because
         * either default surprises someone: a payout that fails on a new recipient, or rent spent without asking.
         */
        createDestinationAccount: z.boolean({ error: 'is required: true or false' }),
        ...tokenDisplay,
      })
      .strict(),
  ],
  {
    error:
      'must be {"kind":"Native"}, {"kind":"Erc20","contract":…}, {"kind":"Trc20","contract":…} or ' +
      '{"kind":"Spl","mint":…,"createDestinationAccount":…}',
  },
);

/** The fields of a payment; the idempotency key travels beside them (in the body, or as an HTTP header). */
const paymentFields = z.object({
  /** The Dfns wallet that pays; or leave it out and name a `pool`, which picks one. */
  walletId: z
    .string({ error: 'must be a string' })
    .regex(/^wa-[A-Za-z0-9-]+$/, 'must be a Dfns wallet id (wa-…)')
    .optional(),
  /** A wallet pool (see pools/) that picks the paying wallet; the payment names either `walletId` or `pool`. */
  pool: poolNameSchema.optional().meta({ description: 'A wallet pool by name, instead of walletId' }),
  network: z.enum(NETWORK_NAMES, { error: `must be one of ${NETWORK_NAMES.join(', ')}` }),
  asset: assetSchema,
  to: z.string({ error: 'is required' }).meta({ description: "The recipient, in the network's address format" }),
  amount: amountSchema,
  /** A Dfns fee sponsor (fs-…) that pays the network fee, on networks where Dfns offers them. */
  feeSponsorId: z
    .string()
    .regex(/^fs-[A-Za-z0-9-]+$/, 'must be a Dfns fee sponsor id (fs-…)')
    .optional(),
  /** The caller's own reference, shown to operators ("payout 123"). */
  reference: z.string().max(200).optional(),
  /**
   * Where the signed outcome callback goes when the payment ends (optional). The server checks more than this shape:
   * https to a public address (http only for receivers the operator allows), and the client's callback hosts.
   */
  callbackUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(2000)
    .meta({
      pattern: '^https?://',
      description:
        'Where the signed outcome is POSTed when the payment ends: https to a public address (plain http only for ' +
        "hosts the operator allows), one of the client's callback hosts when it has a list; redirects are not followed",
    })
    .optional(),
});

/** Rules across fields: the address formats and amount bounds of the network's family, tokens it knows, sponsors. */
function checkAcrossFields(request: z.infer<typeof paymentFields>, ctx: z.RefinementCtx): void {
  const { network, asset } = request;
  const info = NETWORKS[network];
  const problem = (path: (string | number)[], message: string | undefined) => {
    if (message) ctx.addIssue({ code: 'custom', path, message });
  };
  problem(['to'], addressProblem(network, request.to));
  if (amountProblem(request.amount) === undefined) problem(['amount'], amountBoundProblem(network, request.amount));
  if (asset.kind !== 'Native') {
    const expected = FAMILY_RULES[info.family].tokenKind;
    if (asset.kind !== expected) {
      problem(['asset', 'kind'], `${asset.kind} is not a token kind on ${network} (${expected ?? 'only Native'} is)`);
    } else if (asset.kind === 'Spl') {
      problem(['asset', 'mint'], addressProblem(network, asset.mint));
    } else {
      problem(['asset', 'contract'], addressProblem(network, asset.contract));
    }
  }
  if (request.feeSponsorId !== undefined && !info.supportsFeeSponsor) {
    problem(['feeSponsorId'], `Dfns fee sponsors are not available on ${network}`);
  }
}

/**
 * Exactly one payer: a wallet or a pool. Checked even when other fields are bad (`when`), so a caller sees this
 * problem beside the others rather than after fixing them.
 */
function checkPayer(request: { walletId?: unknown; pool?: unknown }, ctx: z.RefinementCtx): void {
  if (request.walletId === undefined && request.pool === undefined) {
    ctx.addIssue({ code: 'custom', path: ['walletId'], message: 'is required (or name a pool)' });
  } else if (request.walletId !== undefined && request.pool !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['pool'], message: 'name either walletId or pool, not both' });
  }
}
const payerAlways = {
  when: (payload: z.core.ParsePayload) =>
    typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
};

/** A payment's body over HTTP, where the idempotency key is the `Idempotency-Key` header. Unknown fields refused. */
export const paymentBodySchema = paymentFields
  .strict()
  .superRefine(checkAcrossFields)
  .superRefine(checkPayer, payerAlways);

/** What a service asks for: one outbound transfer from a Dfns wallet, keyed by the caller's idempotency key. */
export const paymentRequestSchema = paymentFields
  .extend({ idempotencyKey: idempotencyKeySchema })
  .strict()
  .superRefine(checkAcrossFields)
  .superRefine(checkPayer, payerAlways);

export type PaymentRequest = z.infer<typeof paymentRequestSchema>;
/** A payment's fields without its idempotency key. */
export type PaymentBody = z.infer<typeof paymentBodySchema>;

// Re-exported for the edges; it lives apart so the workflow bundle can use it without loading this zod schema.
export { assetIdentifier } from './asset-identifier';
