import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { reportCsv } from '../../batches/batch-csv';
import type { BatchService } from '../../batches/batch-service';
import { isClientBatchId } from '../../contracts/payment-id';
import { ApiError } from '../../bridge/http-error';
import { requireScope, type ApiEnv } from '../api-key-auth';
import { batchProgressSchema, batchReportSchema } from '../batch-view';
import { problemResponse } from '../problem';
import { authProblems } from './route-responses';

/** A batch id in a path; anything else is simply not found. */
const batchIdParam = z.object({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'batch:acme:payroll-2026-11' }),
});

const notFound = { 404: problemResponse('No such batch for this client') } as const;
const missing = () => new ApiError(404, 'batch_not_found', 'no such batch');

const getRoute = createRoute({
  method: 'get',
  path: '/v1/batches/{id}',
  operationId: 'getBatch',
  summary: "A batch's progress: rows and amounts per status",
  security: [{ bearerAuth: [] }],
  middleware: [requireScope('payments:read')] as const,
  request: { params: batchIdParam },
  responses: {
    200: { description: 'The progress', content: { 'application/json': { schema: batchProgressSchema } } },
    ...notFound,
    ...authProblems,
  },
});

const reportRoute = createRoute({
  method: 'get',
  path: '/v1/batches/{id}/report',
  operationId: 'getBatchReport',
  summary: "A batch's report: every final row with its status, txHash and reason (JSON, or CSV with Accept)",
  security: [{ bearerAuth: [] }],
  middleware: [requireScope('payments:read')] as const,
  request: { params: batchIdParam },
  responses: {
    200: {
      description: 'The report; rows not yet final are absent until the batch ends',
      content: {
        'application/json': { schema: batchReportSchema },
        'text/csv': { schema: z.string() },
      },
    },
    ...notFound,
    ...authProblems,
  },
});

const cancelRoute = createRoute({
  method: 'post',
  path: '/v1/batches/{id}/cancel',
  operationId: 'cancelBatch',
  summary: 'Cancel a batch: start no more rows, cancel rows not yet broadcast, follow the rest to their end',
  security: [{ bearerAuth: [] }],
  middleware: [requireScope('payments:operate')] as const,
  request: {
    params: batchIdParam,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ reason: z.string().min(1).max(500) })
            .strict()
            .openapi('CancelBatchRequest'),
        },
      },
    },
  },
  responses: {
    200: { description: 'Cancelling', content: { 'application/json': { schema: batchProgressSchema } } },
    400: problemResponse('Invalid body; `errors` names each bad field'),
    ...notFound,
    409: problemResponse('The batch is already final or being cancelled'),
    ...authProblems,
    413: problemResponse('Body too large'),
    415: problemResponse('Body is not application/json'),
  },
});

/** `GET /v1/batches/{id}`, `GET /v1/batches/{id}/report` and `POST /v1/batches/{id}/cancel`. */
export function registerBatches(app: OpenAPIHono<ApiEnv>, batches: BatchService): void {
  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const progress = isClientBatchId(id, c.get('principal').clientId) ? await batches.progress(id) : undefined;
    if (!progress) throw missing();
    return c.json(progress, 200);
  });

  app.openapi(reportRoute, async (c) => {
    const { id } = c.req.valid('param');
    const report = isClientBatchId(id, c.get('principal').clientId) ? await batches.report(id) : undefined;
    if (!report) throw missing();
    if (/\btext\/csv\b/i.test(c.req.header('accept') ?? '')) {
      return c.body(reportCsv(report.rows), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    }
    return c.json(report, 200);
  });

  app.openapi(cancelRoute, async (c) => {
    const { clientId, keyId } = c.get('principal');
    const { id } = c.req.valid('param');
    if (!isClientBatchId(id, clientId)) throw missing();
    const outcome = await batches.cancel(id, { operator: `${clientId}/${keyId}`, reason: c.req.valid('json').reason });
    if (outcome.kind === 'not-found') throw missing();
    if (outcome.kind === 'refused') throw new ApiError(409, 'action_refused', outcome.reason);
    return c.json(outcome.progress, 200);
  });
}
