import { TraceFlags, type Context } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { Resource } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { makeWorkflowExporter, type OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks } from '@temporalio/worker';
import type { Config } from '../config';
import { createRequire } from 'node:module';
import { dfnsHttpInstrumentations } from './dfns-http-tracing';

/** The configuration tracing reads: OpenTelemetry's standard variables. */
export type TracingConfig = Pick<
  Config,
  | 'OTEL_SDK_DISABLED'
  | 'OTEL_SERVICE_NAME'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_PROTOCOL'
  | 'OTEL_EXPORTER_OTLP_HEADERS'
  | 'OTEL_TRACES_SAMPLER'
  | 'OTEL_TRACES_SAMPLER_ARG'
  | 'OTEL_RESOURCE_ATTRIBUTES'
>;

/** A process's tracing, started or not; the worker hands `workflowSinks` to the worker that runs workflows. */
export interface Tracing {
  enabled: boolean;
  /** Where spans go (the OTLP traces URL), or why they go nowhere; for the start-up log line. */
  description: string;
  /** The sink the workflow interceptors export their spans through (it drops them while tracing is off). */
  workflowSinks: InjectedSinks<OpenTelemetrySinks>;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

/** What a process says about itself and where its Dfns requests go. */
export interface TracingOptions {
  /** The service name when OTEL_SERVICE_NAME is not set (`payments-worker`, `payments-api`). */
  serviceName: string;
  /** The Dfns API's base URL: requests to it are traced (by route template), other outbound requests are not. */
  dfnsBaseUrl?: string;
  /** Replaces the OTLP exporter (tests export to memory); tracing is then on whatever the endpoint. */
  spanProcessor?: SpanProcessor;
}

/** The OTLP traces URL: the signal-specific variable as given, else `/v1/traces` under the base endpoint. */
export function otlpTracesUrl(config: TracingConfig): string | undefined {
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}

/** The sampler OTEL_TRACES_SAMPLER names, with OTEL_TRACES_SAMPLER_ARG as its ratio (1 when not given). */
export function samplerFrom(config: TracingConfig): Sampler {
  const ratio = new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_ARG ?? 1);
  switch (config.OTEL_TRACES_SAMPLER) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    case 'parentbased_always_on':
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/**
 * Workflow spans are made inside the workflow sandbox, which follows its parent's sampling decision but knows no
 * ratio: only the sampled ones are passed on, so OTEL_TRACES_SAMPLER decides for them as for the rest.
 */
class SampledOnly implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}
  onStart(span: Span, context: Context): void {
    this.next.onStart(span, context);
  }
  onEnd(span: ReadableSpan): void {
    if (span.spanContext().traceFlags & TraceFlags.SAMPLED) this.next.onEnd(span);
  }
  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}

/** Drops every span: the workflow sink of a process that does not trace. */
const DROP: SpanProcessor = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/**
 * The workflow span sink of a worker that does not trace: a payment started by a traced process still makes spans in
 * the workflow sandbox, and they end here.
 */
export function untracedWorkflowSinks(): InjectedSinks<OpenTelemetrySinks> {
  return { exporter: makeWorkflowExporter(DROP, new Resource({})) };
}

/**
 * Starts OpenTelemetry for a process when an OTLP endpoint is set (and OTEL_SDK_DISABLED is not true): the Node SDK
 * with the OTLP exporter (HTTP, protobuf or JSON), the configured sampler, and the undici instrumentation for the
 * Dfns SDK's fetch. Without an endpoint nothing is started and every span is a no-op. Call it first in a main entry
 * point, before Temporal clients and workers are built.
 */
export function startTracing(config: TracingConfig, options: TracingOptions): Tracing {
  const url = otlpTracesUrl(config);
  const serviceName = config.OTEL_SERVICE_NAME ?? options.serviceName;
  const resource = new Resource({ ...config.OTEL_RESOURCE_ATTRIBUTES, 'service.name': serviceName });
  const off = (description: string): Tracing => ({
    enabled: false,
    description,
    workflowSinks: untracedWorkflowSinks(),
    shutdown: () => Promise.resolve(),
  });
  if (config.OTEL_SDK_DISABLED) return off('off (OTEL_SDK_DISABLED=true)');
  if (!url && !options.spanProcessor) return off('off (no OTEL_EXPORTER_OTLP_ENDPOINT)');
  const processor =
    options.spanProcessor ??
    new BatchSpanProcessor(
      new (config.OTEL_EXPORTER_OTLP_PROTOCOL === 'http/json' ? OtlpJsonExporter : OtlpProtobufExporter)({
        url,
        headers: config.OTEL_EXPORTER_OTLP_HEADERS ?? {},
      }),
    );
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    sampler: samplerFrom(config),
    spanProcessors: [processor],
    // Traces only: no log records and no metrics through OpenTelemetry (pino and Prometheus have those).
    logRecordProcessors: [],
    instrumentations: options.dfnsBaseUrl ? dfnsHttpInstrumentations(options.dfnsBaseUrl) : [],
  });
  sdk.start();
  // The http instrumentation patches node:http in place the next time it is required; the Dfns SDK's fetch loaded it
  // long before tracing started, so require it once more now.
  const require = createRequire(import.meta.url);
  require('node:http');
  require('node:https');
  const sampler =
    config.OTEL_TRACES_SAMPLER +
    (config.OTEL_TRACES_SAMPLER_ARG === undefined ? '' : ` ${config.OTEL_TRACES_SAMPLER_ARG}`);
  return {
    enabled: true,
    description: `${options.spanProcessor ? 'in process' : url}, ${serviceName}, sampler ${sampler}`,
    workflowSinks: { exporter: makeWorkflowExporter(new SampledOnly(processor), resource) },
    shutdown: () => sdk.shutdown(),
  };
}
