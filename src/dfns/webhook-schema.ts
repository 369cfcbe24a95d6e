import { z } from 'zod';
import type { TransferUpdate } from '../contracts/transfer-update';
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
const approvalData = z.looseObject({
  approval: z.looseObject({
    id: z.string().min(1),
    activity: z.looseObject({ transferRequest: dfnsTransferSchema.optional() }),
  }),
});

/** Event kinds that carry a transfer the orchestrator follows. */
const TRANSFER_KINDS = new Set([
  'wallet.transfer.requested',
  'wallet.transfer.broadcasted',
  'wallet.transfer.confirmed',
  'wallet.transfer.failed',
  'wallet.transfer.rejected',
]);

/** What a verified delivery means to the orchestrator. */
export type WebhookMeaning =
  | { kind: 'update'; update: TransferUpdate }
  | { kind: 'ignored'; why: string }
  | { kind: 'malformed'; issues: { field: string; message: string }[] };

function malformed(error: z.ZodError, prefix: string): WebhookMeaning {
  return {
    kind: 'malformed',
    issues: error.issues.map((issue) => ({ field: [prefix, ...issue.path].join('.'), message: issue.message })),
  };
}

/** Maps a parsed envelope to a transfer update, or says why it is ignored or malformed. */
export function interpretWebhook(envelope: DfnsWebhookEnvelope): WebhookMeaning {
  const origin = { source: 'webhook' as const, eventKind: envelope.kind, eventTime: envelope.date, deliveryId: envelope.id };
  if (TRANSFER_KINDS.has(envelope.kind)) {
    const data = transferData.safeParse(envelope.data);
    if (!data.success) return malformed(data.error, 'data');
    const update = toTransferUpdate(data.data.transferRequest, origin);
    return update ? { kind: 'update', update } : { kind: 'ignored', why: 'transfer has no externalId' };
  }
  if (envelope.kind === 'policy.approval.pending') {
    const data = approvalData.safeParse(envelope.data);
    if (!data.success) return malformed(data.error, 'data');
    const transfer = data.data.approval.activity.transferRequest;
    if (!transfer) return { kind: 'ignored', why: 'approval is not for a transfer' };
    const update = toTransferUpdate({ ...transfer, approvalId: transfer.approvalId ?? data.data.approval.id }, origin);
    return update ? { kind: 'update', update } : { kind: 'ignored', why: 'transfer has no externalId' };
  }
  return { kind: 'ignored', why: `event kind ${envelope.kind} is not used` };
}
