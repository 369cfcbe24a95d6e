import { z } from 'zod';
import { toFieldErrors, type FieldError } from '../contracts/field-errors';
import type { PaymentUpdate } from '../contracts/payment-update';
import { dfnsApprovalSchema, toApprovalUpdate } from './approval-schema';
import { dfnsPolicyEvaluationSchema, toPolicyUpdate } from './policy-triggered-schema';
import { dfnsTransferSchema, toTransferUpdate } from './transfer-schema';

/**
 * The envelope Dfns delivers every webhook event in (https://docs.dfns.co/api-reference/webhooks). `id` is new on
 * every delivery attempt; `timestampSent` (unix seconds) is what the bridge's replay window checks.
 */
export const dfnsWebhookEnvelopeSchema = z.looseObject({
  id: z.string().min(1),
  kind: z.string().min(1),
  date: z.string().min(1),
  data: z.looseObject({}),
  timestampSent: z.number(),
  deliveryAttempt: z.number().int().min(1).optional(),
  retryOf: z.string().optional(),
});

export type DfnsWebhookEnvelope = z.infer<typeof dfnsWebhookEnvelopeSchema>;

const transferData = z.looseObject({ transferRequest: dfnsTransferSchema });
const approvalData = z.looseObject({ approval: dfnsApprovalSchema });
const policyTriggeredData = z.looseObject({ policyEvaluation: dfnsPolicyEvaluationSchema });

/** Event kinds that carry a transfer the orchestrator follows. */
const TRANSFER_KINDS = new Set([
  'wallet.transfer.requested',
  'wallet.transfer.broadcasted',
  'wallet.transfer.confirmed',
  'wallet.transfer.failed',
  'wallet.transfer.rejected',
]);

/** Event kinds that carry an approval. */
const APPROVAL_KINDS = new Set(['policy.approval.pending', 'policy.approval.resolved']);

/** Which Dfns id to find the payment by, when the event carries no externalId of ours. */
export interface PaymentLookup {
  transferId?: string;
  approvalId?: string;
}

/** What a verified delivery means to the orchestrator. */
export type WebhookMeaning =
  | { kind: 'update'; update: PaymentUpdate; externalId?: string; lookup: PaymentLookup }
  | { kind: 'ignored'; why: string }
  | { kind: 'malformed'; issues: FieldError[] };

const malformed = (error: z.ZodError): WebhookMeaning => ({
  kind: 'malformed',
  issues: toFieldErrors(error, { root: 'data', prefix: ['data'] }),
});

/** Maps a parsed envelope to one provider-neutral payment update, or says why it is ignored or malformed. */
export function interpretWebhook(envelope: DfnsWebhookEnvelope): WebhookMeaning {
  const origin = {
    source: 'webhook' as const,
    eventKind: envelope.kind,
    eventTime: envelope.date,
    deliveryId: envelope.id,
  };
  if (TRANSFER_KINDS.has(envelope.kind)) {
    const data = transferData.safeParse(envelope.data);
    if (!data.success) return malformed(data.error);
    const update = toTransferUpdate(data.data.transferRequest, origin);
    if (!update) return { kind: 'ignored', why: 'transfer has no externalId' };
    // A transfer Dfns accepted with no approval to wait for: the submission's own answer (retried with the same
    // externalId until it comes) tells the payment exactly this, so a signal would cost a Temporal action and
    // change nothing. A requested event that asks for an approval is delivered: it may come before that answer.
    if (envelope.kind === 'wallet.transfer.requested' && update.status === 'Submitted') {
      return { kind: 'ignored', why: 'a requested transfer: the submission answers it' };
    }
    return { kind: 'update', update, externalId: update.externalId, lookup: { transferId: update.transferId } };
  }
  if (APPROVAL_KINDS.has(envelope.kind)) {
    // Dfns documents two shapes for policy.approval.resolved; without the approval object, polling reconciles.
    if (!('approval' in envelope.data)) return { kind: 'ignored', why: `${envelope.kind} without an approval object` };
    const data = approvalData.safeParse(envelope.data);
    if (!data.success) return malformed(data.error);
    const activityKind = data.data.approval.activity?.kind;
    if (activityKind && activityKind !== 'Wallets:Sign') {
      return { kind: 'ignored', why: `approval for ${activityKind}` };
    }
    const update = toApprovalUpdate(data.data.approval, origin);
    return { kind: 'update', update, externalId: update.externalId, lookup: { approvalId: update.approvalId } };
  }
  if (envelope.kind === 'policy.triggered') {
    // Which policy judged the transfer and what it found (KYT screening, the Travel Rule): only neutral fields pass.
    const data = policyTriggeredData.safeParse(envelope.data);
    if (!data.success) return malformed(data.error);
    const update = toPolicyUpdate(data.data.policyEvaluation, origin);
    if ('ignored' in update) return { kind: 'ignored', why: update.ignored };
    return { kind: 'update', update, externalId: update.externalId, lookup: { transferId: update.transferId } };
  }
  return { kind: 'ignored', why: `event kind ${envelope.kind} is not used` };
}
