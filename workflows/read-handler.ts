import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { setHandler, workflowInfo } from '@temporalio/workflow';
import { READ_REFUSED } from '../src/contracts/workflow-reads';

/** Whether Temporal suggests a new run (history long or large, or many Updates): the default limit for reads. */
const suggestedNewRun = (): boolean => workflowInfo().continueAsNewSuggested;

/**
 * Registers a read-only Update answering `read()`. It issues no command, so registering it changes no history and
 * needs no patch. Its validator refuses reads once `full()` says the run's history is due to continue as new: a
 * refused Update leaves no event, so reads alone can never push a history towards Temporal's limits; the reader
 * then answers from the last read the history recorded (src/temporal/workflow-reads.ts).
 */
export function setReadHandler<T>(update: UpdateDefinition<T, []>, read: () => T, full = suggestedNewRun): void {
  setHandler(update, read, {
    validator: () => {
      if (full())
        throw ApplicationFailure.nonRetryable('this run is due to continue as new; read it from history', READ_REFUSED);
    },
    description: 'Read the state (an Update, so that the read rides a workflow task)',
  });
}
