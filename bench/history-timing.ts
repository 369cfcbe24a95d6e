// Where a workflow's time went, read from its history: how long its workflow tasks and activities waited for a
// worker, and how long the worker took with each workflow task. Long waits at high load mean the worker (not
// Temporal, not Dfns) is the bottleneck.
import type { History } from '@temporalio/common/lib/proto-utils';
import proto from '@temporalio/proto';

const EventType = proto.temporal.api.enums.v1.EventType;

/** A protobuf timestamp in ms: `seconds` is a Long from the server, a plain number from historyFromJSON. */
function tsToMs(ts: { seconds?: number | { toNumber(): number } | null; nanos?: number | null } | null | undefined) {
  const seconds = ts?.seconds ?? 0;
  return (typeof seconds === 'number' ? seconds : seconds.toNumber()) * 1000 + (ts?.nanos ?? 0) / 1e6;
}

/** Milliseconds summed over one history, and how many workflow tasks it took. */
export interface HistoryTiming {
  workflowTasks: number;
  /** Scheduled → started, summed over the workflow tasks: time spent queued for a worker. */
  workflowTaskWaitMs: number;
  /** Started → completed, summed: the worker's time on the tasks, round trip included. */
  workflowTaskRunMs: number;
  /** Scheduled → started, summed over the activities. */
  activityWaitMs: number;
}

/** Sums the waits of one history (times are the server's event times, to the millisecond). */
export function historyTiming(history: History): HistoryTiming {
  const timing: HistoryTiming = { workflowTasks: 0, workflowTaskWaitMs: 0, workflowTaskRunMs: 0, activityWaitMs: 0 };
  const at = new Map<string, number>();
  // Keyed by the task's scheduled event: some servers leave startedEventId out of the completed event.
  const taskStartedAt = new Map<string, number>();
  const since = (eventId: unknown, ms: number, times = at) => ms - (times.get(String(eventId)) ?? ms);
  for (const event of history.events ?? []) {
    const ms = tsToMs(event.eventTime);
    at.set(String(event.eventId), ms);
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        timing.workflowTasks += 1;
        timing.workflowTaskWaitMs += since(event.workflowTaskStartedEventAttributes?.scheduledEventId, ms);
        taskStartedAt.set(String(event.workflowTaskStartedEventAttributes?.scheduledEventId), ms);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        timing.workflowTaskRunMs += since(
          event.workflowTaskCompletedEventAttributes?.scheduledEventId,
          ms,
          taskStartedAt,
        );
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        timing.activityWaitMs += since(event.activityTaskStartedEventAttributes?.scheduledEventId, ms);
        break;
    }
  }
  return timing;
}

/** The mean of each field over several histories. */
export function meanTiming(timings: readonly HistoryTiming[]): HistoryTiming {
  const mean = (key: keyof HistoryTiming) => timings.reduce((sum, t) => sum + t[key], 0) / timings.length;
  return {
    workflowTasks: mean('workflowTasks'),
    workflowTaskWaitMs: mean('workflowTaskWaitMs'),
    workflowTaskRunMs: mean('workflowTaskRunMs'),
    activityWaitMs: mean('activityWaitMs'),
  };
}
