/**
 * Reads of running workflows are Updates, never queries: an Update rides a real workflow task, while a query that
 * reaches a workflow with no task pending is answered from events no task has completed, and the commands the worker
 * issues then do not replay (docs/architecture.md, "Reads and replay safety"). Each workflow registers its read
 * Update with workflows/read-handler.ts; the Node side reads through src/temporal/workflow-reads.ts.
 */

/**
 * The failure type of a read the workflow refused because its history is due to continue as new: reads never grow a
 * history past its budget. The reader then answers from the last read the history recorded.
 */
export const READ_REFUSED = 'ReadRefused';

/** The prefix of every read Update's id (the rest is unique to the read), so that reads stand out in a history. */
export const READ_UPDATE_ID_PREFIX = 'read-';
