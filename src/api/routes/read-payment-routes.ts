import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { visibleWallets } from '../../clients/client-bindings';
import type { PayerCheckDeps } from '../../clients/payer-check';
import { NOT_A_WALLET_OF_THIS_CLIENT } from '../../clients/payer-problems';
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

/** A long-poll: wait for the payment to change past a version the caller has seen. */
const waitQuery = z.object({
  after: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,9})$/, 'must be a whole number: the `version` of an earlier read')
    .optional()
    .openapi({ description: 'Answer once the payment `version` differs from this (or it is final)' }),
  wait: z
    .string()
    .regex(/^([1-9]|[1-5][0-9]|60)$/, 'must be a whole number of seconds from 1 to 60')
    .optional()
    .openapi({ description: 'With `after`: seconds to wait for a change before answering 204 (default 30)' }),
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/payments/{id}',
  operationId: 'getPayment',
  summary: 'Read a payment: status, attempt, Dfns ids, txHash, reason and timeline',
  security: [{ bearerAuth: [] }],
  middleware: [requireScope('payments:read')] as const,
  description:
    'With `after`, a long-poll: answers as soon as the payment changes past that version (at once if it already has, ' +
    'or is final), or 204 after `wait` seconds without a change. Following a payment this way costs one Temporal ' +
    'action per change, shared by every follower, instead of a read per poll.',
  request: { params: paymentIdParam, query: waitQuery },
  responses: {
    200: { description: 'The payment', content: { 'application/json': { schema: paymentViewSchema } } },
    204: { description: 'No change within `wait` seconds (only with `after`)' },
    400: problemResponse('A bad `after` or `wait`; `errors` names it'),
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
      .optional()
      .openapi({ description: "One of the client's wallets, or of its pools; any other is refused (400)" }),
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
    400: problemResponse(
      "A bad filter or cursor, or a `wallet` that is not one of the client's (nor of its pools); `errors` names it",
    ),
    ...authProblems,
  },
});

/** How long a long-poll waits for a change when the caller names no `wait`. */
const DEFAULT_WAIT_SECONDS = 30;

/**
 * `GET /v1/payments/{id}` (a long-poll with `after`) and `GET /v1/payments`, whose `wallet` filter takes only the
 * client's wallets and its pools' wallets: any other answers as a wallet it may not pay from does on a payment.
 */
export function registerReadPayments(app: OpenAPIHono<ApiEnv>, backend: PaymentsBackend, payers: PayerCheckDeps): void {
  app.openapi(getRoute, async (c) => {
    const clientId = c.get('principal').clientId;
    const { id } = c.req.valid('param');
    const { after, wait } = c.req.valid('query');
    if (!isClientPaymentId(id, clientId)) throw new ApiError(404, 'payment_not_found', 'no such payment');
    const waitMs = (wait ? Number(wait) : DEFAULT_WAIT_SECONDS) * 1_000;
    const state = after === undefined ? await backend.get(id) : await backend.waitForChange(id, Number(after), waitMs);
    if (state === 'unchanged') return c.body(null, 204);
    if (!state || state.clientId !== clientId) throw new ApiError(404, 'payment_not_found', 'no such payment');
    return c.json(toPaymentView(state, clientId), 200);
  });

  app.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const clientId = c.get('principal').clientId;
    if (query.wallet && !visibleWallets(payers.clients.of(clientId), payers.pools).has(query.wallet)) {
      throw new ApiError(400, 'invalid_request', 'the request is invalid', [
        { field: 'wallet', message: NOT_A_WALLET_OF_THIS_CLIENT },
      ]);
    }
    try {
      const page = await backend.list({
        clientId,
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
