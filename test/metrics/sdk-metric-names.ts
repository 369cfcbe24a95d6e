/**
 * The Temporal SDK (Rust core) metrics the dashboard and alerts may read, with the worker's default `temporal_`
 * prefix and no `_total` suffix: those seen on a worker's endpoint after a payment (test/metrics/metrics-e2e.test.ts
 * checks the ones it can), plus the failure counters that only appear after a failure. Names from
 * https://docs.temporal.io/references/sdk-metrics.
 */
export const SDK_METRIC_NAMES: readonly string[] = [
  'temporal_activity_execution_latency',
  'temporal_activity_schedule_to_start_latency',
  'temporal_activity_succeed_endtoend_latency',
  'temporal_activity_task_received',
  'temporal_activity_execution_failed',
  'temporal_activity_poll_no_task',
  'temporal_long_request',
  'temporal_long_request_latency',
  'temporal_long_request_failure',
  'temporal_num_pollers',
  'temporal_request',
  'temporal_request_latency',
  'temporal_request_failure',
  'temporal_sticky_cache_hit',
  'temporal_sticky_cache_size',
  'temporal_worker_start',
  'temporal_worker_task_slots_available',
  'temporal_worker_task_slots_used',
  'temporal_workflow_completed',
  'temporal_workflow_failed',
  'temporal_workflow_canceled',
  'temporal_workflow_continue_as_new',
  'temporal_workflow_endtoend_latency',
  'temporal_workflow_task_execution_latency',
  'temporal_workflow_task_execution_failed',
  'temporal_workflow_task_queue_poll_succeed',
  'temporal_workflow_task_queue_poll_empty',
  'temporal_workflow_task_replay_latency',
  'temporal_workflow_task_schedule_to_start_latency',
];
