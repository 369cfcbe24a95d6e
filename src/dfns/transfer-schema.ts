import { z } from 'zod';
import type { TransferState, TransferUpdate } from '../contracts/transfer-update';

/**
 * The fields of a Dfns TransferRequest object (https://docs.dfns.co/api-reference/transfer) that the orchestrator
 * reads; the rest pass through.
 */
export const dfnsTransferSchema = z.looseObject({
  id: z.string().min(1),
  walletId: z.string().min(1),
  network: z.string().optional(),
  status: z.enum(['Pending', 'Executing', 'Broadcasted', 'Confirmed', 'Failed', 'Rejected']),
  externalId: z.string().optional(),
  approvalId: z.string().optional(),
  txHash: z.string().optional(),
  fee: z.string().optional(),
  reason: z.string().optional(),
  dateRequested: z.string().optional(),
  datePolicyResolved: z.string().optional(),
  dateBroadcasted: z.string().optional(),
  dateConfirmed: z.string().optional(),
  requestBody: z
    .looseObject({
      externalId: z.string().optional(),
      kind: z.string().optional(),
      to: z.string().optional(),
      amount: z.string().optional(),
      contract: z.string().optional(),
    })
    .optional(),
  // What Dfns knows of the asset, so that minimum units can be shown as a decimal amount.
  metadata: z
    .looseObject({
      asset: z
        .looseObject({ symbol: z.string().optional(), decimals: z.number().int().min(0).max(77).optional() })
        .optional(),
    })
    .optional(),
});

export type DfnsTransfer = z.infer<typeof dfnsTransferSchema>;

/** Maps a Dfns status to the orchestrator's: Pending means awaiting approval only when Dfns names an approval. */
export function toTransferState(transfer: DfnsTransfer): TransferState {
  if (transfer.status === 'Pending') return transfer.approvalId ? 'AwaitingApproval' : 'Submitted';
  return transfer.status;
}

/** The latest date Dfns put on the transfer, i.e. when its current status began. */
function statusDate(transfer: DfnsTransfer): string | undefined {
  return transfer.dateConfirmed ?? transfer.dateBroadcasted ?? transfer.datePolicyResolved ?? transfer.dateRequested;
}

/** Turns a Dfns transfer snapshot into the provider-neutral update the workflow consumes. */
export function toTransferUpdate(
  transfer: DfnsTransfer,
  origin: { source: TransferUpdate['source']; eventKind: string; eventTime?: string; deliveryId?: string },
): TransferUpdate | undefined {
  const externalId = transfer.externalId ?? transfer.requestBody?.externalId;
  if (!externalId) return undefined;
  const update: TransferUpdate = {
    kind: 'transfer',
    source: origin.source,
    externalId,
    transferId: transfer.id,
    status: toTransferState(transfer),
    eventKind: origin.eventKind,
    eventTime: origin.eventTime ?? statusDate(transfer) ?? new Date(0).toISOString(),
  };
  if (transfer.approvalId) update.approvalId = transfer.approvalId;
  if (transfer.txHash) update.txHash = transfer.txHash;
  if (transfer.fee) update.fee = transfer.fee;
  if (transfer.reason) update.reason = transfer.reason;
  if (origin.deliveryId) update.deliveryId = origin.deliveryId;
  return update;
}
