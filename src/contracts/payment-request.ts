import { z } from 'zod';
import { amountProblem } from './amount';
import { evmAddressProblem } from './evm-address';
import { NETWORKS, NETWORK_NAMES } from './networks';

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
  // The contract's pattern stops at 77 digits, all below 2^256; the full uint256 range is accepted.
  .meta({ pattern: '^[1-9][0-9]{0,76}$', description: 'Integer in minimum units (wei; 1000000 = 1 USDC), 1 to 2^256-1' });

/** Documented as all-lowercase or all-uppercase hex; an EIP-55 checksummed mixed-case address is accepted too. */
const evmAddressMeta = {
  pattern: '^0x([0-9a-f]{40}|[0-9A-F]{40})$',
  description: '0x and 40 hex digits; mixed case must carry a valid EIP-55 checksum',
};

const assetSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('Native') }).strict(),
    z.object({
      kind: z.literal('Erc20'),
      contract: z.string().meta(evmAddressMeta),
      /** Display only (summaries); Dfns reads the token's own metadata. */
      symbol: z.string().min(1).max(12).optional(),
      decimals: z.number().int().min(0).max(36).optional(),
    }).strict(),
  ],
  { error: 'must be {"kind":"Native"} or {"kind":"Erc20","contract":"0x…"}' },
);

/** The fields of a payment; the idempotency key travels beside them (in the body, or as an HTTP header). */
const paymentFields = z.object({
  walletId: z.string({ error: 'is required' }).regex(/^wa-[A-Za-z0-9-]+$/, 'must be a Dfns wallet id (wa-…)'),
  network: z.enum(NETWORK_NAMES, { error: `must be one of ${NETWORK_NAMES.join(', ')}` }),
  asset: assetSchema,
  to: z.string({ error: 'is required' }).meta(evmAddressMeta),
  amount: amountSchema,
  /** The caller's own reference, shown to operators ("payout 123"). */
  reference: z.string().max(200).optional(),
  /** Where the signed outcome callback goes when the payment ends (optional). */
  callbackUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(2000)
    .meta({ pattern: '^https?://' })
    .optional(),
});

/** Addresses are checked for the network's family (EVM: EIP-55), so a typo never reaches Dfns. */
function checkAddresses(request: z.infer<typeof paymentFields>, ctx: z.RefinementCtx): void {
  if (NETWORKS[request.network].family !== 'evm') return;
  const toProblem = evmAddressProblem(request.to);
  if (toProblem) ctx.addIssue({ code: 'custom', path: ['to'], message: toProblem });
  if (request.asset.kind === 'Erc20') {
    const contractProblem = evmAddressProblem(request.asset.contract);
    if (contractProblem) ctx.addIssue({ code: 'custom', path: ['asset', 'contract'], message: contractProblem });
  }
}

/** A payment's body over HTTP, where the idempotency key is the `Idempotency-Key` header. Unknown fields refused. */
export const paymentBodySchema = paymentFields.strict().superRefine(checkAddresses);

/** What a service asks for: one outbound transfer from a Dfns wallet, keyed by the caller's idempotency key. */
export const paymentRequestSchema = paymentFields
  .extend({ idempotencyKey: idempotencyKeySchema })
  .strict()
  .superRefine(checkAddresses);

export type PaymentRequest = z.infer<typeof paymentRequestSchema>;
/** A payment's fields without its idempotency key. */
export type PaymentBody = z.infer<typeof paymentBodySchema>;

/** One field-level problem with a request, in a form every edge (client, CLI, HTTP) can show as is. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Flattens zod issues to dotted field paths ("asset.contract"), so errors name the field. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(request)',
    message: issue.message,
  }));
}
