import { condition, patched } from '@temporalio/workflow';
import { blockingTrigger, rejectedByBlock } from '../src/contracts/policy-triggers';
import type { PaymentRun } from './payment-run';

/**
 * Marks histories in which a payment rejected by a policy Block waits briefly for Dfns's `policy.triggered`, so that
 * its outcome names the check that blocked it (KYT screening, the Travel Rule). Histories without it ended at once.
 * See https://docs.temporal.io/develop/typescript/versioning
 */
const BLOCK_EXPLANATION_PATCH = 'policy-block-explanation';

/**
 * A Block rejects the transfer before Dfns's webhook says which policy did it: the submission's answer (Rejected, or
 * a 403) usually comes first. The payment waits up to policyExplanationWaitMs for that webhook before it reports its
 * outcome; one that never comes leaves the outcome "blocked by a policy".
 */
export async function awaitBlockExplanation(run: PaymentRun): Promise<void> {
  const explained = () => blockingTrigger(run.state) !== undefined;
  if (!rejectedByBlock(run.state) || explained()) return;
  if (!patched(BLOCK_EXPLANATION_PATCH)) return;
  if (!(await condition(explained, run.timings.policyExplanationWaitMs))) {
    run.note({
      source: 'workflow',
      event: 'no policy explanation',
      note: 'Dfns did not say which policy blocked the transfer in time; see its policy.triggered events',
    });
  }
}
