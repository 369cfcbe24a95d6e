import { z } from 'zod';
import type { PaymentMessage } from '../temporal/payment-signaler';
import { dfnsApprovalSchema, toApprovalUpdate } from './approval-schema';
import { dfnsTransferSchema, toTransferUpdate } from './transfer-schema';

/** The delivered webhook envelope (reference §5.3). */
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

/** What a verified delivery means to the orchestrator; `lookup` names the Dfns id to find the payment by. */
export type WebhookMeaning =
  | { kind: 'message'; message: PaymentMessage; externalId?: string; lookup: { transferId?: string; approvalId?: string } }
  | { kind: 'ignored'; why: string }
  | { kind: 'malformed'; issues: { field: string; message: string }[] };

function malformed(error: z.ZodError, prefix: string): WebhookMeaning {
  return {
    kind: 'malformed',
    issues: error.issues.map((issue) => ({ field: [prefix, ...issue.path].join('.'), message: issue.message })),
  };
}

/** Maps a parsed envelope to a payment message, or says why it is ignored or malformed. */
export function interpretWebhook(envelope: DfnsWebhookEnvelope): WebhookMeaning {
  const origin = { source: 'webhook' as const, eventKind: envelope.kind, eventTime: envelope.date, deliveryId: envelope.id };
  if (TRANSFER_KINDS.has(envelope.kind)) {
    const data = transferData.safeParse(envelope.data);
    if (!data.success) return malformed(data.error, 'data');
    const update = toTransferUpdate(data.data.transferRequest, origin);
    if (!update) return { kind: 'ignored', why: 'transfer has no externalId' };
    return { kind: 'message', message: { kind: 'transfer', update }, externalId: update.externalId, lookup: { transferId: update.transferId } };
  }
  if (APPROVAL_KINDS.has(envelope.kind)) {
    // Dfns documents two shapes for policy.approval.resolved; without the approval object, polling reconciles.
    if (!('approval' in envelope.data)) return { kind: 'ignored', why: `${envelope.kind} without an approval object` };
    const data = approvalData.safeParse(envelope.data);
    if (!data.success) return malformed(data.error, 'data');
    if (data.data.approval.activity?.kind && data.data.approval.activity.kind !== 'Wallets:Sign') {
      return { kind: 'ignored', why: `approval for ${data.data.approval.activity.kind}` };
    }
    const update = toApprovalUpdate(data.data.approval, origin);
    return { kind: 'message', message: { kind: 'approval', update }, externalId: update.externalId, lookup: { approvalId: update.approvalId } };
  }
  return { kind: 'ignored', why: `event kind ${envelope.kind} is not used` };
}
