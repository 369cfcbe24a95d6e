import { loadClientBindings } from '../clients/load-clients-file';
import { requestPayerProblems } from '../clients/payer-problems';
import type { Config } from '../config';
import type { RowBodyCheck } from '../contracts/batch-row';
import { poolProblems } from '../contracts/pool-definition';
import { loadPoolFile } from '../pools/load-pool-file';

/**
 * On Temporal directly, what the CLI checks a payment's payer against before starting it, from the files configured
 * here: with PAYMENT_CLIENTS_FILE, the wallets and pools of PAYMENTS_CLIENT_ID (or of payments without a client);
 * with only PAYMENT_POOLS_FILE, that the pool is declared for the payment's network and asset. With neither, nothing
 * is checked here, and the worker refuses what its own files do not allow (WalletNotBound, PoolUnavailable).
 */
export function localPayerCheck(config: Config): RowBodyCheck | undefined {
  if (!config.PAYMENT_CLIENTS_FILE && !config.PAYMENT_POOLS_FILE) return undefined;
  const pools = loadPoolFile(config.PAYMENT_POOLS_FILE);
  if (!config.PAYMENT_CLIENTS_FILE) return (body) => poolProblems(body, pools);
  const binding = loadClientBindings(config.PAYMENT_CLIENTS_FILE, pools).of(config.PAYMENTS_CLIENT_ID);
  return (body) => requestPayerProblems(body, binding, pools);
}
