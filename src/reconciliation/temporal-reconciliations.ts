import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import type { PoolDefinition } from '../contracts/pool-definition';
import type { Finding } from '../contracts/reconciliation-findings';
import {
  acknowledgeFindingUpdate,
  acknowledgeRequestProblems,
  reconciliationIdFor,
  reconciliationStateQuery,
  reconciliationViewUpdate,
  requestRunUpdate,
  waitForRunUpdate,
  type AcknowledgeRequest,
  type ReconciliationScope,
  type ReconciliationState,
  type ReconciliationTimings,
} from '../contracts/reconciliation-messages';
import { ReconciliationOpenFindingsKey, ReconciliationWalletsKey } from '../contracts/search-attributes';
import { RECONCILIATION_WORKFLOW_TYPE } from '../contracts/workflow-types';
import { closedReconciliationState, reconciliationStart, scopeWallets } from './reconciliation-start';
import { readWorkflow, type WorkflowRead } from '../temporal/workflow-reads';

/** How an operator's run went: finished (with the state after it), or still running when the wait ended. */
export type RunOutcome = { run: number; state: ReconciliationState; finished: boolean };

/** An acknowledgement's outcome. */
export type AcknowledgeOutcome =
  | { kind: 'done'; finding: Finding }
  | { kind: 'invalid'; problems: { field: string; message: string }[] }
  | { kind: 'refused'; reason: string }
  | { kind: 'not-found' };

/** What the API and the CLI do with reconciliations; Temporal in production, a fake in route tests. */
export interface ReconciliationService {
  /** The reconciliation's state, or undefined when it was never started. */
  view(scope: ReconciliationScope): Promise<ReconciliationState | undefined>;
  /** Runs it now (starting its workflow if needed), waiting up to `waitMs` for the run to finish. */
  run(
    scope: ReconciliationScope,
    request: { requestedBy: string; full?: boolean },
    waitMs: number,
  ): Promise<RunOutcome>;
  acknowledge(scope: ReconciliationScope, request: AcknowledgeRequest): Promise<AcknowledgeOutcome>;
  /** Every reconciliation that exists, by id, with its wallets and open findings (from visibility). */
  list(): Promise<{ reconciliationId: string; wallets: string[]; openFindings: number; running: boolean }[]>;
}

/** How long one call may wait on Temporal (besides a run's own wait) before the caller is told it is unavailable. */
const TEMPORAL_DEADLINE_MS = 10_000;

/**
 * How a reconciliation is read (src/temporal/workflow-reads.ts): a running one through its read-only `view` Update,
 * which rides a workflow task and schedules nothing; a closed one by query on its closed run; one that refuses reads
 * (due to continue as new) from the last state a `view` or `waitForRun` returned in its history.
 */
export const RECONCILIATION_READ: WorkflowRead<ReconciliationState> = {
  update: reconciliationViewUpdate,
  query: reconciliationStateQuery,
  recorded: {
    [reconciliationViewUpdate.name]: (outcome) => outcome as ReconciliationState,
    [waitForRunUpdate.name]: (outcome) => outcome as ReconciliationState,
  },
};

/** Reconciliations on Temporal, never running a reconciliation ahead of its history. */
export function createTemporalReconciliations(
  temporal: Client,
  options: { taskQueue: string; pools: readonly PoolDefinition[]; timings?: Partial<ReconciliationTimings> },
): ReconciliationService {
  const withDeadline = <T>(call: () => Promise<T>, ms = TEMPORAL_DEADLINE_MS) =>
    temporal.withDeadline(Date.now() + ms, call);

  const view = async (scope: ReconciliationScope): Promise<ReconciliationState | undefined> => {
    try {
      return await withDeadline(() => readWorkflow(temporal, reconciliationIdFor(scope), RECONCILIATION_READ));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  };

  return {
    view,

    async run(scope, request, waitMs) {
      const wallets = scopeWallets(scope, options.pools);
      const previous = await withDeadline(() => closedReconciliationState(temporal, reconciliationIdFor(scope)));
      const { workflowType, ...start } = reconciliationStart(
        scope,
        wallets,
        options.taskQueue,
        options.timings,
        previous,
      );
      const operation = new WithStartWorkflowOperation(workflowType, {
        ...start,
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      const ticket = await withDeadline(() =>
        temporal.workflow.executeUpdateWithStart(requestRunUpdate, {
          args: [{ trigger: 'operator', requestedBy: request.requestedBy, ...(request.full ? { full: true } : {}) }],
          startWorkflowOperation: operation,
        }),
      );
      const handle = temporal.workflow.getHandle(start.workflowId);
      const deadline = Date.now() + waitMs;
      let state: ReconciliationState | undefined;
      // A wait is answered early when the workflow hands over to a new run (continue-as-new): ask the new one.
      while (Date.now() < deadline) {
        try {
          state = await temporal.withDeadline(deadline, () =>
            handle.executeUpdate(waitForRunUpdate, { args: [{ run: ticket.run }] }),
          );
        } catch (error) {
          if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) break;
          throw error;
        }
        if (state.runCount >= ticket.run) return { run: ticket.run, state, finished: true };
      }
      state ??= await view(scope);
      if (!state) throw new Error(`${start.workflowId} vanished while running`);
      return { run: ticket.run, state, finished: state.runCount >= ticket.run };
    },

    async acknowledge(scope, request) {
      const problems = acknowledgeRequestProblems(request);
      if (problems.length > 0) return { kind: 'invalid', problems };
      const handle = temporal.workflow.getHandle(reconciliationIdFor(scope));
      try {
        const finding = await withDeadline(() => handle.executeUpdate(acknowledgeFindingUpdate, { args: [request] }));
        return { kind: 'done', finding };
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return { kind: 'not-found' };
        // The workflow's validator refused it: no such finding, or it was acknowledged already.
        if (error instanceof WorkflowUpdateFailedError) {
          const reason = error.cause?.message ?? error.message;
          return /^no finding /.test(reason) ? { kind: 'not-found' } : { kind: 'refused', reason };
        }
        throw error;
      }
    },

    async list() {
      const query = `WorkflowType = '${RECONCILIATION_WORKFLOW_TYPE}'`;
      const found = new Map<
        string,
        { reconciliationId: string; wallets: string[]; openFindings: number; running: boolean }
      >();
      await withDeadline(async () => {
        for await (const info of temporal.workflow.list({ query })) {
          if (found.has(info.workflowId)) continue; // newest run first; earlier runs continued as new
          found.set(info.workflowId, {
            reconciliationId: info.workflowId,
            wallets: info.typedSearchAttributes.get(ReconciliationWalletsKey) ?? [],
            openFindings: info.typedSearchAttributes.get(ReconciliationOpenFindingsKey) ?? 0,
            running: info.status.name === 'RUNNING',
          });
        }
      });
      return [...found.values()].sort((a, b) => a.reconciliationId.localeCompare(b.reconciliationId));
    },
  };
}
