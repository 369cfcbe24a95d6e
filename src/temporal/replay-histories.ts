import type { Client } from '@temporalio/client';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';

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
 * a workflow from its history. A failure means the code cannot rebuild that run: if it is still running, its next
 * workflow task fails the same way once the worker no longer holds it in its cache.
 */
export async function replayHistories(
  client: Client,
  options: { workflowBundle: WorkflowBundleOption; visibility?: string; concurrency?: number },
): Promise<ReplayReport> {
  const listing = options.visibility ? { query: options.visibility } : {};
  const counted = (await client.workflow.count(options.visibility)).count;
  const histories = client.workflow.list(listing).intoHistories({ concurrency: options.concurrency ?? 4 });
  const workflows = new Set<string>();
  const report: ReplayReport = { histories: 0, workflows: 0, counted, failed: [] };
  const replay = { workflowBundle: options.workflowBundle, replayName: 'replay-check' };
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
