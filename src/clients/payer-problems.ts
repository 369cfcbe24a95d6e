import type { FieldError } from '../contracts/field-errors';
import type { PaymentRequest } from '../contracts/payment-request';
import { poolProblems, type PoolDefinition } from '../contracts/pool-definition';
import type { ClientBinding } from './client-bindings';

/**
 * The answers to a wallet or pool the caller may not pay from. They are the same whether the wallet or pool exists
 * for another client or not at all, so that a caller learns nothing about what is not its own.
 */
export const NOT_A_WALLET_OF_THIS_CLIENT = 'is not a wallet this client may pay from';
export const NOT_A_POOL_OF_THIS_CLIENT = 'is not a pool this client may pay from';

/**
 * Why the payer of a request may not pay it, as field errors on `walletId` or `pool`; empty when it may. A request
 * names a wallet or a pool; one that names both (the pool's chosen wallet, as the worker submits it) is paid through
 * the pool, so the wallet must be one of that pool's (`pools`, as the pools file declares them).
 */
export function payerProblems(
  request: Pick<PaymentRequest, 'walletId' | 'pool'>,
  binding: ClientBinding,
  pools: readonly PoolDefinition[] = [],
): FieldError[] {
  if (request.pool !== undefined) {
    if (!binding.pools.has(request.pool)) return [{ field: 'pool', message: NOT_A_POOL_OF_THIS_CLIENT }];
    if (request.walletId === undefined) return [];
    const members = pools.find((pool) => pool.name === request.pool)?.wallets ?? [];
    return members.includes(request.walletId)
      ? []
      : [{ field: 'walletId', message: `is not a wallet of pool "${request.pool}"` }];
  }
  if (request.walletId !== undefined && !binding.wallets.has(request.walletId))
    return [{ field: 'walletId', message: NOT_A_WALLET_OF_THIS_CLIENT }];
  return [];
}

/**
 * Why a caller's request cannot be paid as it names its payer: a wallet or pool it may not pay from, or one of its
 * pools that pays another network or asset. Only the caller's own pools are ever named in an answer.
 */
export function requestPayerProblems(
  request: Pick<PaymentRequest, 'walletId' | 'pool' | 'network' | 'asset'>,
  binding: ClientBinding,
  pools: readonly PoolDefinition[],
): FieldError[] {
  const problems = payerProblems(request, binding);
  if (problems.length > 0) return problems;
  return poolProblems(
    request,
    pools.filter((pool) => binding.pools.has(pool.name)),
  );
}
