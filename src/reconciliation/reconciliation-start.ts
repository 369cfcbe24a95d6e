import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { PoolDefinition } from '../contracts/pool-definition';
import {
  reconciliationIdFor,
  reconciliationStateQuery,
  type ReconciliationInput,
  type ReconciliationScope,
  type ReconciliationState,
  type ReconciliationTimings,
} from '../contracts/reconciliation-messages';
import { ReconciliationWalletsKey } from '../contracts/search-attributes';
import { queryClosedRun } from '../temporal/workflow-reads';
import { RECONCILIATION_WORKFLOW_TYPE } from '../contracts/workflow-types';

/** Thrown when a reconciliation names a pool the pools file does not define. */
export class UnknownPoolError extends Error {
  override name = 'UnknownPoolError';
}

/** The wallets a scope covers now: the wallet itself, or the pool's wallets as the pools file lists them. */
export function scopeWallets(scope: ReconciliationScope, pools: readonly PoolDefinition[]): string[] {
  if (scope.kind === 'wallet') return [scope.walletId];
  const pool = pools.find((candidate) => candidate.name === scope.pool);
  if (!pool) throw new UnknownPoolError(`no pool "${scope.pool}" in the pools file (PAYMENT_POOLS_FILE)`);
  return [...pool.wallets];
}

/**
 * How a reconciliation's workflow is started, whoever starts it first (its Schedule's tick, an operator's run): one
 * workflow per scope, its id from the scope, the wallets it covers as a search attribute.
 */
export function reconciliationStart(
  scope: ReconciliationScope,
  wallets: readonly string[],
  taskQueue: string,
  timings?: Partial<ReconciliationTimings>,
  previous?: ReconciliationState,
) {
  const reconciliationId = reconciliationIdFor(scope);
  const input: ReconciliationInput = {
    reconciliationId,
    scope,
    wallets: [...wallets],
    ...(timings ? { timings } : {}),
    ...(previous ? { carried: { state: carriedState(previous, wallets), pending: [] } } : {}),
  };
  const what = scope.kind === 'wallet' ? `wallet ${scope.walletId}` : `pool ${scope.pool} (${wallets.length} wallets)`;
  return {
    workflowType: RECONCILIATION_WORKFLOW_TYPE,
    workflowId: reconciliationId,
    taskQueue,
    args: [input] as [ReconciliationInput],
    staticSummary: `Reconciliation of ${what} against Dfns`,
    typedSearchAttributes: [{ key: ReconciliationWalletsKey, value: [...wallets] }],
  };
}

/** A closed reconciliation's state as a new workflow takes it over: its wallets now, no run in progress or queued. */
function carriedState(previous: ReconciliationState, wallets: readonly string[]): ReconciliationState {
  const { running: _running, ...rest } = previous;
  return { ...rest, wallets: [...wallets], queued: 0 };
}

/**
 * The state a reconciliation ended with, when its workflow is closed (an operator terminated it, say): a new workflow
 * for the same scope starts from it, so no checkpoint or finding is lost. Undefined while it runs or never existed.
 * A closed workflow may be queried: its history is final.
 */
export async function closedReconciliationState(
  temporal: Client,
  reconciliationId: string,
): Promise<ReconciliationState | undefined> {
  try {
    return await queryClosedRun(temporal, reconciliationId, undefined, reconciliationStateQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}
