import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { existsSync, writeFileSync } from 'node:fs';
import { HISTORIES_DIR } from './histories';

/** One run of a workflow and its history. */
export interface RunHistory {
  runId: string;
  events: number;
  history: temporal.api.history.v1.IHistory;
}

/** Every run of a workflow, first to last, following each continue-as-new to the run it started (at most 500). */
export async function runHistories(client: Client, workflowId: string, firstRunId: string): Promise<RunHistory[]> {
  const runs: RunHistory[] = [];
  let runId: string | undefined = firstRunId;
  for (let i = 0; runId && i < 500; i++) {
    const history: temporal.api.history.v1.IHistory = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
    runs.push({ runId, events: events.length, history });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

/**
 * With RECORD_HISTORIES=1, saves a run's history as a new replay fixture. A history already committed is never
 * overwritten: payments running in production recorded it, and it must keep replaying as it is.
 */
export function keepNewHistory(name: string, history: temporal.api.history.v1.IHistory): void {
  const file = `${HISTORIES_DIR}/${name}.json`;
  if (process.env.RECORD_HISTORIES !== '1' || existsSync(file)) return;
  writeFileSync(file, `${historyToJSON(history)}\n`);
}
