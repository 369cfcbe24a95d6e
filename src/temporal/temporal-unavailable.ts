import { isGrpcServiceError, ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

/**
 * Whether an error means Temporal did not serve a call: a service error, a raw gRPC status (a call through
 * `workflowService`), or an Update whose RPC ran out of time, which is how Update-with-Start and operator Updates
 * report a frontend that cannot be reached (or a workflow no worker picks up) before the deadline. The API answers
 * all of them 503 `temporal_unavailable`, which tells a client to retry with the same key, never 500.
 */
export function isTemporalUnavailable(error: unknown): boolean {
  return (
    error instanceof ServiceError ||
    error instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
    isGrpcServiceError(error)
  );
}
