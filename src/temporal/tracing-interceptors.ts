import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { ClientInterceptors } from '@temporalio/client';
import type { WorkerInterceptors } from '@temporalio/worker';
import { activityTracing } from '../observability/activity-tracing';
import { TraceMemoInterceptor } from '../observability/trace-memo';

/**
 * A Temporal client's interceptors in a process that traces: Temporal's OpenTelemetry client interceptor (a span per
 * start, signal, update and query, its context carried to the workflow in Temporal's headers) and the trace memo. In a
 * process that does not trace, none: its starts carry no trace context, and the workflow then traces nothing.
 */
export function clientInterceptors(tracing: { enabled: boolean } | undefined): ClientInterceptors {
  if (!tracing?.enabled) return {};
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor(), new TraceMemoInterceptor()] };
}

/** A worker's interceptors with activity tracing first, so that its span encloses what the others do and log. */
export function workerInterceptors(interceptors: WorkerInterceptors): WorkerInterceptors {
  return { ...interceptors, activity: [activityTracing(), ...(interceptors.activity ?? [])] };
}
