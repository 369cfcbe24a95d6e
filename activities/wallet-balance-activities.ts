import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../src/contracts/failure-types';
import type { PoolDefinition } from '../src/contracts/pool-definition';
import type { DfnsGateway } from '../src/dfns/dfns-gateway';
import { toDfnsFailure } from '../src/dfns/dfns-failure';
import { balanceOf, dfnsWalletAssetsSchema } from '../src/dfns/wallet-assets-schema';

/** Creates the activity that reads a pool's balances from Dfns (one read per wallet). */
export function createWalletBalanceActivities({ dfns }: { dfns: DfnsGateway }) {
  return {
    /** Each wallet's balance of the pool's asset, in minimum units. */
    async readWalletBalances({ pool }: { pool: PoolDefinition }): Promise<Record<string, string>> {
      const balances: Record<string, string> = {};
      for (const walletId of pool.wallets) {
        let raw: unknown;
        try {
          raw = await dfns.wallets.getWalletAssets({ walletId });
        } catch (error) {
          throw toDfnsFailure(error, 'getWalletAssets');
        }
        const parsed = dfnsWalletAssetsSchema.safeParse(raw);
        if (!parsed.success)
          throw ApplicationFailure.retryable(
            `getWalletAssets: Dfns returned wallet assets the orchestrator cannot read (${walletId})`,
            FailureType.DfnsUnavailable,
          );
        balances[walletId] = balanceOf(parsed.data, pool.asset);
      }
      return balances;
    },
  };
}

export type WalletBalanceActivities = ReturnType<typeof createWalletBalanceActivities>;
