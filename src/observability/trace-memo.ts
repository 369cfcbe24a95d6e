import { context, propagation } from '@opentelemetry/api';
import type {
  Next,
  WorkflowClientInterceptor,
  WorkflowSignalWithStartInput,
  WorkflowStartInput,
  WorkflowStartOutput,
  WorkflowStartUpdateWithStartInput,
  WorkflowStartUpdateWithStartOutput,
} from '@temporalio/client';
import { parseTraceparent, TRACE_MEMO_KEY } from '../contracts/trace-context';

/**
 * The memo with the active trace context's `traceparent` added, or as it was outside a traced operation or when the
 * sampler did not keep the trace (there is then no trace to name).
 */
function withTraceparent(memo: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return parseTraceparent(carrier.traceparent)?.sampled ? { ...memo, [TRACE_MEMO_KEY]: carrier.traceparent } : memo;
}

/**
 * Writes the starting span's `traceparent` into a new workflow's memo (placed after Temporal's OpenTelemetry client
 * interceptor, so the active span is its StartWorkflow span). The memo is set once, with the start, and read without
 * asking the workflow: the bridge links a webhook to the payment's trace from it, and the payment's state names its
 * trace from it.
 */
export class TraceMemoInterceptor implements WorkflowClientInterceptor {
  start(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'start'>): Promise<string> {
    return next({ ...input, options: { ...input.options, memo: withTraceparent(input.options.memo) } });
  }

  startWithDetails(
    input: WorkflowStartInput,
    next: Next<WorkflowClientInterceptor, 'startWithDetails'>,
  ): Promise<WorkflowStartOutput> {
    return next({ ...input, options: { ...input.options, memo: withTraceparent(input.options.memo) } });
  }

  signalWithStart(
    input: WorkflowSignalWithStartInput,
    next: Next<WorkflowClientInterceptor, 'signalWithStart'>,
  ): Promise<string> {
    return next({ ...input, options: { ...input.options, memo: withTraceparent(input.options.memo) } });
  }

  startUpdateWithStart(
    input: WorkflowStartUpdateWithStartInput,
    next: Next<WorkflowClientInterceptor, 'startUpdateWithStart'>,
  ): Promise<WorkflowStartUpdateWithStartOutput> {
    const workflowStartOptions = {
      ...input.workflowStartOptions,
      memo: withTraceparent(input.workflowStartOptions.memo),
    };
    return next({ ...input, workflowStartOptions });
  }
}
