// The bundle entry of the query-split reproduction.
export { busyWorkflow, queryProbeWorkflow } from './query-split-probe';
