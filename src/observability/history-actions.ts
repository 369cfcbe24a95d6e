import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const EventType = proto.temporal.api.enums.v1.EventType;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/** The versioning search attribute the SDK upserts after a patch marker; Temporal Cloud does not bill it. */
const CHANGE_VERSION = 'TemporalChangeVersion';
/**
 * The marker `patched()` records. The actions page bills markers only as side effects (Go and Java) and local
 * activities; a version marker is in neither list, so it is not counted.
 */
const PATCH_MARKER = 'core_patch';

/** Billable actions found in one history, by kind. */
export interface HistoryActions {
  total: number;
  starts: number;
  searchAttributeUpserts: number;
  /** Workflow tasks that recorded side-effect or local-activity markers: one action per task (patches are free). */
  markerTasks: number;
  activities: number;
  activityRetries: number;
  timers: number;
  signals: number;
  updates: number;
  childWorkflows: number;
  other: number;
}

const empty = (): HistoryActions => ({
  total: 0,
  starts: 0,
  searchAttributeUpserts: 0,
  markerTasks: 0,
  activities: 0,
  activityRetries: 0,
  timers: 0,
  signals: 0,
  updates: 0,
  childWorkflows: 0,
  other: 0,
});

/** Whether an upsert carries anything besides the exempt versioning attribute. */
function billableUpsert(event: HistoryEvent): boolean {
  const fields = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {};
  return Object.keys(fields).some((name) => name !== CHANGE_VERSION);
}

/**
 * Counts the Temporal Cloud billable actions one workflow run's history shows, by the rules published at
 * https://docs.temporal.io/cloud/actions (estimating from histories: https://docs.temporal.io/cloud/migrate/estimate-actions):
 * - a started run (a client start, a continue-as-new, a child) is one action; the search attributes given at the start
 *   are free. The continue-as-new event itself is not counted: the next run's start is.
 * - every search-attribute upsert is one action, however many attributes it carries, except one that only carries
 *   `TemporalChangeVersion` (written by the SDK after a patch marker);
 * - side-effect and local-activity markers count once per workflow task that records any, plus the retried
 *   local-activity attempts Temporal meters on the task; patch (version) markers are not billed;
 * - an activity scheduled is one action, each retry one more (its started event's attempt minus one);
 * - a timer started is one action (a condition with a timeout starts one); cancelling it is free;
 * - a signal received, an Update accepted, a child workflow initiated (two), workflow options updated, a Nexus
 *   operation scheduled or cancelled are actions.
 * Not in a history, so not counted here: queries (one action each, sent by whoever reads the state), rejected Updates,
 * activity heartbeats. This is the estimate the Temporal Cloud UI shows beside a history, not an invoice.
 */
export function countHistoryActions(events: readonly HistoryEvent[]): HistoryActions {
  const actions = empty();
  const markerTasks = new Set<string>();
  const add = (kind: Exclude<keyof HistoryActions, 'total'>, n = 1) => {
    actions[kind] += n;
    actions.total += n;
  };
  for (const event of events) {
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        add('starts');
        break;
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
        if (billableUpsert(event)) add('searchAttributeUpserts');
        break;
      case EventType.EVENT_TYPE_MARKER_RECORDED: {
        if (event.markerRecordedEventAttributes?.markerName === PATCH_MARKER) break;
        const task = String(event.markerRecordedEventAttributes?.workflowTaskCompletedEventId ?? '');
        if (!markerTasks.has(task)) {
          markerTasks.add(task);
          add('markerTasks');
        }
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED: {
        const retries =
          event.workflowTaskCompletedEventAttributes?.meteringMetadata?.nonfirstLocalActivityExecutionAttempts;
        if (retries) add('activityRetries', retries);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        add('activities');
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const attempt = event.activityTaskStartedEventAttributes?.attempt ?? 1;
        if (attempt > 1) add('activityRetries', attempt - 1);
        break;
      }
      case EventType.EVENT_TYPE_TIMER_STARTED:
        add('timers');
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        add('signals');
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        add('updates');
        break;
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        add('childWorkflows', 2);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED:
      case EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED:
      case EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED:
        add('other');
        break;
      default:
        break;
    }
  }
  return actions;
}

/** The events patching writes into a history: free as actions, but events all the same (and visibility writes). */
export interface VersioningEvents {
  /** Patch markers (patched() and deprecatePatch() record one each). */
  patchMarkers: number;
  /** Upserts that carry only `TemporalChangeVersion`, which the SDK writes after each patch marker. */
  changeVersionUpserts: number;
}

/** Counts the patch markers and change-version-only upserts in one history. */
export function countVersioningEvents(events: readonly HistoryEvent[]): VersioningEvents {
  const counted: VersioningEvents = { patchMarkers: 0, changeVersionUpserts: 0 };
  for (const event of events) {
    if (event.markerRecordedEventAttributes?.markerName === PATCH_MARKER) counted.patchMarkers += 1;
    const upsert = event.upsertWorkflowSearchAttributesEventAttributes;
    if (upsert && !billableUpsert(event) && CHANGE_VERSION in (upsert.searchAttributes?.indexedFields ?? {}))
      counted.changeVersionUpserts += 1;
  }
  return counted;
}

/** One line for tables and test messages: `10 (start 1, upserts 3, …)`, listing the kinds that occurred. */
export function describeActions(actions: HistoryActions): string {
  const parts = Object.entries(actions)
    .filter(([kind, n]) => kind !== 'total' && n > 0)
    .map(([kind, n]) => `${kind} ${n}`);
  return `${actions.total} (${parts.join(', ')})`;
}

/** The actions and events of every run of one workflow (a payment that continued as new has several), summed. */
export async function countWorkflowActions(
  client: Client,
  workflowId: string,
): Promise<{ runs: number; events: number; actions: HistoryActions }> {
  const latest = await client.workflow.getHandle(workflowId).describe();
  let runId: string | undefined = latest.raw.workflowExecutionInfo?.firstRunId ?? latest.runId;
  const total = { runs: 0, events: 0, actions: empty() };
  // Follows each continue-as-new to the run it started; bounded, as a payment's runs are.
  for (let i = 0; runId && i < 1_000; i++) {
    const history: proto.temporal.api.history.v1.IHistory = await client.workflow
      .getHandle(workflowId, runId)
      .fetchHistory();
    const events: HistoryEvent[] = history.events ?? [];
    const actions = countHistoryActions(events);
    for (const kind of Object.keys(actions) as (keyof HistoryActions)[]) total.actions[kind] += actions[kind];
    total.runs += 1;
    total.events += events.length;
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return total;
}
