// The workflow side of tracing, bundled with the workflows as an interceptor module (src/temporal/workflow-bundle.ts).
// It loads OpenTelemetry (traced-run.ts) only for a workflow that a sampled trace reaches; others run as without it.
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import type {
  ActivityInput,
  ContinueAsNewInput,
  DisposeInput,
  GetLogAttributesInput,
  LocalActivityInput,
  Next,
  QueryInput,
  SignalInput,
  SignalWorkflowInput,
  StartChildWorkflowExecutionInput,
  UpdateInput,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowInternalsInterceptor,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { parseTraceparent } from '../src/contracts/trace-context';
import type { TracedRun } from './traced-run';

/** The Temporal header Temporal's OpenTelemetry interceptors carry the trace context in (their `TRACE_HEADER`). */
export const TRACE_HEADER = '_tracer-data';

/** Whether Temporal headers carry a sampled trace context: a traced starter, signaller or updater kept this trace. */
export function carriesSampledTrace(headers: Headers): boolean {
  const payload = headers[TRACE_HEADER];
  if (!payload) return false;
  const carrier: unknown = defaultPayloadConverter.fromPayload(payload);
  if (typeof carrier !== 'object' || carrier === null) return false;
  return parseTraceparent((carrier as Record<string, unknown>).traceparent)?.sampled === true;
}

/** One workflow's tracing: loaded on first need, and whether its run itself is traced. */
class RunTracing {
  runTraced = false;
  private loaded?: TracedRun;
  get traced(): TracedRun {
    // Required here, not imported: webpack evaluates the OpenTelemetry modules only for a workflow that gets here.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { TracedRun: Traced } = require('./traced-run') as { TracedRun: typeof TracedRun };
    this.loaded ??= new Traced();
    return this.loaded;
  }
  get ifLoaded(): TracedRun | undefined {
    return this.loaded;
  }
}

/** Traces a run only when its start carried a sampled trace; signals, updates and queries when theirs did. */
class TracingInbound implements WorkflowInboundCallsInterceptor {
  constructor(private readonly run: RunTracing) {}

  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    if (!carriesSampledTrace(input.headers)) return next(input);
    this.run.runTraced = true;
    return this.run.traced.execute(input, next);
  }

  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    return carriesSampledTrace(input.headers) ? this.run.traced.inbound.handleSignal(input, next) : next(input);
  }

  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    return carriesSampledTrace(input.headers) ? this.run.traced.inbound.handleUpdate(input, next) : next(input);
  }

  validateUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'validateUpdate'>): void {
    if (carriesSampledTrace(input.headers)) this.run.traced.inbound.validateUpdate(input, next);
    else next(input);
  }

  handleQuery(input: QueryInput, next: Next<WorkflowInboundCallsInterceptor, 'handleQuery'>): Promise<unknown> {
    return carriesSampledTrace(input.headers) ? this.run.traced.inbound.handleQuery(input, next) : next(input);
  }
}

/**
 * In a traced run: activities and signals to other workflows carry the trace on; a continued run and a child payment
 * start traces of their own that link back here (traced-run.ts). In an untraced run: nothing.
 */
class TracingOutbound implements WorkflowOutboundCallsInterceptor {
  constructor(private readonly run: RunTracing) {}

  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
    return this.run.runTraced ? this.run.traced.outbound.scheduleActivity(input, next) : next(input);
  }

  scheduleLocalActivity(
    input: LocalActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>,
  ) {
    return this.run.runTraced ? this.run.traced.outbound.scheduleLocalActivity(input, next) : next(input);
  }

  signalWorkflow(input: SignalWorkflowInput, next: Next<WorkflowOutboundCallsInterceptor, 'signalWorkflow'>) {
    return this.run.runTraced ? this.run.traced.outbound.signalWorkflow(input, next) : next(input);
  }

  startChildWorkflowExecution(
    input: StartChildWorkflowExecutionInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'startChildWorkflowExecution'>,
  ) {
    return this.run.runTraced ? this.run.traced.startChild(input, next) : next(input);
  }

  continueAsNew(input: ContinueAsNewInput, next: Next<WorkflowOutboundCallsInterceptor, 'continueAsNew'>) {
    return this.run.runTraced ? this.run.traced.continueAsNew(input, next) : next(input);
  }

  getLogAttributes(
    input: GetLogAttributesInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>,
  ): Record<string, unknown> {
    const traced = this.run.ifLoaded;
    return traced ? traced.outbound.getLogAttributes(input, next) : next(input);
  }
}

/** Releases the workflow's context storage when it is evicted, if it ever made one. */
class TracingInternals implements WorkflowInternalsInterceptor {
  constructor(private readonly run: RunTracing) {}

  dispose(input: DisposeInput, next: Next<WorkflowInternalsInterceptor, 'dispose'>): void {
    const traced = this.run.ifLoaded;
    if (traced) void traced.internals.dispose(input, next);
    else next(input);
  }
}

/** The interceptors each workflow gets; everything they hold is the workflow's own. */
export const interceptors = (): WorkflowInterceptors => {
  const run = new RunTracing();
  return {
    inbound: [new TracingInbound(run)],
    outbound: [new TracingOutbound(run)],
    internals: [new TracingInternals(run)],
  };
};
