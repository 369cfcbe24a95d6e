// Billable Temporal Cloud actions estimated from one workflow history, by the rules of
// https://docs.temporal.io/cloud/actions (the same estimate Temporal Cloud's UI shows beside a history). Queries,
// heartbeats and rejected updates leave no event, so they are not counted here.
import type { History } from '@temporalio/common/lib/proto-utils';
import proto from '@temporalio/proto';

const EventType = proto.temporal.api.enums.v1.EventType;

/** Actions by kind, and their sum. */
export interface ActionCount {
  workflowStarted: number;
  activities: number;
  timers: number;
  signals: number;
  upserts: number;
  updates: number;
  markers: number;
  children: number;
  total: number;
  /** Every event of the history, billable or not. */
  events: number;
}

/** The versioning attribute `patched()` upserts: exempt from action counts. */
const CHANGE_VERSION = 'TemporalChangeVersion';
/** The marker a local activity records; a patch marker (`core_patch`) is not billed. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/**
 * Counts the billable actions in a history:
 * - workflow started: 1 per run (a continued-as-new run's start is its own history's);
 * - activity started or retried: 1 per attempt (the attempt number of its started event, else 1 when scheduled);
 * - timer started: 1 each, cancelled or not (`condition` with a timeout starts one too);
 * - signal: 1 per signal received, and 1 per signal the workflow sends;
 * - search-attribute upsert: 1 per upsert command, except one only of TemporalChangeVersion;
 * - update accepted: 1 each (rejected ones leave no event and are not counted);
 * - local-activity markers: 1 per workflow task that recorded any; patch markers are free;
 * - child workflow: 2 (the start and the execution).
 */
export function countActions(history: History): ActionCount {
  const count: ActionCount = {
    workflowStarted: 0,
    ...{ activities: 0, timers: 0, signals: 0, upserts: 0, updates: 0, markers: 0, children: 0 },
    total: 0,
    events: history.events?.length ?? 0,
  };
  const attempts = new Map<string, number>();
  const markerTasks = new Set<string>();
  for (const event of history.events ?? []) {
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        count.workflowStarted += 1;
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        attempts.set(String(event.eventId), 1);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const attributes = event.activityTaskStartedEventAttributes;
        const attempt = Math.max(1, attributes?.attempt ?? 1);
        attempts.set(String(attributes?.scheduledEventId), attempt);
        break;
      }
      case EventType.EVENT_TYPE_TIMER_STARTED:
        count.timers += 1;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
      case EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
        count.signals += 1;
        break;
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const fields = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {};
        if (Object.keys(fields).some((name) => name !== CHANGE_VERSION)) count.upserts += 1;
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        count.updates += 1;
        break;
      case EventType.EVENT_TYPE_MARKER_RECORDED: {
        const attributes = event.markerRecordedEventAttributes;
        if (attributes?.markerName === LOCAL_ACTIVITY_MARKER) {
          markerTasks.add(String(attributes.workflowTaskCompletedEventId));
        }
        break;
      }
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        count.children += 2;
        break;
    }
  }
  count.activities = [...attempts.values()].reduce((sum, n) => sum + n, 0);
  count.markers = markerTasks.size;
  const { workflowStarted, activities, timers, signals, upserts, updates, markers, children } = count;
  count.total = workflowStarted + activities + timers + signals + upserts + updates + markers + children;
  return count;
}

/** The mean of each field over several histories' counts (NaN fields when there are none). */
export function meanActions(counts: readonly ActionCount[]): ActionCount {
  const keys = Object.keys(countActions({ events: [] })) as (keyof ActionCount)[];
  return Object.fromEntries(
    keys.map((key) => [key, counts.reduce((sum, c) => sum + c[key], 0) / counts.length]),
  ) as unknown as ActionCount;
}
