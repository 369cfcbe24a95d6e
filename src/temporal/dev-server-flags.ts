/**
 * Dynamic config the Temporal dev server (CLI 1.5.1, server 1.29.1) is started with, as `--dynamic-config-value`
 * arguments: the priority-aware task matcher, so activities' `priority.priorityKey` orders a backlogged queue
 * (https://docs.temporal.io/develop/task-queue-priority-fairness). Server 1.29 ships it switched off.
 */
export const TEMPORAL_DEV_SERVER_DYNAMIC_CONFIG: readonly string[] = ['matching.useNewMatcher=true'];
