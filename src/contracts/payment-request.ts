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

const amountSchema = z.string({ error: 'must be a string of digits' }).superRefine((value, ctx) => {
  const problem = amountProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const assetSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('Native') }),
    z.object({
      kind: z.literal('Erc20'),
      contract: z.string(),
      /** Display only (summaries); Dfns reads the token's own metadata. */
      symbol: z.string().min(1).max(12).optional(),
      decimals: z.number().int().min(0).max(36).optional(),
    }),
  ],
  { error: 'must be {"kind":"Native"} or {"kind":"Erc20","contract":"0x…"}' },
);

/** What a service asks for: one outbound transfer from a Dfns wallet, keyed by the caller's idempotency key. */
export const paymentRequestSchema = z
  .object({
    idempotencyKey: idempotencyKeySchema,
    walletId: z.string({ error: 'is required' }).regex(/^wa-[A-Za-z0-9-]+$/, 'must be a Dfns wallet id (wa-…)'),
    network: z.enum(NETWORK_NAMES, { error: `must be one of ${NETWORK_NAMES.join(', ')}` }),
    asset: assetSchema,
    to: z.string({ error: 'is required' }),
    amount: amountSchema,
    /** The caller's own reference, shown to operators ("payout 123"). */
    reference: z.string().max(200).optional(),
    /** Where the signed outcome callback goes when the payment ends (optional). */
    callbackUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(2000)
      .optional(),
  })
  .strict()
  .superRefine((request, ctx) => {
    if (NETWORKS[request.network].family !== 'evm') return;
    const toProblem = evmAddressProblem(request.to);
    if (toProblem) ctx.addIssue({ code: 'custom', path: ['to'], message: toProblem });
    if (request.asset.kind === 'Erc20') {
      const contractProblem = evmAddressProblem(request.asset.contract);
      if (contractProblem) ctx.addIssue({ code: 'custom', path: ['asset', 'contract'], message: contractProblem });
    }
  });

export type PaymentRequest = z.infer<typeof paymentRequestSchema>;
