import type { ReconciliationTick } from '../src/contracts/reconciliation-messages';
import { requestScheduledRun } from './reconciliation-activities';

/**
 * What a reconciliation's Temporal Schedule starts at each tick: it asks the reconciliation's long-lived workflow for
 * a run (starting that workflow if it is not running) and ends. A Schedule can only start workflows, and the findings
 * and checkpoints live in the long-lived one.
 */
export async function reconciliationTickWorkflow(tick: ReconciliationTick): Promise<void> {
  await requestScheduledRun(tick);
}
