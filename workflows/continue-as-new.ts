import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { PAYMENT_BASELINE, type PaymentWorkflowInput } from '../src/contracts/payment-messages';
import { changed } from './baseline';
import type { PaymentRun } from './payment-run';

/**
 * Marks the runs that may continue as new. A payment replayed from a history recorded before this existed never
 * reaches the marker at a point where it did not continue, so its commands stay the same; one that is still
 * running when it reaches its budget continues from then on. See https://docs.temporal.io/develop/typescript/versioning
 */
const CONTINUE_AS_NEW_PATCH = 'continue-as-new';

/** Whether this run's history has used its event budget (or Temporal itself suggests a new run). */
export function historyBudgetUsed(run: PaymentRun): boolean {
  const info = workflowInfo();
  return info.historyLength >= run.timings.historyEventBudget || info.continueAsNewSuggested;
}

/**
 * Continues the payment as a new run once this run's history has used its budget, long before Temporal's limit
 * (https://docs.temporal.io/workflow-execution/continue-as-new). Signals and updates in flight are finished
 * first, so nothing they change is lost; the new run starts with the whole state. Called only from the main
 * path (never from a handler, which would wait for itself), at the top of each waiting loop.
 */
export async function continueAsNewIfDue(run: PaymentRun): Promise<void> {
  if (!historyBudgetUsed(run) || !changed(run.input, CONTINUE_AS_NEW_PATCH)) return;
  run.handingOver = true; // followers waiting for a change are answered now, and ask the next run
  await condition(allHandlersFinished);
  if (run.final) return; // a handler ended the payment: it finishes in this run
  const info = workflowInfo();
  const next = run.runNumber + 1;
  run.note({ source: 'workflow', event: 'continued as new', note: `run ${next} after ${info.historyLength} events` });
  // The next run is this code's to start, so it takes this code's baseline (a run started without one gets it here).
  const input: PaymentWorkflowInput = { ...run.input, baseline: PAYMENT_BASELINE, continued: run.continuation() };
  await continueAsNew<(input: PaymentWorkflowInput) => Promise<unknown>>(input);
}
