import { NO_CLIENT_BINDINGS } from '../clients/client-bindings';
import { loadClientBindings } from '../clients/load-clients-file';
import { requestPayerProblems, travelRuleProblems } from '../clients/payer-problems';
import type { Config } from '../config';
import type { RowBodyCheck } from '../contracts/batch-row';
import { poolProblems } from '../contracts/pool-definition';
import { loadPoolFile } from '../pools/load-pool-file';

/**
 * On Temporal directly, what the CLI checks a payment against before starting it, from the files configured here:
 * with PAYMENT_CLIENTS_FILE, the wallets and pools of PAYMENTS_CLIENT_ID (or of payments without a client); with only
 * PAYMENT_POOLS_FILE, that the pool is declared for the payment's network and asset; and the Travel Rule thresholds
 * of TRAVEL_RULE_REQUIRED_FROM and of the client's entry. With none of them, nothing is checked here, and the worker
 * refuses what its own files do not allow (WalletNotBound, PoolUnavailable).
 */
export function localPayerCheck(config: Config): RowBodyCheck | undefined {
  const deployment = config.TRAVEL_RULE_REQUIRED_FROM ?? [];
  if (!config.PAYMENT_CLIENTS_FILE && !config.PAYMENT_POOLS_FILE && deployment.length === 0) return undefined;
  const pools = loadPoolFile(config.PAYMENT_POOLS_FILE);
  if (!config.PAYMENT_CLIENTS_FILE) {
    return (body) => [
      ...(config.PAYMENT_POOLS_FILE ? poolProblems(body, pools) : []),
      ...travelRuleProblems(body, NO_CLIENT_BINDINGS.of(undefined), deployment),
    ];
  }
  const binding = loadClientBindings(config.PAYMENT_CLIENTS_FILE, pools).of(config.PAYMENTS_CLIENT_ID);
  return (body) => [...requestPayerProblems(body, binding, pools), ...travelRuleProblems(body, binding, deployment)];
}
