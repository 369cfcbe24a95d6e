import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { isClientPaymentId } from '../../contracts/payment-id';
import { PAYMENT_STATUSES } from '../../contracts/payment-status';
import { NETWORK_NAMES } from '../../contracts/networks';
import { requireScope, type ApiEnv } from '../api-key-auth';
import { paymentPageSchema, paymentViewSchema, toPaymentView } from '../payment-view';
import { InvalidCursorError, type PaymentsBackend } from '../payments-backend';
import { ApiError } from '../../bridge/http-error';
import { problemResponse } from '../problem';
import { authProblems, notFoundProblem } from './route-responses';

/** A payment id in a path; anything else is simply not found. */
export const paymentIdParam = z.object({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'payment:acme:payout-0001' }),
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/payments/{id}',
  operationId: 'getPayment',
  summary: 'Read a payment: status, attempt, Dfns ids, txHash, reason and timeline',
  security: [{ bearerAuth: [] }],
  middleware: [requireScope('payments:read')] as const,
  request: { params: paymentIdParam },
  responses: {
    200: { description: 'The payment', content: { 'application/json': { schema: paymentViewSchema } } },
    ...notFoundProblem,
    ...authProblems,
  },
});

const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });
const listQuery = z
  .object({
    status: z.enum(PAYMENT_STATUSES).optional(),
    wallet: z
      .string()
      .regex(/^wa-[A-Za-z0-9-]{1,100}$/, 'must be a Dfns wallet id (wa-…)')
      .optional(),
    network: z.enum(NETWORK_NAMES).optional(),
    asset: z
      .string()
      .regex(/^(Native|0x[0-9a-fA-F]{40})$/, 'must be Native or a token contract address')
      .optional()
      .openapi({ description: '"Native" or the token contract address as given in the request' }),
    stuck: z.enum(['true', 'false']).optional(),
    createdAfter: isoTime.optional().openapi({ description: 'Created at or after (ISO 8601)' }),
    createdBefore: isoTime.optional().openapi({ description: 'Created before (ISO 8601)' }),
    limit: z
      .string()
      .regex(/^([1-9]|[1-9][0-9]|100)$/, 'must be a whole number from 1 to 100')
      .optional()
      .openapi({ description: 'Page size, 1 to 100 (default 20)' }),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,4096}$/, 'must be a nextCursor from an earlier page')
      .optional(),
  })
  .strict();

const listRoute = createRoute({
  method: 'get',
  path: '/v1/payments',
  operationId: 'listPayments',
  summary: "List the caller's payments, newest first, with filters and cursor pagination",
  security: [{ bearerAuth: [] }],
  middleware: [requireScope('payments:read')] as const,
  request: { query: listQuery },
  responses: {
    200: { description: 'A page of payments', content: { 'application/json': { schema: paymentPageSchema } } },
    400: problemResponse('A bad filter or cursor; `errors` names it'),
    ...authProblems,
  },
});

/** `GET /v1/payments/{id}` and `GET /v1/payments`. */
export function registerReadPayments(app: OpenAPIHono<ApiEnv>, backend: PaymentsBackend): void {
  app.openapi(getRoute, async (c) => {
    const clientId = c.get('principal').clientId;
    const { id } = c.req.valid('param');
    const state = isClientPaymentId(id, clientId) ? await backend.get(id) : undefined;
    if (!state || state.clientId !== clientId) throw new ApiError(404, 'payment_not_found', 'no such payment');
    return c.json(toPaymentView(state, clientId), 200);
  });

  app.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    try {
      const page = await backend.list({
        clientId: c.get('principal').clientId,
        ...(query.status ? { status: query.status } : {}),
        ...(query.wallet ? { walletId: query.wallet } : {}),
        ...(query.network ? { network: query.network } : {}),
        ...(query.asset ? { asset: query.asset } : {}),
        ...(query.stuck ? { stuck: query.stuck === 'true' } : {}),
        ...(query.createdAfter ? { createdAfter: new Date(query.createdAfter).toISOString() } : {}),
        ...(query.createdBefore ? { createdBefore: new Date(query.createdBefore).toISOString() } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
        limit: query.limit ? Number(query.limit) : 20,
      });
      return c.json(page, 200);
    } catch (error) {
      if (!(error instanceof InvalidCursorError)) throw error;
      throw new ApiError(400, 'invalid_cursor', error.message, [
        { field: 'cursor', message: 'is not a cursor from this listing' },
      ]);
    }
  });
}
