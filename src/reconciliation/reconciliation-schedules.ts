import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import {
  reconciliationIdFor,
  reconciliationScheduleId,
  type ReconciliationScope,
  type ReconciliationTick,
} from '../contracts/reconciliation-messages';
import { RECONCILIATION_TICK_WORKFLOW_TYPE } from '../contracts/workflow-types';

/** What the worker is configured to reconcile, and how often. */
export interface ReconciliationPlan {
  scopes: readonly ReconciliationScope[];
  intervalMs: number;
}

/**
 * Creates (or brings up to date) one Temporal Schedule per configured scope, each starting a tick workflow every
 * `intervalMs`; a tick while the previous one is still running is skipped. Safe to call from every worker at start.
 */
export async function ensureReconciliationSchedules(
  temporal: Client,
  taskQueue: string,
  plan: ReconciliationPlan,
): Promise<string[]> {
  const ids: string[] = [];
  for (const scope of plan.scopes) {
    const reconciliationId = reconciliationIdFor(scope);
    const scheduleId = reconciliationScheduleId(reconciliationId);
    const tick: ReconciliationTick = { scope };
    const spec = { intervals: [{ every: plan.intervalMs }] };
    const action = {
      type: 'startWorkflow' as const,
      workflowType: RECONCILIATION_TICK_WORKFLOW_TYPE,
      workflowId: `${reconciliationId}:tick`,
      taskQueue,
      args: [tick],
    };
    try {
      await temporal.schedule.create({ scheduleId, spec, action, policies: { overlap: 'SKIP' } });
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await temporal.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
    }
    ids.push(scheduleId);
  }
  return ids;
}
