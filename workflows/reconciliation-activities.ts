import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { ReconciliationActivities } from '../activities/reconciliation-activities';
import type { ReconciliationTriggerActivities } from '../activities/reconciliation-trigger-activities';
import { NON_RETRYABLE_FAILURE_TYPES } from '../src/contracts/failure-types';
import { dfnsTaskQueue } from '../src/contracts/task-queues';

const nonRetryableErrorTypes = [...NON_RETRYABLE_FAILURE_TYPES];

/**
 * Temporal task priority: 5 is the lowest. Reconciliation is never urgent; where the server supports task priority,
 * its reads wait behind every payment's (a payment's default is 3, a batch row's 4).
 */
export const LOWEST_PRIORITY = { priorityKey: 5 };

/**
 * Each reconciliation activity makes one Dfns read (a list page, or a balance read), so it runs on the Dfns read
 * queue, inside the read share of the Dfns budget, at the lowest priority. A read that keeps failing is given up
 * after ten minutes; the run then records the wallet as failed and the next run starts from the same checkpoint.
 */
const readOptions: ActivityOptions = {
  startToCloseTimeout: '1m',
  scheduleToCloseTimeout: '10m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '2m', nonRetryableErrorTypes },
  priority: LOWEST_PRIORITY,
};

/** The reconciliation's Dfns reads, on the read cost class's queue. */
export const reconciliationReads = () =>
  proxyActivities<ReconciliationActivities>({
    ...readOptions,
    taskQueue: dfnsTaskQueue(workflowInfo().taskQueue, 'read'),
  });

/** The Schedule's tick: asks the reconciliation's workflow for a run (Temporal only, on the workflow's own queue). */
export const { requestScheduledRun } = proxyActivities<ReconciliationTriggerActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 },
  priority: LOWEST_PRIORITY,
});
