import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import proto, { type temporal } from '@temporalio/proto';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';

const EventType = proto.temporal.api.enums.v1.EventType;

/** A history that did not replay. */
export interface ReplayFailure {
  workflowId: string;
  runId: string;
  /** The first line of the replay's error (for a nondeterminism, the TMPRL1100 message). */
  error: string;
}

/** What a replay of a namespace's histories found. */
export interface ReplayReport {
  /** Histories replayed: one per run, so a workflow that continued as new counts each of its runs. */
  histories: number;
  /** Distinct workflow ids among them. */
  workflows: number;
  /** How many runs visibility counted when the replay started (a check that none was missed). */
  counted: number;
  failed: ReplayFailure[];
}

/**
 * Replays every run visibility lists for the `visibility` query (all of the namespace by default, closed and running, continued-as-new
 * runs included) against `workflowBundle` with `Worker.runReplayHistories`, the check a worker makes when it rebuilds
 * a workflow from its history, decrypting its payloads with `dataConverter` (the worker's codec; histories written
 * in clear replay through it too). A failure means the code cannot rebuild that run: if it is still running, its next
 * workflow task fails the same way once the worker no longer holds it in its cache.
 */
export async function replayHistories(
  client: Client,
  options: {
    workflowBundle: WorkflowBundleOption;
    visibility?: string;
    concurrency?: number;
    dataConverter?: DataConverter;
  },
): Promise<ReplayReport> {
  const listing = options.visibility ? { query: options.visibility } : {};
  const counted = (await client.workflow.count(options.visibility)).count;
  const histories = client.workflow.list(listing).intoHistories({ concurrency: options.concurrency ?? 4 });
  const workflows = new Set<string>();
  const report: ReplayReport = { histories: 0, workflows: 0, counted, failed: [] };
  const replay = {
    workflowBundle: options.workflowBundle,
    replayName: 'replay-check',
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
  };
  for await (const result of Worker.runReplayHistories(replay, histories)) {
    report.histories += 1;
    workflows.add(result.workflowId);
    if (result.error) {
      const error = result.error.message.split('\n')[0] ?? String(result.error);
      report.failed.push({ workflowId: result.workflowId, runId: result.runId, error });
    }
  }
  report.workflows = workflows.size;
  return report;
}

/**
 * Where to reset a history that does not replay: the `WorkflowTaskCompleted` event of its first workflow task whose
 * commands the code no longer issues. Each task is replayed in turn, as a history cut after the commands that task
 * recorded; the first cut that fails is the task that split (or the first one a code change broke). Resetting there
 * (`temporal workflow reset --event-id <id>`) runs that task again on the running code, from the same events.
 * Undefined when every cut replays (then the history replays too).
 */
export async function findResetPoint(
  history: temporal.api.history.v1.IHistory,
  workflowBundle: WorkflowBundleOption,
  workflowId = 'reset-point',
  dataConverter?: DataConverter,
): Promise<number | undefined> {
  const events = history.events ?? [];
  const isCompleted = (event: temporal.api.history.v1.IHistoryEvent) =>
    event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
  const nextTask = (from: number) => {
    const at = events.findIndex(
      (event, i) => i > from && event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
    );
    return at === -1 ? events.length : at;
  };
  for (const [index, event] of events.entries()) {
    if (!isCompleted(event)) continue;
    const cut = { events: events.slice(0, nextTask(index)) };
    const replay = { workflowBundle, replayName: 'reset-point', ...(dataConverter ? { dataConverter } : {}) };
    const failed = await Worker.runReplayHistory(replay, cut, workflowId).then(
      () => false,
      () => true,
    );
    if (failed) return Number(event.eventId);
  }
  return undefined;
}
