import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { isClientPaymentId } from '../../contracts/payment-id';
import { idempotencyKeySchema } from '../../contracts/payment-request';
import { requireScope, type ApiEnv } from '../api-key-auth';
import { operatorAcceptedSchema, operatorResultSchema } from '../payment-view';
import type { OperatorAction, PaymentsBackend } from '../payments-backend';
import { ApiError } from '../../bridge/http-error';
import { problemResponse } from '../problem';
import { paymentIdParam } from './read-payment-routes';
import { authProblems, notFoundProblem } from './route-responses';

const reason = z.string().min(1).max(500);

const ACTIONS: { action: OperatorAction; operationId: string; summary: string; reasonRequired: boolean }[] = [
  {
    action: 'cancel',
    operationId: 'cancelPayment',
    summary: 'Cancel a payment that has not been broadcast',
    reasonRequired: true,
  },
  {
    action: 'retry',
    operationId: 'retryPayment',
    summary: 'Retry a failed attempt that put nothing on chain',
    reasonRequired: false,
  },
  {
    action: 'speed-up',
    operationId: 'speedUpPayment',
    summary: 'Rebroadcast a broadcast transfer with a higher fee',
    reasonRequired: false,
  },
];

/**
 * `POST /v1/payments/{id}/cancel|retry|speed-up`: the workflow's Updates; a validator's refusal is a 409, an action
 * accepted but not done within the call a 202.
 */
export function registerOperatorActions(app: OpenAPIHono<ApiEnv>, backend: PaymentsBackend): void {
  for (const { action, operationId, summary, reasonRequired } of ACTIONS) {
    const body = z
      .object({ reason: reasonRequired ? reason : reason.optional() })
      .strict()
      .openapi(`${operationId.replace(/^./, (c) => c.toUpperCase())}Request`);
    const route = createRoute({
      method: 'post',
      path: `/v1/payments/{id}/${action}`,
      operationId,
      summary,
      security: [{ bearerAuth: [] }],
      middleware: [requireScope('payments:operate')] as const,
      request: {
        params: paymentIdParam,
        headers: z.object({
          'idempotency-key': idempotencyKeySchema.optional().meta({
            description:
              'Optional. The same key for the same action on the same payment is the same action: sent again, it ' +
              'answers with that action (its outcome, or 202 while it is still at work) instead of asking again. ' +
              'Letters, digits, ".", "_" and "-"; 1 to 100 characters.',
            example: 'speed-up-2026-12-05-0001',
          }),
        }),
        // A body is needed only where the reason is: retry and speed-up may be sent with none.
        body: { required: reasonRequired, content: { 'application/json': { schema: body } } },
      },
      responses: {
        200: { description: 'Done', content: { 'application/json': { schema: operatorResultSchema } } },
        202: {
          description:
            'Accepted by the payment and still at work when the call answered (an action waiting its turn in the ' +
            "Dfns request budget): it goes on, and the payment's timeline records its outcome. Sent again with the " +
            'same Idempotency-Key, it answers for the same action; without one, it asks for the action again.',
          content: { 'application/json': { schema: operatorAcceptedSchema } },
        },
        400: problemResponse('Invalid body; `errors` names each bad field'),
        ...notFoundProblem,
        409: problemResponse("The payment's state does not allow this action; `detail` says why"),
        ...authProblems,
        413: problemResponse('Body too large'),
        415: problemResponse('Body is not application/json'),
      },
    });
    app.openapi(route, async (c) => {
      const { clientId, keyId } = c.get('principal');
      const { id } = c.req.valid('param');
      if (!isClientPaymentId(id, clientId)) throw new ApiError(404, 'payment_not_found', 'no such payment');
      const { reason: why } = c.req.valid('json') ?? {};
      const key = c.req.valid('header')['idempotency-key'];
      const outcome = await backend.act(
        id,
        action,
        { operator: `${clientId}/${keyId}`, ...(why ? { reason: why } : {}) },
        key,
      );
      if (outcome.kind === 'not-found') throw new ApiError(404, 'payment_not_found', 'no such payment');
      if (outcome.kind === 'refused') throw new ApiError(409, 'action_refused', outcome.reason);
      if (outcome.kind === 'accepted') {
        const message = `accepted; the ${action} is still at work (waiting its turn in the Dfns request budget), and the payment's timeline records its outcome`;
        return c.json({ paymentId: id, message }, 202);
      }
      return c.json({ paymentId: id, ...outcome.result }, 200);
    });
  }
}
