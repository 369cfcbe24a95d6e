import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { PoolActivities } from '../activities/pool-activities';
import type { WalletBalanceActivities } from '../activities/wallet-balance-activities';
import { NON_RETRYABLE_FAILURE_TYPES } from '../src/contracts/failure-types';
import { dfnsTaskQueue } from '../src/contracts/task-queues';

const nonRetryableErrorTypes = [...NON_RETRYABLE_FAILURE_TYPES];

/**
 * A pool's balance read: on the Dfns read queue, under the Dfns budget. A read that keeps failing is given up
 * after a few minutes; the pool keeps its last balances and tries again at its next refresh.
 */
export const readWalletBalances: WalletBalanceActivities['readWalletBalances'] = (input) =>
  proxyActivities<WalletBalanceActivities>({
    startToCloseTimeout: '1m',
    scheduleToCloseTimeout: '5m',
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', nonRetryableErrorTypes },
    taskQueue: dfnsTaskQueue(workflowInfo().taskQueue, 'read'),
  }).readWalletBalances(input);

/**
 * Asking the pool for a wallet: on the payment's own queue (it calls Temporal, not Dfns). Retried until it answers;
 * a retry is harmless, because the pool answers a payment that already holds a wallet with the same one.
 */
const reserveOptions: ActivityOptions = {
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', nonRetryableErrorTypes },
};
export const { reservePoolWallet } = proxyActivities<PoolActivities>(reserveOptions);
