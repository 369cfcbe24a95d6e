import { prometheus } from '@hono/prometheus';
import type { Context, MiddlewareHandler } from 'hono';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { AppMetric, WEBHOOK_OUTCOMES, WEBHOOK_SIGNAL_LATENCY_BUCKETS } from './metric-names';
import { registerPaymentGauges, type PaymentGaugeDeps } from './payment-gauges';
import { countWebhookOutcomes, type WebhookMetrics } from './webhook-outcomes';

/** The app's metrics: a registry of its own, the HTTP middleware, the `/metrics` handler and the product sinks. */
export interface AppMetrics {
  registry: Registry;
  middleware: MiddlewareHandler;
  handler: (c: Context) => Promise<Response>;
  webhook: WebhookMetrics;
  /** Counts POST /webhooks/dfns by outcome (mount it on that path). */
  webhookMiddleware: MiddlewareHandler;
}

/** What the app's metrics include beyond the HTTP and webhook ones. */
export interface AppMetricsOptions {
  /** Counts the payment gauges in Temporal visibility at scrape time. */
  payments?: PaymentGaugeDeps;
  /** Node process metrics (CPU, memory, event loop, GC); on unless false. */
  processMetrics?: boolean;
}

/** Builds the app's metrics; with `payments`, the payment gauges are counted in Temporal visibility at scrape time. */
export function createAppMetrics(options: AppMetricsOptions = {}): AppMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const { registerMetrics, printMetrics } = prometheus({ registry });
  const deliveries = new Counter({
    name: AppMetric.webhookDeliveries,
    help: 'Dfns webhook deliveries by what the bridge did with them',
    labelNames: ['outcome'],
    registers: [registry],
  });
  // Every outcome starts at 0, so a rate or "no webhook for N minutes" is defined before the first delivery.
  for (const outcome of WEBHOOK_OUTCOMES) deliveries.inc({ outcome }, 0);
  const latency = new Histogram({
    name: AppMetric.webhookSignalLatency,
    help: 'Seconds from a webhook arriving to its answer, once Temporal accepted its signal',
    buckets: WEBHOOK_SIGNAL_LATENCY_BUCKETS,
    registers: [registry],
  });
  if (options.payments) registerPaymentGauges(registry, options.payments);
  const webhook: WebhookMetrics = {
    delivery: (outcome) => deliveries.inc({ outcome }),
    signalLatency: (seconds) => latency.observe(seconds),
  };
  return {
    registry,
    middleware: registerMetrics,
    handler: printMetrics,
    webhook,
    webhookMiddleware: countWebhookOutcomes(webhook),
  };
}
