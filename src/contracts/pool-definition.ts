import { z } from 'zod';
import { TOKEN_KINDS } from './chain-rules';
import type { FieldError } from './field-errors';
import { NETWORKS, NETWORK_NAMES } from './networks';
import { assetIdentifier, assetSchema, type PaymentRequest } from './payment-request';
import { poolNameSchema } from './pool-name';

const walletIdSchema = z
  .string({ error: 'must be a string' })
  .regex(/^wa-[A-Za-z0-9-]+$/, 'must be a Dfns wallet id (wa-…)');

/** One wallet pool: hot wallets of one network and asset that payments naming the pool are routed across. */
export const poolDefinitionSchema = z
  .strictObject({
    name: poolNameSchema,
    network: z.enum(NETWORK_NAMES, { error: `must be one of ${NETWORK_NAMES.join(', ')}` }),
    asset: assetSchema,
    wallets: z
      .array(walletIdSchema, { error: 'must be a list of Dfns wallet ids' })
      .min(1, 'must list at least one wallet')
      .max(100, 'must list at most 100 wallets'),
    /** A Dfns fee sponsor (fs-…) used by the pool's payments that name none. */
    feeSponsorId: z
      .string()
      .regex(/^fs-[A-Za-z0-9-]+$/, 'must be a Dfns fee sponsor id (fs-…)')
      .optional(),
    /** A wallet whose balance drops below this (minimum units) is reported low (metric and alert). */
    lowBalanceThreshold: z
      .string({ error: 'must be an integer string in minimum units' })
      .regex(/^(0|[1-9][0-9]{0,77})$/, 'must be an integer string in minimum units (no sign, point or exponent)'),
  })
  .superRefine((pool, ctx) => {
    const duplicate = pool.wallets.findIndex((wallet, i) => pool.wallets.indexOf(wallet) !== i);
    if (duplicate >= 0) ctx.addIssue({ code: 'custom', path: ['wallets', duplicate], message: 'is listed twice' });
    const info = NETWORKS[pool.network];
    const kinds = TOKEN_KINDS[info.family];
    if (pool.asset.kind !== 'Native' && !kinds.includes(pool.asset.kind)) {
      const expected = kinds.length > 0 ? kinds.join(' or ') : 'only Native';
      const message = `${pool.asset.kind} is not a token kind on ${pool.network} (${expected})`;
      ctx.addIssue({ code: 'custom', path: ['asset', 'kind'], message });
    }
    if (pool.feeSponsorId !== undefined && !info.supportsFeeSponsor) {
      ctx.addIssue({ code: 'custom', path: ['feeSponsorId'], message: `no Dfns fee sponsors on ${pool.network}` });
    }
  });

export type PoolDefinition = z.infer<typeof poolDefinitionSchema>;

/** Whether two assets are the same; EVM contract addresses compare without their checksum case. */
export function sameAsset(a: PaymentRequest['asset'], b: PaymentRequest['asset']): boolean {
  if (a.kind !== b.kind) return false;
  const [x, y] = [assetIdentifier(a), assetIdentifier(b)];
  return a.kind === 'Erc20' ? x.toLowerCase() === y.toLowerCase() : x === y;
}

/**
 * Why a request cannot be paid by the pool it names, as field errors on `pool` (an unknown pool, or one of another
 * network or asset); empty when it can.
 */
export function poolProblems(
  request: Pick<PaymentRequest, 'pool' | 'network' | 'asset'>,
  pools: readonly PoolDefinition[],
): FieldError[] {
  if (request.pool === undefined) return [];
  const pool = pools.find((p) => p.name === request.pool);
  if (!pool) {
    const known = pools.map((p) => p.name).join(', ') || 'none are configured';
    return [{ field: 'pool', message: `no pool named "${request.pool}" (known: ${known})` }];
  }
  const errors: FieldError[] = [];
  if (pool.network !== request.network)
    errors.push({ field: 'pool', message: `pool "${pool.name}" pays on ${pool.network}, not ${request.network}` });
  if (!sameAsset(pool.asset, request.asset))
    errors.push({ field: 'pool', message: `pool "${pool.name}" pays ${assetIdentifier(pool.asset)}, not this asset` });
  return errors;
}
