// The workflow bundle's entry: every workflow the worker registers, by name.
export { paymentWorkflow } from './payment-workflow';
export { poolWorkflow } from './pool-workflow';
export { batchWorkflow } from './batch-workflow';
export { batchChunkWorkflow } from './batch-chunk-workflow';
export { reconciliationWorkflow } from './reconciliation-workflow';
export { reconciliationTickWorkflow } from './reconciliation-tick-workflow';
