// The workflow bundle's entry: every workflow the worker registers, by name.
export { paymentWorkflow } from './payment-workflow';
export { poolWorkflow } from './pool-workflow';
