import { z } from '@hono/zod-openapi';
import { APPROVAL_STATES } from '../contracts/approval-update';
import { paymentBodySchema } from '../contracts/payment-request';
import { paymentVersion } from '../contracts/payment-messages';
import type { PaymentState } from '../contracts/payment-state';
import { PAYMENT_STATUSES } from '../contracts/payment-status';

const statusSchema = z.enum(PAYMENT_STATUSES);
const time = z.string().openapi({ format: 'date-time' });

const timelineEntrySchema = z.object({
  at: time,
  source: z.enum(['workflow', 'submit', 'webhook', 'poll', 'operator']),
  event: z.string(),
  status: statusSchema.optional(),
  applied: z.boolean(),
  note: z.string().optional(),
  deliveryId: z.string().optional(),
  eventTime: z.string().optional(),
});

/** A payment as the API shows it: the request, where it is, the Dfns ids, and everything that happened to it. */
export const paymentViewSchema = z
  .object({
    paymentId: z.string(),
    clientId: z.string(),
    idempotencyKey: z.string(),
    request: paymentBodySchema,
    status: statusSchema,
    attempt: z.number().int(),
    externalId: z.string(),
    transferId: z.string().optional(),
    approvalId: z.string().optional(),
    approval: z
      .object({
        id: z.string(),
        status: z.enum(APPROVAL_STATES),
        expirationDate: z.string().optional(),
        reason: z.string().optional(),
        decidedBy: z.string().optional(),
      })
      .optional(),
    txHash: z.string().optional(),
    fee: z.string().optional(),
    reason: z.string().optional(),
    failureType: z.string().optional(),
    stuck: z.boolean(),
    needsAttention: z.boolean(),
    statusSince: time,
    createdAt: time,
    updatedAt: time,
    /** The wallet paying: the request's `walletId`, or the wallet its pool chose (absent until the pool chose one). */
    wallet: z.string().optional(),
    /** While no wallet of the payment's pool can pay it: since when, and when it stops waiting and fails. */
    waitingForFunds: z.object({ since: time, until: time }).optional(),
    previousAttempts: z.array(
      z.object({
        attempt: z.number().int(),
        externalId: z.string(),
        walletId: z.string().optional(),
        transferId: z.string().optional(),
        reason: z.string().optional(),
      }),
    ),
    timeline: z.array(timelineEntrySchema),
    version: z.number().int().openapi({
      description:
        'Grows with every timeline entry ever recorded (summarised ones included): pass it as `after` to wait for the next change',
    }),
    traceId: z
      .string()
      .optional()
      .openapi({ description: 'The OpenTelemetry trace of the payment, when tracing was on as it started' }),
    /** Older routine entries a long-lived payment no longer keeps in full. */
    timelineSummary: z
      .object({ omitted: z.number().int(), events: z.record(z.string(), z.number().int()), from: time, to: time })
      .optional(),
  })
  .openapi('Payment');

export type PaymentView = z.infer<typeof paymentViewSchema>;

/** The API's view of a payment's state; the idempotency key moves out of the request, as the caller sent it. */
export function toPaymentView(state: PaymentState, clientId: string): PaymentView {
  const { idempotencyKey, ...request } = state.request;
  const {
    request: _request,
    clientId: _client,
    wallet,
    walletFeeSponsorId: _sponsor,
    dryWallets: _dry,
    ...rest
  } = state;
  const paying = wallet ?? request.walletId;
  return {
    ...rest,
    clientId,
    idempotencyKey,
    request,
    version: paymentVersion(state),
    ...(paying ? { wallet: paying } : {}),
  };
}

/** One row of a listing, from Temporal visibility (eventually consistent: a new payment shows within a second). */
export const paymentListItemSchema = z
  .object({
    paymentId: z.string(),
    status: statusSchema.optional(),
    walletId: z.string().optional(),
    network: z.string().optional(),
    asset: z.string().optional(),
    stuck: z.boolean().optional(),
    running: z.boolean(),
    createdAt: time,
    closedAt: time.optional(),
  })
  .openapi('PaymentListItem');

export type PaymentListItem = z.infer<typeof paymentListItemSchema>;

/** A page of payments, newest first; `nextCursor` fetches the next page, absent on the last one. */
export const paymentPageSchema = z
  .object({ items: z.array(paymentListItemSchema), nextCursor: z.string().optional() })
  .openapi('PaymentPage');

export type PaymentPage = z.infer<typeof paymentPageSchema>;

/** What an operator action did. */
export const operatorResultSchema = z
  .object({ paymentId: z.string(), status: statusSchema, message: z.string() })
  .openapi('OperatorResult');
