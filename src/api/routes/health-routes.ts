import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../api-key-auth';
import type { PaymentsBackend } from '../payments-backend';
import { ApiError } from '../../bridge/http-error';
import { problemResponse } from '../problem';

const okSchema = z.object({ ok: z.boolean() }).openapi('Health');

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'healthz',
  summary: 'The process is up',
  responses: { 200: { description: 'Up', content: { 'application/json': { schema: okSchema } } } },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'readyz',
  summary: 'Ready to serve: Temporal is reachable and the payment search attributes are registered',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: okSchema } } },
    503: problemResponse('Not ready; `errors` says why'),
  },
});

/** `GET /healthz` (the process) and `GET /readyz` (what the API depends on). Unauthenticated: they reveal nothing. */
export function registerHealth(app: OpenAPIHono<ApiEnv>, backend: PaymentsBackend): void {
  app.openapi(healthz, (c) => c.json({ ok: true }, 200));
  app.openapi(readyz, async (c) => {
    const problems = await backend.readiness();
    if (problems.length === 0) return c.json({ ok: true }, 200);
    const errors = problems.map((message) => ({ field: 'temporal', message }));
    throw new ApiError(503, 'not_ready', problems.join('; '), errors);
  });
}
