import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { PoolDefinition } from '../src/contracts/pool-definition';
import {
  scheduledRunSignal,
  type ReconciliationTick,
  type ReconciliationTimings,
} from '../src/contracts/reconciliation-messages';
import {
  closedReconciliationState,
  reconciliationStart,
  scopeWallets,
  UnknownPoolError,
} from '../src/reconciliation/reconciliation-start';
import { reconciliationIdFor } from '../src/contracts/reconciliation-messages';

/** The trigger's dependencies: Temporal, where reconciliations run, and the pools file as the worker loaded it. */
export interface ReconciliationTriggerDeps {
  temporal: Client;
  taskQueue: string;
  pools: readonly PoolDefinition[];
  /** Overrides the reconciliations' timings (tests). */
  timings?: Partial<ReconciliationTimings>;
}

/** Creates the activity a Schedule's tick runs. */
export function createReconciliationTriggerActivities(deps: ReconciliationTriggerDeps) {
  return {
    /**
     * Asks the reconciliation's workflow for a scheduled run, starting it if it is not running (Signal-With-Start),
     * with the wallets its scope covers now (a pool's, from the pools file).
     */
    async requestScheduledRun({ scope }: ReconciliationTick): Promise<void> {
      let wallets: string[];
      try {
        wallets = scopeWallets(scope, deps.pools);
      } catch (error) {
        if (error instanceof UnknownPoolError) throw ApplicationFailure.nonRetryable(error.message, 'UnknownPool');
        throw error;
      }
      const previous = await closedReconciliationState(deps.temporal, reconciliationIdFor(scope));
      const { workflowType, ...start } = reconciliationStart(scope, wallets, deps.taskQueue, deps.timings, previous);
      await deps.temporal.workflow.signalWithStart(workflowType, {
        ...start,
        signal: scheduledRunSignal,
        signalArgs: [{ wallets, ...(deps.timings?.lookbackMs ? { lookbackMs: deps.timings.lookbackMs } : {}) }],
      });
    },
  };
}

export type ReconciliationTriggerActivities = ReturnType<typeof createReconciliationTriggerActivities>;
