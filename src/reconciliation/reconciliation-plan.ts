import { ConfigError, type Config } from '../config';
import type { PoolDefinition } from '../contracts/pool-definition';
import type { ReconciliationScope } from '../contracts/reconciliation-messages';
import type { ReconciliationPlan } from './reconciliation-schedules';

const WALLET_ID = /^wa-[A-Za-z0-9-]+$/;

/**
 * The reconciliations the worker schedules, from RECONCILIATION_WALLETS and RECONCILIATION_POOLS; a wallet id that
 * is not one, or a pool the pools file does not define, stops the worker with a message naming the variable.
 */
export function reconciliationPlan(
  config: Pick<Config, 'RECONCILIATION_WALLETS' | 'RECONCILIATION_POOLS' | 'RECONCILIATION_INTERVAL_MINUTES'>,
  pools: readonly PoolDefinition[],
): ReconciliationPlan {
  const wallets = config.RECONCILIATION_WALLETS ?? [];
  const badWallets = wallets.filter((wallet) => !WALLET_ID.test(wallet));
  if (badWallets.length > 0)
    throw new ConfigError(`RECONCILIATION_WALLETS: not Dfns wallet ids (wa-…): ${badWallets.join(', ')}`);
  const names = config.RECONCILIATION_POOLS ?? [];
  const unknown = names.filter((name) => !pools.some((pool) => pool.name === name));
  if (unknown.length > 0)
    throw new ConfigError(`RECONCILIATION_POOLS: not in the pools file (PAYMENT_POOLS_FILE): ${unknown.join(', ')}`);
  const scopes: ReconciliationScope[] = [
    ...[...new Set(wallets)].map((walletId): ReconciliationScope => ({ kind: 'wallet', walletId })),
    ...[...new Set(names)].map((pool): ReconciliationScope => ({ kind: 'pool', pool })),
  ];
  return { scopes, intervalMs: config.RECONCILIATION_INTERVAL_MINUTES * 60_000 };
}
