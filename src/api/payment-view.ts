import { z } from '@hono/zod-openapi';
import { APPROVAL_STATES } from '../contracts/approval-update';
import { paymentRequestViewSchema } from '../contracts/payment-request';
import { paymentVersion } from '../contracts/payment-messages';
import type { PaymentState } from '../contracts/payment-state';
import { PAYMENT_STATUSES } from '../contracts/payment-status';
import { ALERT_LEVELS } from '../contracts/policy-update';
import { POLICY_CHECKS, POLICY_OUTCOMES } from '../contracts/payment-update-fields';
import { complianceReviews } from '../contracts/policy-triggers';

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

const decisionSchema = z.object({
  userId: z.string(),
  value: z.enum(['Approved', 'Denied']),
  date: time,
  reason: z.string().optional(),
});

const approvalSchema = z.object({
  id: z.string(),
  status: z.enum(APPROVAL_STATES),
  expirationDate: z.string().optional(),
  reason: z.string().optional(),
  decidedBy: z.string().optional(),
  decisions: z.array(decisionSchema).optional(),
});

/** A policy of the org that triggered on one of the payment's transfers. */
const policyTriggerSchema = z.object({
  attempt: z.number().int(),
  check: z.enum(POLICY_CHECKS).openapi({ description: 'screening (KYT), travelRule, or policy (any other rule)' }),
  outcome: z.enum(POLICY_OUTCOMES),
  policyId: z.string().optional(),
  policyName: z.string().optional(),
  alertLevel: z.enum(ALERT_LEVELS).optional(),
  category: z.string().optional(),
  exposure: z.enum(['direct', 'indirect']).optional(),
  reason: z.string().optional(),
  at: z.string(),
});

/** The payment's compliance decisions, for audit: what screening found, who approved, whether Travel Rule data went. */
const complianceSchema = z
  .object({
    /** Every policy that triggered on the payment's transfers, KYT screening and the Travel Rule included. */
    checks: z.array(policyTriggerSchema),
    /** While the payment awaits approval because screening or the Travel Rule asked for the compliance group's. */
    awaitingCompliance: z.boolean(),
    /** Each approval that held an attempt, with every approver's decision: who, what and when. */
    approvals: z.array(approvalSchema.extend({ attempt: z.number().int() })),
    travelRule: z.object({
      /** Whether Travel Rule data was sent to Dfns with the transfer (its contents are never shown back). */
      sent: z.boolean(),
      provider: z.literal('Notabene').optional(),
    }),
  })
  .openapi('PaymentCompliance');

/** A payment as the API shows it: the request, where it is, the Dfns ids, and everything that happened to it. */
export const paymentViewSchema = z
  .object({
    paymentId: z.string(),
    clientId: z.string(),
    idempotencyKey: z.string(),
    request: paymentRequestViewSchema,
    status: statusSchema,
    attempt: z.number().int(),
    externalId: z.string(),
    transferId: z.string().optional(),
    approvalId: z.string().optional(),
    approval: approvalSchema.optional(),
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
    compliance: complianceSchema,
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
  // The Travel Rule payload holds personal data: the view says only that it was sent.
  const { idempotencyKey, travelRule, ...request } = state.request;
  const {
    request: _request,
    clientId: _client,
    wallet,
    walletFeeSponsorId: _sponsor,
    dryWallets: _dry,
    policyTriggers,
    ...rest
  } = state;
  const paying = wallet ?? request.walletId;
  const previousAttempts = state.previousAttempts.map(({ approval: _approval, ...attempt }) => attempt);
  return {
    ...rest,
    previousAttempts,
    clientId,
    idempotencyKey,
    request,
    compliance: complianceOf(state, policyTriggers ?? [], travelRule !== undefined),
    version: paymentVersion(state),
    ...(paying ? { wallet: paying } : {}),
  };
}

/** The compliance part of the view: every check, every approval with its decisions, and the Travel Rule flag. */
function complianceOf(
  state: PaymentState,
  triggers: NonNullable<PaymentState['policyTriggers']>,
  travelRuleSent: boolean,
): PaymentView['compliance'] {
  const approvals = [
    ...state.previousAttempts.flatMap((previous) =>
      previous.approval ? [{ attempt: previous.attempt, ...previous.approval }] : [],
    ),
    ...(state.approval ? [{ attempt: state.attempt, ...state.approval }] : []),
  ];
  return {
    checks: triggers.map(({ externalId: _externalId, evaluationId: _evaluationId, ...trigger }) => trigger),
    awaitingCompliance: state.status === 'AwaitingApproval' && complianceReviews(state).length > 0,
    approvals,
    travelRule: travelRuleSent ? { sent: true, provider: 'Notabene' } : { sent: false },
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

/** An operator action the payment accepted that was still at work when the call answered. */
export const operatorAcceptedSchema = z
  .object({ paymentId: z.string(), message: z.string() })
  .openapi('OperatorActionAccepted');
