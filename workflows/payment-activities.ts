import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { CallbackActivities } from '../activities/callback-activities';
import type { DfnsActivities } from '../activities/dfns-activities';
import { NON_RETRYABLE_FAILURE_TYPES } from '../src/contracts/failure-types';
import { callbackTaskQueue } from '../src/contracts/task-queues';

const nonRetryableErrorTypes = [...NON_RETRYABLE_FAILURE_TYPES];

/**
 * Submission retries without a limit: the externalId makes every retry land on the same transfer, and giving up
 * would leave a payment whose transfer may exist in Dfns without the workflow knowing it. A 429's Retry-After
 * overrides the backoff (the activity sets nextRetryDelay).
 */
export const { submitTransfer } = proxyActivities<DfnsActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', nonRetryableErrorTypes },
});

/**
 * Reads and the initiator's denial: retried with backoff for up to ten minutes. A read that still fails is
 * recorded and tried again at the next silence (see `tolerate`), so a long Dfns outage never ends a payment
 * and never keeps it from hearing webhooks.
 */
export const { getTransfer, getApproval, denyApproval } = proxyActivities<DfnsActivities>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '10m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '2m', nonRetryableErrorTypes },
});

/** Calls whose answer only matters soon (operator actions, the automatic speed-up): within minutes, or fail. */
export const operatorCalls = proxyActivities<DfnsActivities>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '5m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', nonRetryableErrorTypes },
});

const callbackOptions: ActivityOptions = {
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '7d',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10m', nonRetryableErrorTypes: ['CallbackNotConfigured'] },
};

/** The outcome callback retries until the service answers 2xx (for up to a week). On the payment's task queue. */
export const { sendOutcomeCallback } = proxyActivities<CallbackActivities>(callbackOptions);

/** The same callback on its own task queue (`callbackTaskQueue`), outside the Dfns budget. */
export const callbackActivities = () =>
  proxyActivities<CallbackActivities>({ ...callbackOptions, taskQueue: callbackTaskQueue(workflowInfo().taskQueue) });
