import { httpInstrumentationMiddleware } from '@hono/otel';
import { Hono } from 'hono';
import { createApiApp, type ApiDeps } from './api/api-app';
import { answerProblems, problemNotFound } from './api/problem';
import { dfnsWebhookRoute, type DfnsWebhookDeps } from './bridge/dfns-webhook-route';
import { answerErrors } from './bridge/http-error';
import { createAppMetrics, type AppMetrics } from './observability/app-metrics';

/** Everything the HTTP app needs; the main entry point builds these, tests inject their own. */
export interface AppDeps {
  webhook: DfnsWebhookDeps;
  /** The payments API (`/v1/...`, `/openapi.json`, `/docs`, `/readyz`); absent in bridge-only tests. */
  api?: ApiDeps;
  /**
   * The app's Prometheus metrics (its HTTP middleware runs here; `/metrics` is served on a listener of its own, see
   * src/observability/metrics-listener.ts); when not given (tests), a fresh registry without process or visibility
   * gauges.
   */
  metrics?: AppMetrics;
  /** Traces every request (a server span per request, its context continued from a `traceparent` header). */
  tracing?: boolean;
}

/** The path of the webhook bridge, which keeps its own error shape (src/bridge/http-error.ts). */
const WEBHOOK_PATH = '/webhooks/dfns';

/**
 * Builds the public HTTP app without listening; `src/server.ts` serves it. It holds the API, its contract and docs,
 * the webhook bridge and the health checks, and nothing operational: metrics have a listener of their own. Routes
 * throw HTTPExceptions; the webhook bridge answers them in its own shape (`{"error": …}`, read by Dfns only for the
 * status), and everything else, unknown routes included, as RFC 9457 problem documents.
 */
export function createApp(deps: AppDeps): Hono {
  const metrics = deps.metrics ?? createAppMetrics({ processMetrics: false });
  const app = new Hono();
  // First, so that the request's span encloses everything the app does for it, its log lines included.
  if (deps.tracing) app.use(httpInstrumentationMiddleware());
  app.use(metrics.middleware);
  app.use(WEBHOOK_PATH, metrics.webhookMiddleware);
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route(WEBHOOK_PATH, dfnsWebhookRoute(deps.webhook));
  if (deps.api) app.route('/', createApiApp(deps.api));
  app.notFound(problemNotFound);
  const bridgeErrors = answerErrors(deps.webhook.logger);
  const problems = answerProblems(deps.webhook.logger);
  app.onError((error, c) => (c.req.path === WEBHOOK_PATH ? bridgeErrors(error, c) : problems(error, c)));
  return app;
}
