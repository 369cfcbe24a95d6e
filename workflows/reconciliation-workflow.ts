import { allHandlersFinished, condition, continueAsNew, setHandler } from '@temporalio/workflow';
import { acknowledgeProblem } from '../src/contracts/reconciliation-findings';
import {
  acknowledgeFindingUpdate,
  acknowledgeRequestProblems,
  reconciliationStateQuery,
  reconciliationViewUpdate,
  requestRunUpdate,
  scheduledRunSignal,
  waitForRunUpdate,
  type AcknowledgeRequest,
  type ReconciliationInput,
  type RunRequest,
} from '../src/contracts/reconciliation-messages';
import { setReadHandler } from './read-handler';
import { historyBudgetUsed, Reconciliation } from './reconciliation-run';

/**
 * One reconciliation (a wallet, or a pool's wallets) against Dfns: a long-lived workflow that runs when its Schedule
 * ticks or an operator asks, keeps each wallet's checkpoint and every finding, and continues as new on an event
 * budget, carrying them (a run in progress included), so its history stays bounded however long it lives.
 */
export async function reconciliationWorkflow(input: ReconciliationInput): Promise<void> {
  const rec = new Reconciliation(input);
  setHandler(scheduledRunSignal, (tick) => rec.schedule(tick));
  setHandler(requestRunUpdate, (request) => rec.request(request), {
    validator: (request: RunRequest) => {
      if (request?.trigger !== 'operator') throw new Error('trigger must be "operator"');
      if (request.requestedBy !== undefined && typeof request.requestedBy !== 'string')
        throw new Error('requestedBy must be a string');
    },
    description: 'Run the reconciliation now (queued after runs already asked for); answers the run number',
  });
  setHandler(
    waitForRunUpdate,
    async ({ run }) => {
      await condition(() => rec.finished(run) || rec.handingOver);
      return rec.state;
    },
    { description: 'Wait until a run has finished; answers early when the workflow hands over (ask again)' },
  );
  // A read-only Update (no command), refused once the run is due to continue as new: reads never grow it past that.
  setReadHandler(
    reconciliationViewUpdate,
    () => rec.state,
    () => historyBudgetUsed(rec),
  );
  setHandler(acknowledgeFindingUpdate, (request) => rec.acknowledge(request), {
    validator: (request: AcknowledgeRequest) => {
      const problems = acknowledgeRequestProblems(request);
      if (problems.length > 0) throw new Error(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
      const problem = acknowledgeProblem(rec.state.book, request.findingId);
      if (problem) throw new Error(problem);
    },
    description: 'Acknowledge a finding: who and why are recorded, and the finding stays listed',
  });
  setHandler(reconciliationStateQuery, () => rec.state);
  rec.publish();

  for (;;) {
    if (historyBudgetUsed(rec)) {
      rec.handingOver = true; // callers waiting for a run are answered now, and ask the next run
      await condition(allHandlersFinished);
      const { state, pending, progress } = rec;
      await continueAsNew<typeof reconciliationWorkflow>({
        ...input,
        timings: rec.timings,
        wallets: state.wallets,
        carried: { state, pending, ...(progress ? { progress } : {}) },
      });
    }
    if (rec.progress) {
      await rec.step();
      continue;
    }
    if (!rec.startNext()) await condition(() => rec.pending.length > 0 || historyBudgetUsed(rec));
  }
}
