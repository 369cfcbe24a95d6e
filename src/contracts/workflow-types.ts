/**
 * The Temporal workflow type of a payment: the name the worker registers `paymentWorkflow` under. Starting,
 * listing and finding payments all go through this one constant.
 */
export const PAYMENT_WORKFLOW_TYPE = 'paymentWorkflow';

/** The visibility query clause that selects payments and nothing else. */
export const PAYMENT_WORKFLOWS_CLAUSE = `WorkflowType = '${PAYMENT_WORKFLOW_TYPE}'`;

/** The Temporal workflow type of a wallet pool (workflows/pool-workflow.ts), one running per pool name. */
export const POOL_WORKFLOW_TYPE = 'poolWorkflow';
