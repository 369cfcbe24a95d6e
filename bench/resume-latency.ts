import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { EventType } = proto.temporal.api.enums.v1;

/** A parked workflow woken at `wokenAt` (ms, this machine's clock: approval decision sent, or signal sent). */
export interface Woken {
  workflowId: string;
  wokenAt: number;
}

type Timestamp = proto.temporal.api.history.v1.IHistoryEvent['eventTime'];
const ms = (t: Timestamp): number => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

/**
 * From each woken workflow's history: resume = the first signal after the wake → the workflow task that handled
 * it completed (the worker's part: task dispatch, replay of an evicted workflow, the handler), and end to end =
 * the wake → that completion (adds the decision call, the webhook and the bridge for payments); handling = that
 * task polled → completed, the worker's own share of the resume.
 */
export async function resumeLatencies(
  client: Client,
  woken: readonly Woken[],
): Promise<{ resume: number[]; handling: number[]; endToEnd: number[]; missing: string[] }> {
  const resume: number[] = [];
  const handling: number[] = [];
  const endToEnd: number[] = [];
  const missing: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < woken.length) {
      const w = woken[next++]!;
      const events = (await client.workflow.getHandle(w.workflowId).fetchHistory()).events ?? [];
      const signal = events.findIndex(
        (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED && ms(e.eventTime) >= w.wokenAt,
      );
      const done = events.findIndex(
        (e, i) => i > signal && e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
      );
      if (signal < 0 || done < 0) {
        missing.push(w.workflowId);
        continue;
      }
      resume.push(ms(events[done]!.eventTime) - ms(events[signal]!.eventTime));
      // The worker's own share: the task it polled (WorkflowTaskStarted) until it answered (replay included).
      let started = done;
      while (started > signal && events[started]!.eventType !== EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) started--;
      if (started > signal) handling.push(ms(events[done]!.eventTime) - ms(events[started]!.eventTime));
      endToEnd.push(ms(events[done]!.eventTime) - w.wokenAt);
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return { resume, handling, endToEnd, missing };
}
