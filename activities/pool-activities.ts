import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ClientBindings } from '../src/clients/client-bindings';
import { refuseUnboundPayer, type Payer } from '../src/clients/payer-check';
import { fieldErrorLine } from '../src/contracts/field-errors';
import { FailureType } from '../src/contracts/failure-types';
import type { PaymentRequest } from '../src/contracts/payment-request';
import { poolProblems, type PoolDefinition } from '../src/contracts/pool-definition';
import { reserveWalletUpdate, type PoolWorkflowInput, type ReserveResult } from '../src/contracts/pool-messages';
import { poolWorkflowId } from '../src/contracts/pool-messages';
import { POOL_WORKFLOW_TYPE } from '../src/contracts/workflow-types';
import { activityAttempt, payerClientId } from './payer-client';

/** What the payment asks its pool for. */
export interface ReservePoolWalletInput {
  paymentId: string;
  request: Pick<PaymentRequest, 'pool' | 'network' | 'asset' | 'amount'>;
  exclude: string[];
  /** Names the Update, so that a retried activity is the same request to Temporal. */
  updateId: string;
  /** Who pays: checked against the clients file before the pool is asked (see payer-client.ts when absent). */
  payer?: Payer;
}

/** The pool activities' dependencies: Temporal (to reach the pool workflow) and the pools file as loaded. */
export interface PoolActivityDeps {
  temporal: Client;
  pools: readonly PoolDefinition[];
  /** Which pools each client may name (PAYMENT_CLIENTS_FILE). */
  clients: ClientBindings;
  /** Where pool workflows run: the payment task queue. */
  taskQueue: string;
  /** How long a payment no wallet can pay waits for a refill (PAYMENT_POOL_REFILL_WAIT_MINUTES). */
  refillWaitMs: number;
  /** Overrides the pool workflows' timings (tests). */
  poolTimings?: PoolWorkflowInput['timings'];
}

/** Creates the activity through which a payment reserves a wallet of its pool. */
export function createPoolActivities(deps: PoolActivityDeps) {
  return {
    /**
     * Asks the pool's workflow for a wallet (Update-with-Start: the first payment of a pool starts its workflow).
     * A pool the payer may not name fails WalletNotBound before the pool is asked (or started, so none of its wallets'
     * balances is read); one the pools file does not declare, or whose network or asset differ, PoolUnavailable.
     */
    async reservePoolWallet(input: ReservePoolWalletInput): Promise<ReserveResult> {
      const { paymentId, request, exclude, updateId } = input;
      const payers = { clients: deps.clients, pools: deps.pools };
      refuseUnboundPayer(payers, payerClientId(input.payer), { pool: request.pool }, activityAttempt());
      const problems = poolProblems(request, deps.pools);
      const pool = deps.pools.find((p) => p.name === request.pool);
      if (problems.length > 0 || !pool)
        throw ApplicationFailure.nonRetryable(fieldErrorLine(problems), FailureType.PoolUnavailable);
      const poolInput: PoolWorkflowInput = { pool, ...(deps.poolTimings ? { timings: deps.poolTimings } : {}) };
      const answer = await deps.temporal.workflow.executeUpdateWithStart(reserveWalletUpdate, {
        args: [{ paymentId, amount: request.amount, exclude, pool }],
        updateId,
        startWorkflowOperation: new WithStartWorkflowOperation(POOL_WORKFLOW_TYPE, {
          workflowId: poolWorkflowId(pool.name),
          taskQueue: deps.taskQueue,
          args: [poolInput],
          workflowIdConflictPolicy: 'USE_EXISTING',
          staticSummary: `wallet pool ${pool.name}: ${pool.wallets.length} wallet(s) on ${pool.network}`,
        }),
      });
      return { ...answer, refillWaitMs: deps.refillWaitMs };
    },
  };
}

export type PoolActivities = ReturnType<typeof createPoolActivities>;
