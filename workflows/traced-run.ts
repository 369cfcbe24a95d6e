// The part of workflow tracing that loads OpenTelemetry: required by tracing-interceptors.ts only for a workflow whose
// start (or a signal, update or query) carried a sampled trace context, so that every other workflow evaluates none
// of these modules (the sandbox evaluates each workflow's modules for it: they are not preloaded).
import { context, propagation, trace, type Link } from '@opentelemetry/api';
import { headersWithContext } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import {
  ContinueAsNew,
  workflowInfo,
  type ContinueAsNewInput,
  type Next,
  type StartChildWorkflowExecutionInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { TRACE_MEMO_KEY } from '../src/contracts/trace-context';
import { PAYMENT_WORKFLOW_TYPE } from '../src/contracts/workflow-types';

/**
 * Starts what follows (a continued run, a child payment) as a trace of its own, rooted in a span that links back to
 * the span running now, so that a payment that continues for days or a batch of thousands is not one giant trace.
 */
async function inNewLinkedTrace<T>(name: string, reason: string, fn: () => Promise<T>): Promise<T> {
  const current = trace.getSpanContext(context.active());
  const links: Link[] = current ? [{ context: current, attributes: { 'link.reason': reason } }] : [];
  return trace.getTracer('payments-workflow').startActiveSpan(name, { root: true, links }, async (span) => {
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

/** Temporal's OpenTelemetry workflow interceptors for one workflow, and what the payments add to them. */
export class TracedRun {
  readonly inbound = new OpenTelemetryInboundInterceptor();
  readonly outbound = new OpenTelemetryOutboundInterceptor();
  readonly internals = new OpenTelemetryInternalsInterceptor();

  /** The run's span, naming the payment (`payment.id`, `network`) when it is one. */
  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    return this.inbound.execute(input, (traced) => {
      const info = workflowInfo();
      const span = trace.getActiveSpan();
      if (span && info.workflowType === PAYMENT_WORKFLOW_TYPE) {
        const request = (traced.args[0] as { request?: { network?: unknown } } | undefined)?.request;
        span.setAttribute('payment.id', info.workflowId);
        if (typeof request?.network === 'string') span.setAttribute('network', request.network);
      }
      return next(traced);
    });
  }

  /** A child (a batch's payment) starts its own trace, linked here; its memo names that trace for the bridge. */
  startChild(
    input: StartChildWorkflowExecutionInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'startChildWorkflowExecution'>,
  ): Promise<[Promise<string>, Promise<unknown>]> {
    return inNewLinkedTrace(`StartChildWorkflow:${input.workflowType}`, 'started by', () => {
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      const memo = carrier.traceparent ? { ...input.options.memo, [TRACE_MEMO_KEY]: carrier.traceparent } : undefined;
      const options = memo ? { ...input.options, memo } : input.options;
      return next({ ...input, options, headers: headersWithContext(input.headers) });
    });
  }

  /** The next run starts its own trace, linked to this run. */
  continueAsNew(input: ContinueAsNewInput, next: Next<WorkflowOutboundCallsInterceptor, 'continueAsNew'>) {
    return inNewLinkedTrace(`ContinueAsNew:${input.options.workflowType}`, 'continued from', () =>
      next({ ...input, headers: headersWithContext(input.headers) }),
    );
  }
}
