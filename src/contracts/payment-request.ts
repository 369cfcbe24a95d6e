import { z } from 'zod';
import { amountProblem } from './amount';
import {
  addressProblem,
  amountBoundProblem,
  dustProblem,
  findKnownToken,
  sameAddress,
  TOKEN_KINDS,
} from './chain-rules';
import { NETWORKS, NETWORK_NAMES } from './networks';
import { poolNameSchema } from './pool-name';
import { isOnCurve } from './solana-curve';

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

/**
 * Display only (summaries), for tokens the orchestrator does not know; Dfns reads the token's own metadata. For a
 * known token (networks.ts) a value that differs from the token's own is refused.
 */
const tokenDisplay = {
  symbol: z.string().min(1).max(12).optional(),
  decimals: z.number().int().min(0).max(36).optional(),
};

/** The fields of an SPL or Token-2022 asset: the same Dfns body (`mint`, `createDestinationAccount`). */
const solanaToken = {
  mint: z.string(),
  /**
   * Whether Dfns may create the recipient's token account (paying its rent) when it has none. Required, because
   * either default surprises someone: a payout that fails on a new recipient, or rent spent without asking.
   */
  createDestinationAccount: z.boolean({ error: 'is required: true or false' }),
  /**
   * Whether the recipient may be off the ed25519 curve (a program-derived address, such as a multisig vault) when
   * its token account is created. Named after @solana/spl-token's `allowOwnerOffCurve`, and like it off by default:
   * an account created for an owner nobody can sign for may lock the funds. The orchestrator checks it; it is not
   * sent to Dfns.
   */
  allowOwnerOffCurve: z.boolean({ error: 'must be true or false' }).optional(),
  ...tokenDisplay,
};

/** What a payment (or a pool) pays in: the network's native coin, or one of its tokens. */
export const assetSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('Native') }).strict(),
    z.object({ kind: z.literal('Erc20'), contract: z.string(), ...tokenDisplay }).strict(),
    z.object({ kind: z.literal('Trc20'), contract: z.string(), ...tokenDisplay }).strict(),
    z.object({ kind: z.literal('Spl'), ...solanaToken }).strict(),
    z.object({ kind: z.literal('Spl2022'), ...solanaToken }).strict(),
  ],
  {
    error:
      'must be {"kind":"Native"}, {"kind":"Erc20","contract":…}, {"kind":"Trc20","contract":…}, ' +
      '{"kind":"Spl","mint":…,"createDestinationAccount":…} or {"kind":"Spl2022","mint":…,"createDestinationAccount":…}',
  },
);

type Asset = z.infer<typeof assetSchema>;

/** Checks a token asset against its network: a kind of that chain, a valid contract or mint, the known-token table. */
function tokenProblems(network: (typeof NETWORK_NAMES)[number], asset: Asset, add: AddProblem): boolean {
  if (asset.kind === 'Native') return true;
  const kinds = TOKEN_KINDS[NETWORKS[network].family];
  if (!kinds.includes(asset.kind)) {
    const expected = kinds.length > 0 ? `${kinds.join(' or ')} ${kinds.length > 1 ? 'are' : 'is'}` : 'only Native is';
    add(['asset', 'kind'], `${asset.kind} is not a token kind on ${network} (${expected})`);
    return false;
  }
  const [field, id] =
    asset.kind === 'Spl' || asset.kind === 'Spl2022' ? ['mint', asset.mint] : ['contract', asset.contract];
  const idProblem = addressProblem(network, id);
  add(['asset', field], idProblem);
  const known = idProblem ? undefined : findKnownToken(network, id);
  if (!known) return idProblem === undefined;
  if (known.kind !== asset.kind) {
    add(['asset', 'kind'], `must be ${known.kind}: ${id} is ${known.symbol}, a ${known.kind} token on ${network}`);
  }
  if (asset.decimals !== undefined && asset.decimals !== known.decimals) {
    add(['asset', 'decimals'], `must be ${known.decimals} (${known.symbol}'s own) or left out`);
  }
  if (asset.symbol !== undefined && asset.symbol !== known.symbol) {
    add(['asset', 'symbol'], `must be ${known.symbol} (the token's own) or left out`);
  }
  return known.kind === asset.kind;
}

type AddProblem = (path: (string | number)[], message: string | undefined) => void;

/** The fields of a payment; the idempotency key travels beside them (in the body, or as an HTTP header). */
/** The characters RFC 3986 allows in a URI (reserved, unreserved and percent escapes), after an http(s) scheme. */
const URI_PATTERN = "^https?://[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]+$";
const URI_CHARACTERS = new RegExp(URI_PATTERN);
/** Whether the URL check above passes, so that a refused URL is named once. */
const isHttpUrl = (value: string) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);

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
    // A URI as RFC 3986 (and the contract's `format: uri`) allows: a WHATWG parser would also take an international
    // name or a space and rewrite it, so the contract and the route would disagree on what is valid.
    .refine((url) => !isHttpUrl(url) || URI_CHARACTERS.test(url), {
      error:
        "must be a URI: ASCII letters, digits and - . _ ~ : / ? # [ ] @ ! $ & ' ( ) * + , ; = % only " +
        '(an international host name in punycode, xn--…)',
    })
    .meta({
      pattern: URI_PATTERN,
      description:
        'Where the signed outcome is POSTed when the payment ends: https to a public address (plain http only for ' +
        "hosts the operator allows), one of the client's callback hosts when it has a list; redirects are not followed",
    })
    .optional(),
});

/**
 * Rules across fields, each from its chain's own standard (docs/networks.md lists them with their sources): the
 * address format, the amount's type for the asset kind, Bitcoin's dust threshold, token kinds and the known tokens,
 * no payment to a token's own contract or mint, the off-curve rule for SPL token accounts, and fee sponsors where
 * Dfns offers them.
 */
function checkAcrossFields(request: z.infer<typeof paymentFields>, ctx: z.RefinementCtx): void {
  const { network, asset, to, amount } = request;
  const problem: AddProblem = (path, message) => {
    if (message) ctx.addIssue({ code: 'custom', path, message });
  };
  const toProblem = addressProblem(network, to);
  problem(['to'], toProblem);
  const tokenOk = tokenProblems(network, asset, problem);
  if (amountProblem(amount) === undefined) {
    if (tokenOk) problem(['amount'], amountBoundProblem(network, asset.kind, amount));
    if (!toProblem) problem(['amount'], dustProblem(network, to, amount));
  }
  if (tokenOk && !toProblem && asset.kind !== 'Native') {
    const [what, id] =
      asset.kind === 'Spl' || asset.kind === 'Spl2022' ? ['mint', asset.mint] : ['contract', asset.contract];
    if (sameAddress(network, to, id))
      problem(['to'], `is the token's own ${what}: tokens sent there are locked for good`);
  }
  if ((asset.kind === 'Spl' || asset.kind === 'Spl2022') && !toProblem && asset.createDestinationAccount) {
    if (asset.allowOwnerOffCurve !== true && !isOnCurve(to)) {
      problem(
        ['to'],
        'is off the ed25519 curve (a program-derived address), so no key can sign for it: creating its token ' +
          'account may lock the funds. If it is a program you control (a multisig vault), set asset.allowOwnerOffCurve',
      );
    }
  }
  if (request.feeSponsorId !== undefined && !NETWORKS[network].supportsFeeSponsor) {
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
