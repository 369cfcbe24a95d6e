import {
  isGrpcServiceError,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type QueryDefinition, type UpdateDefinition } from '@temporalio/common';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { temporal } from '@temporalio/proto';
import { randomUUID } from 'node:crypto';
import { READ_REFUSED, READ_UPDATE_ID_PREFIX } from '../contracts/workflow-reads';

/**
 * A read Update's id: a new one for every read. Temporal hands the outcome of an Update id it has run to every later
 * request with that id, even once the workflow has closed, so a shared id would answer a read with a state older than
 * a change the reader has already seen (a payment read as Broadcasted after its outcome said Confirmed). Each read is
 * one action, as a query was, and five history events, which the workflow's read validator bounds.
 */
export const readUpdateId = (): string => `${READ_UPDATE_ID_PREFIX}${randomUUID()}`;

/** How to read one kind of workflow. */
export interface WorkflowRead<T> {
  /** The read-only Update that answers while the workflow runs (workflows/read-handler.ts). */
  update: UpdateDefinition<T, []>;
  /** The query that answers once it has closed: a closed history is final, so a query cannot run it ahead. */
  query: QueryDefinition<T>;
  /**
   * Updates whose recorded outcomes carry the value (by Update name), for the answer from history when the workflow
   * refuses reads: the read Update's own name maps to the outcome itself.
   */
  recorded: Record<string, (outcome: unknown) => T>;
}

/** How a read was answered (counted by the callers that report it). */
export type ReadSource = 'update' | 'closed-query' | 'history';

/**
 * Reads a workflow without ever running it ahead of its history. A running workflow answers a read Update, which
 * rides a real workflow task; a closed one is queried on its closed run (a closed history is final). A running
 * workflow that refuses reads (its run is due to continue as new) or that Temporal refuses more Updates is answered
 * from the last read its history recorded, which touches no worker. Throws WorkflowNotFoundError for no workflow.
 */
export async function readWorkflow<T>(
  client: Client,
  workflowId: string,
  read: WorkflowRead<T>,
  options: { onAnswer?: (source: ReadSource) => void } = {},
): Promise<T> {
  const answered = (source: ReadSource, value: T) => (options.onAnswer?.(source), value);
  const handle = client.workflow.getHandle(workflowId);
  for (let attempt = 0; ; attempt++) {
    try {
      return answered('update', await handle.executeUpdate(read.update, { updateId: readUpdateId() }));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        // Closed (or none: describe throws WorkflowNotFoundError then). Query that closed run, by its run id, so
        // that a run started since (continue-as-new) is never queried.
        const described = await handle.describe();
        if (described.status.name === 'RUNNING' && attempt === 0) continue;
        if (described.status.name === 'RUNNING') throw error;
        const closed = client.workflow.getHandle(workflowId, described.runId);
        return answered('closed-query', await closed.query(read.query));
      }
      if (!refused(error)) throw error;
      const recorded = await lastRecordedRead(client, workflowId, read);
      if (recorded === undefined) throw error;
      return answered('history', recorded.value);
    }
  }
}

/** gRPC status codes Temporal answers an Update with when it refuses more of them. */
const FAILED_PRECONDITION = 9; // the run has taken its limit of distinct Updates
const RESOURCE_EXHAUSTED = 8; // too many Updates in flight on the workflow

/** Whether the workflow refused the read, or Temporal refused it another Update (per-run or in-flight limits). */
function refused(error: unknown): boolean {
  if (error instanceof WorkflowUpdateFailedError)
    return error.cause instanceof ApplicationFailure && error.cause.type === READ_REFUSED;
  if (!(error instanceof ServiceError) || !isGrpcServiceError(error.cause)) return false;
  const code = Number(error.cause.code);
  return code === FAILED_PRECONDITION || code === RESOURCE_EXHAUSTED;
}

/** How far back the answer from history looks, in events (newest first). */
const HISTORY_LOOKBACK_EVENTS = 2_000;

/**
 * The newest value an Update of `read.recorded` returned in the workflow's current run, from its history read newest
 * first (no worker is involved), or undefined when none is recorded within the lookback.
 */
export async function lastRecordedRead<T>(
  client: Client,
  workflowId: string,
  read: Pick<WorkflowRead<T>, 'recorded'>,
): Promise<{ value: T; eventId: number } | undefined> {
  const outcomes = new Map<string, { payloads: temporal.api.common.v1.IPayload[]; eventId: number }>();
  let nextPageToken: Uint8Array | undefined;
  let seen = 0;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistoryReverse({
      namespace: client.options.namespace,
      execution: { workflowId },
      maximumPageSize: 200,
      nextPageToken,
    });
    for (const event of page.history?.events ?? []) {
      seen += 1;
      const completed = event.workflowExecutionUpdateCompletedEventAttributes;
      const success = completed?.outcome?.success?.payloads;
      if (completed?.meta?.updateId && success)
        outcomes.set(completed.meta.updateId, { payloads: success, eventId: Number(event.eventId) });
      // Newest first, an Update's completion comes before its acceptance, which names the Update.
      const accepted = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
      const name = accepted?.input?.name;
      const outcome = accepted?.meta?.updateId ? outcomes.get(accepted.meta.updateId) : undefined;
      const pick = name ? read.recorded[name] : undefined;
      if (outcome && pick) {
        const value = await decodeFromPayloadsAtIndex<unknown>(client.options.loadedDataConverter, 0, outcome.payloads);
        return { value: pick(value), eventId: outcome.eventId };
      }
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken && seen < HISTORY_LOOKBACK_EVENTS);
  return undefined;
}

/**
 * Queries one run that is closed (a visibility listing or a describe said so): a closed history is final, so the
 * query cannot run it ahead. The run is described first and never queried while it runs: undefined then. Throws
 * WorkflowNotFoundError when there is no such run. `runId` undefined: the workflow's current run.
 */
export async function queryClosedRun<T>(
  client: Client,
  workflowId: string,
  runId: string | undefined,
  query: QueryDefinition<T>,
): Promise<T | undefined> {
  const described = await client.workflow.getHandle(workflowId, runId).describe();
  if (described.status.name === 'RUNNING') return undefined;
  return client.workflow.getHandle(workflowId, described.runId).query(query);
}
