import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { CallbackActivities } from '../activities/callback-activities';
import type { ApprovalRef, DfnsActivities, SubmitTransferInput, TransferRef } from '../activities/dfns-activities';
import { NON_RETRYABLE_FAILURE_TYPES } from '../src/contracts/failure-types';
import type { PaymentWorkflowInput } from '../src/contracts/payment-messages';
import { callbackTaskQueue, dfnsTaskQueue, type DfnsCostClass } from '../src/contracts/task-queues';
import { changed } from './baseline';

const nonRetryableErrorTypes = [...NON_RETRYABLE_FAILURE_TYPES];

/**
 * Marks histories whose Dfns activities run on the task queue of their cost class (`dfnsTaskQueue`), where the
 * Dfns budget is enforced; before it they ran on the payment's own queue, which still serves them.
 */
const COST_QUEUES_PATCH = 'dfns-cost-queues';

/** The payment a Dfns call is made for: its input says which changes it takes (workflows/baseline.ts). */
export interface Payer {
  readonly input: PaymentWorkflowInput;
}

/** The Dfns activities with these options, on the queue of `costClass` (or the payment's queue in old histories). */
function dfns(payer: Payer, options: ActivityOptions, costClass: DfnsCostClass) {
  if (!changed(payer.input, COST_QUEUES_PATCH)) return proxyActivities<DfnsActivities>(options);
  return proxyActivities<DfnsActivities>({ ...options, taskQueue: dfnsTaskQueue(workflowInfo().taskQueue, costClass) });
}

/**
 * Submission retries without a limit: the externalId makes every retry land on the same transfer, and giving up
 * would leave a payment whose transfer may exist in Dfns without the workflow knowing it. A 429's Retry-After
 * overrides the backoff (the activity sets nextRetryDelay).
 */
const submitOptions: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', nonRetryableErrorTypes },
};
export const submitTransfer = (payer: Payer, input: SubmitTransferInput) =>
  dfns(payer, submitOptions, 'signed').submitTransfer(input);

/** Temporal task priority for what must not wait behind routine work: 1 is the most urgent, the default is 3. */
const URGENT = { priorityKey: 1 };

/**
 * Reads and the initiator's denial: retried with backoff for up to ten minutes. A read that still fails is
 * recorded and tried again at the next silence (see `tolerate`), so a long Dfns outage never ends a payment
 * and never keeps it from hearing webhooks.
 */
const readOptions: ActivityOptions = {
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '10m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '2m', nonRetryableErrorTypes },
};
export const getTransfer = (payer: Payer, ref: TransferRef) => dfns(payer, readOptions, 'read').getTransfer(ref);
/** Reads an approval; `urgent` (at its deadline) goes first where the server supports task priority. */
export const getApproval = (payer: Payer, ref: ApprovalRef, urgent = false) =>
  dfns(payer, urgent ? { ...readOptions, priority: URGENT } : readOptions, 'read').getApproval(ref);
/** The initiator's denial only ever happens at a deadline or for an operator's cancel: always urgent. */
export const denyApproval = (payer: Payer, ref: ApprovalRef) =>
  dfns(payer, { ...readOptions, priority: URGENT }, 'signed').denyApproval(ref);

/**
 * Calls whose answer only matters soon (operator actions, the automatic escalation): within minutes, or fail.
 * They go first where the server supports task priority (1 is the most urgent; the default is 3).
 */
const operatorOptions: ActivityOptions = {
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '5m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', nonRetryableErrorTypes },
  priority: URGENT,
};
export const operatorCalls = (payer: Payer) => ({
  abortTransfer: (ref: TransferRef) => dfns(payer, operatorOptions, 'signed').abortTransfer(ref),
  speedUpTransfer: (ref: TransferRef) => dfns(payer, operatorOptions, 'escalation').speedUpTransfer(ref),
  cancelTransfer: (ref: TransferRef) => dfns(payer, operatorOptions, 'escalation').cancelTransfer(ref),
});

const callbackOptions: ActivityOptions = {
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '7d',
  retry: {
    initialInterval: '5s',
    backoffCoefficient: 2,
    maximumInterval: '10m',
    nonRetryableErrorTypes: ['CallbackNotConfigured'],
  },
};

/** The outcome callback retries until the service answers 2xx (for up to a week). On the payment's task queue. */
export const { sendOutcomeCallback } = proxyActivities<CallbackActivities>(callbackOptions);

/** The same callback on its own task queue (`callbackTaskQueue`), outside the Dfns budget. */
export const callbackActivities = () =>
  proxyActivities<CallbackActivities>({ ...callbackOptions, taskQueue: callbackTaskQueue(workflowInfo().taskQueue) });
