import { Hono } from 'hono';
import { createApiApp, type ApiDeps } from './api/api-app';
import { dfnsWebhookRoute, type DfnsWebhookDeps } from './bridge/dfns-webhook-route';
import { answerErrors, ApiError, errorResponse } from './bridge/http-error';
import { createAppMetrics, type AppMetrics } from './observability/app-metrics';

/** Everything the HTTP app needs; the main entry point builds these, tests inject their own. */
export interface AppDeps {
  webhook: DfnsWebhookDeps;
  /** The payments API (`/v1/...`, `/openapi.json`, `/docs`, `/readyz`); absent in bridge-only tests. */
  api?: ApiDeps;
  /** The app's Prometheus metrics; when not given (tests), a fresh registry without process or visibility gauges. */
  metrics?: AppMetrics;
}

/**
 * Builds the Hono app (bridge today, payments API later) without listening; `src/server.ts` serves it. Routes throw
 * HTTPExceptions; the one `onError` answers all of them in the error shape of `src/bridge/http-error.ts`.
 */
export function createApp(deps: AppDeps): Hono {
  const metrics = deps.metrics ?? createAppMetrics({ processMetrics: false });
  const app = new Hono();
  app.use(metrics.middleware);
  app.get('/metrics', metrics.handler);
  app.use('/webhooks/dfns', metrics.webhookMiddleware);
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/webhooks/dfns', dfnsWebhookRoute(deps.webhook));
  if (deps.api) app.route('/', createApiApp(deps.api));
  app.notFound((c) => errorResponse(c, new ApiError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`)));
  app.onError(answerErrors(deps.webhook.logger));
  return app;
}
