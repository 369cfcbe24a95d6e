import { isSpanContextValid, trace, TraceFlags, type Span } from '@opentelemetry/api';
import type { Headers } from '@temporalio/common';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { extractContextFromHeaders } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { PAYMENT_WORKFLOW_TYPE } from '../contracts/workflow-types';

/** Whether an activity was scheduled by a traced run (its headers carry a valid, sampled trace context). */
function carriesSampledTrace(headers: Headers): boolean {
  const extracted = extractContextFromHeaders(headers);
  const span = extracted && trace.getSpanContext(extracted);
  return span !== undefined && isSpanContextValid(span) && (span.traceFlags & TraceFlags.SAMPLED) !== 0;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The payment's attributes an activity's input and result name: the network, and the Dfns transfer id. */
function paymentAttributes(span: Span | undefined, input: unknown, result?: unknown): void {
  if (!span) return;
  const source = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const request = typeof source.request === 'object' && source.request !== null ? source.request : {};
  const network = text((request as Record<string, unknown>).network);
  if (network) span.setAttribute('network', network);
  const out = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
  const transferId = text(out.transferId) ?? text(source.transferId);
  if (transferId) span.setAttribute('dfns.transfer_id', transferId);
}

/**
 * Temporal's OpenTelemetry activity interceptors, for activities a traced run scheduled: the activity's span is a
 * child of the workflow's, names the payment (`payment.id`, `network`, `dfns.transfer_id` once Dfns gave one), and the
 * Dfns requests the activity makes are its children. An activity scheduled by an untraced run passes through, so it
 * never starts a trace of its own.
 */
export function activityTracing(): ActivityInterceptorsFactory {
  return (ctx) => {
    const inbound = new OpenTelemetryActivityInboundInterceptor(ctx);
    return {
      inbound: {
        execute: (input, next) => {
          if (!carriesSampledTrace(input.headers)) return next(input);
          return inbound.execute(input, async (traced) => {
            const span = trace.getActiveSpan();
            const execution = ctx.info.workflowExecution;
            if (ctx.info.workflowType === PAYMENT_WORKFLOW_TYPE && execution) {
              span?.setAttribute('payment.id', execution.workflowId);
            }
            paymentAttributes(span, traced.args[0]);
            const result = await next(traced);
            paymentAttributes(span, traced.args[0], result);
            return result;
          });
        },
      },
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    };
  };
}
