// The workflow side of tracing, bundled with the workflows as an interceptor module (src/temporal/workflow-bundle.ts).
// It is not preloaded: the OpenTelemetry modules keep per-workflow state, so each workflow evaluates its own.
import { context, propagation, trace, type Link } from '@opentelemetry/api';
import { headersWithContext, TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import {
  ContinueAsNew,
  workflowInfo,
  type ActivityInput,
  type ContinueAsNewInput,
  type DisposeInput,
  type GetLogAttributesInput,
  type LocalActivityInput,
  type Next,
  type QueryInput,
  type SignalInput,
  type SignalWorkflowInput,
  type StartChildWorkflowExecutionInput,
  type UpdateInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowInternalsInterceptor,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import { parseTraceparent, TRACE_MEMO_KEY } from '../src/contracts/trace-context';
import { PAYMENT_WORKFLOW_TYPE } from '../src/contracts/workflow-types';

/** The Temporal interceptors of one workflow, made on first use: a workflow nobody traces never builds a tracer. */
interface Stock {
  inbound: OpenTelemetryInboundInterceptor;
  outbound: OpenTelemetryOutboundInterceptor;
  internals: OpenTelemetryInternalsInterceptor;
}

/** One workflow's tracing: whether its run is traced (its start carried a sampled trace context). */
class RunTracing {
  traced = false;
  private made?: Stock;
  get stock(): Stock {
    this.made ??= {
      inbound: new OpenTelemetryInboundInterceptor(),
      outbound: new OpenTelemetryOutboundInterceptor(),
      internals: new OpenTelemetryInternalsInterceptor(),
    };
    return this.made;
  }
  get built(): Stock | undefined {
    return this.made;
  }
}

/**
 * Whether Temporal headers carry a valid trace context (a traced starter, signaller or updater). Read from the
 * `traceparent` itself: before a workflow's first traced call nothing is registered in its sandbox to extract it.
 */
function carriesTrace(headers: Headers): boolean {
  const payload = headers[TRACE_HEADER];
  if (!payload) return false;
  const carrier: unknown = defaultPayloadConverter.fromPayload(payload);
  return (
    typeof carrier === 'object' &&
    carrier !== null &&
    parseTraceparent((carrier as Record<string, unknown>).traceparent) !== undefined
  );
}

/**
 * Starts what follows (a continued run, a child payment) as a trace of its own, rooted in a span that links back to
 * the span running now, so that a payment that continues for days or a batch of thousands is not one giant trace.
 */
async function inNewLinkedTrace<T>(name: string, reason: string, fn: () => Promise<T>): Promise<T> {
  const current = trace.getSpanContext(context.active());
  const links: Link[] = current ? [{ context: current, attributes: { 'link.reason': reason } }] : [];
  const tracer = trace.getTracer('payments-workflow');
  return tracer.startActiveSpan(name, { root: true, links }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof ContinueAsNew)) span.recordException(error as Error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Traces a run only when its start carried a trace context; signals, updates and queries when theirs did. */
class TracingInbound implements WorkflowInboundCallsInterceptor {
  constructor(private readonly run: RunTracing) {}

  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    if (!carriesTrace(input.headers)) return next(input);
    this.run.traced = true;
    return this.run.stock.inbound.execute(input, (traced) => {
      const info = workflowInfo();
      const span = trace.getActiveSpan();
      if (info.workflowType === PAYMENT_WORKFLOW_TYPE) {
        const request = (traced.args[0] as { request?: { network?: unknown } } | undefined)?.request;
        span?.setAttribute('payment.id', info.workflowId);
        if (typeof request?.network === 'string') span?.setAttribute('network', request.network);
      }
      return next(traced);
    });
  }

  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    return carriesTrace(input.headers) ? this.run.stock.inbound.handleSignal(input, next) : next(input);
  }

  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    return carriesTrace(input.headers) ? this.run.stock.inbound.handleUpdate(input, next) : next(input);
  }

  validateUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'validateUpdate'>): void {
    if (carriesTrace(input.headers)) this.run.stock.inbound.validateUpdate(input, next);
    else next(input);
  }

  handleQuery(input: QueryInput, next: Next<WorkflowInboundCallsInterceptor, 'handleQuery'>): Promise<unknown> {
    return carriesTrace(input.headers) ? this.run.stock.inbound.handleQuery(input, next) : next(input);
  }
}

/**
 * In a traced run: activities and signals to other workflows carry the trace on; a continued run and a child payment
 * start traces of their own that link back here, and a child payment's memo names its trace for the bridge.
 */
class TracingOutbound implements WorkflowOutboundCallsInterceptor {
  constructor(private readonly run: RunTracing) {}

  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
    return this.run.traced ? this.run.stock.outbound.scheduleActivity(input, next) : next(input);
  }

  scheduleLocalActivity(
    input: LocalActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>,
  ) {
    return this.run.traced ? this.run.stock.outbound.scheduleLocalActivity(input, next) : next(input);
  }

  signalWorkflow(input: SignalWorkflowInput, next: Next<WorkflowOutboundCallsInterceptor, 'signalWorkflow'>) {
    return this.run.traced ? this.run.stock.outbound.signalWorkflow(input, next) : next(input);
  }

  startChildWorkflowExecution(
    input: StartChildWorkflowExecutionInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'startChildWorkflowExecution'>,
  ) {
    if (!this.run.traced) return next(input);
    return inNewLinkedTrace(`StartChildWorkflow:${input.workflowType}`, 'started by', () => {
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      const memo = carrier.traceparent ? { ...input.options.memo, [TRACE_MEMO_KEY]: carrier.traceparent } : undefined;
      const options = memo ? { ...input.options, memo } : input.options;
      return next({ ...input, options, headers: headersWithContext(input.headers) });
    });
  }

  continueAsNew(input: ContinueAsNewInput, next: Next<WorkflowOutboundCallsInterceptor, 'continueAsNew'>) {
    if (!this.run.traced) return next(input);
    return inNewLinkedTrace(`ContinueAsNew:${input.options.workflowType}`, 'continued from', () =>
      next({ ...input, headers: headersWithContext(input.headers) }),
    );
  }

  getLogAttributes(
    input: GetLogAttributesInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>,
  ): Record<string, unknown> {
    const stock = this.run.built;
    return stock ? stock.outbound.getLogAttributes(input, next) : next(input);
  }
}

/** Releases the workflow's context storage when it is evicted, if it ever built one. */
class TracingInternals implements WorkflowInternalsInterceptor {
  constructor(private readonly run: RunTracing) {}

  dispose(input: DisposeInput, next: Next<WorkflowInternalsInterceptor, 'dispose'>): void {
    const stock = this.run.built;
    if (stock) void stock.internals.dispose(input, next);
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
