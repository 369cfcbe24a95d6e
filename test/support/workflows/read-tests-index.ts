// The bundle entry of the read tests' workflows.
export { busyWorkflow, queryProbeWorkflow } from './query-split-probe';
export { readableWorkflow, relayWorkflow } from './readable-workflow';
