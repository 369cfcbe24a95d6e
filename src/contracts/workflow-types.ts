/**
 * The Temporal workflow type of a payment: the name the worker registers `paymentWorkflow` under. Starting,
 * listing and finding payments all go through this one constant.
 */
export const PAYMENT_WORKFLOW_TYPE = 'paymentWorkflow';

/** The visibility query clause that selects payments and nothing else. */
export const PAYMENT_WORKFLOWS_CLAUSE = `WorkflowType = '${PAYMENT_WORKFLOW_TYPE}'`;

/** The Temporal workflow type of a wallet pool (workflows/pool-workflow.ts), one running per pool name. */
export const POOL_WORKFLOW_TYPE = 'poolWorkflow';
/** A batch payout: the parent workflow that starts its rows as child payments (workflows/batch-workflow.ts). */
export const BATCH_WORKFLOW_TYPE = 'batchWorkflow';

/** One chunk of a batch's rows and, once run, their results (workflows/batch-chunk-workflow.ts). */
export const BATCH_CHUNK_WORKFLOW_TYPE = 'batchChunkWorkflow';

/** A reconciliation against Dfns: one long-lived workflow per wallet or pool (workflows/reconciliation-workflow.ts). */
export const RECONCILIATION_WORKFLOW_TYPE = 'reconciliationWorkflow';

/** What a reconciliation's Temporal Schedule starts at each tick (workflows/reconciliation-tick-workflow.ts). */
export const RECONCILIATION_TICK_WORKFLOW_TYPE = 'reconciliationTickWorkflow';
