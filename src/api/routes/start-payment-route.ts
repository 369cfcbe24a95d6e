import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { PayerCheckDeps } from '../../clients/payer-check';
import { requestPayerProblems } from '../../clients/payer-problems';
import { callbackUrlProblem, type CallbackPolicy } from '../../callbacks/callback-url-policy';
import type { FieldError } from '../../contracts/field-errors';
import { idempotencyKeySchema, paymentBodySchema } from '../../contracts/payment-request';
import { requireScope, type ApiEnv } from '../api-key-auth';
import { toPaymentView, paymentViewSchema } from '../payment-view';
import type { PaymentsBackend } from '../payments-backend';
import { ApiError } from '../../bridge/http-error';
import { problemResponse } from '../problem';
import { authProblems } from './route-responses';

/** OpenAPI links from a started payment to what can be done with it (clients and stateful testers follow them). */
const PAYMENT_LINKS = Object.fromEntries(
  ['getPayment', 'cancelPayment', 'retryPayment', 'speedUpPayment'].map((operationId) => [
    operationId,
    { operationId, parameters: { id: '$response.body#/paymentId' } },
  ]),
);

const route = createRoute({
  method: 'post',
  path: '/v1/payments',
  operationId: 'startPayment',
  summary: 'Start a payment (idempotent on Idempotency-Key)',
  description:
    'The Idempotency-Key, scoped to the calling client, is the payment: the same key with the same body returns the ' +
    'same payment (201 the first time, 200 after); the same key with a different body is refused with 422.',
  security: [{ bearerAuth: [] }],
  middleware: [requireScope('payments:write')] as const,
  request: {
    headers: z.object({
      // `.meta`, not `.openapi`: the shared schema may be created before @hono/zod-openapi extends zod.
      'idempotency-key': idempotencyKeySchema.meta({
        description: 'Letters, digits, ".", "_" and "-"; 1 to 100 characters. Reuse it to retry safely.',
        example: 'payout-2026-11-30-0001',
      }),
    }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: paymentBodySchema.meta({
            id: 'PaymentRequest',
            // A request the API accepts as it is (the wallet must be one of the caller's).
            example: {
              walletId: 'wa-acme-1',
              network: 'BaseSepolia',
              asset: { kind: 'Native' },
              to: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
              amount: '1500000',
              reference: 'payout 2026-11-30-0001',
            },
          }),
        },
      },
    },
  },
  responses: {
    201: {
      description: 'Started',
      content: { 'application/json': { schema: paymentViewSchema } },
      links: PAYMENT_LINKS,
    },
    200: {
      description: 'Already started with this key and this body',
      content: { 'application/json': { schema: paymentViewSchema } },
      links: PAYMENT_LINKS,
    },
    400: problemResponse(
      'Invalid body or Idempotency-Key, a `walletId` or `pool` this client may not pay from (the same answer whether ' +
        'it exists for another client or not at all), one of its pools that pays another network or asset, or a ' +
        "`callbackUrl` callbacks may not reach (not https, not public, not one of the client's callback hosts); " +
        '`errors` names each bad field',
    ),
    ...authProblems,
    413: problemResponse('Body too large'),
    415: problemResponse('Body is not application/json'),
    422: problemResponse('The Idempotency-Key already names a payment with a different body'),
  },
});

/** `POST /v1/payments`: a payment from a wallet or pool bound to the calling client, or a 400 naming the field. */
export function registerStartPayment(
  app: OpenAPIHono<ApiEnv>,
  backend: PaymentsBackend,
  payers: PayerCheckDeps,
  callbacks: CallbackPolicy,
): void {
  app.openapi(route, async (c) => {
    const clientId = c.get('principal').clientId;
    const key = c.req.valid('header')['idempotency-key'];
    const body = c.req.valid('json');
    const problems: FieldError[] = requestPayerProblems(body, payers.clients.of(clientId), payers.pools);
    const callbackProblem = body.callbackUrl && callbackUrlProblem(body.callbackUrl, callbacks, clientId);
    if (callbackProblem) problems.push({ field: 'callbackUrl', message: callbackProblem });
    if (problems.length > 0) throw new ApiError(400, 'invalid_request', 'the request is invalid', problems);
    const result = await backend.start(clientId, key, body);
    if (result.kind === 'conflict') {
      throw new ApiError(
        422,
        'idempotency_key_reused',
        `Idempotency-Key "${key}" was already used with a different body`,
        [{ field: 'Idempotency-Key', message: 'already used with a different body' }],
      );
    }
    const view = toPaymentView(result.state, clientId);
    if (result.kind === 'started') c.header('Location', `/v1/payments/${encodeURIComponent(view.paymentId)}`);
    return c.json(view, result.kind === 'started' ? 201 : 200);
  });
}
