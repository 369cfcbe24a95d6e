import { z } from 'zod';
import { TRANSFER_SOURCES, TRANSFER_STATES } from './payment-update-fields';

export { TRANSFER_STATES } from './payment-update-fields';

/**
 * A provider-neutral fact about one transfer: what the bridge signals, and what submit and poll activities return.
 * The Dfns adapter builds it; the workflow never sees a Dfns-shaped object.
 */
export const transferUpdateSchema = z.object({
  /** Tells a transfer fact from an approval fact when both travel as one PaymentUpdate. */
  kind: z.literal('transfer'),
  source: z.enum(TRANSFER_SOURCES),
  externalId: z.string().min(1),
  transferId: z.string().min(1),
  status: z.enum(TRANSFER_STATES),
  approvalId: z.string().optional(),
  txHash: z.string().optional(),
  fee: z.string().optional(),
  reason: z.string().optional(),
  /** What produced it, e.g. "wallet.transfer.confirmed" or "getTransfer". */
  eventKind: z.string().min(1),
  /** When the provider says it happened (ISO 8601). */
  eventTime: z.string().min(1),
  /** The webhook delivery id, for tracing one delivery through the timeline. */
  deliveryId: z.string().optional(),
});

export type TransferUpdate = z.infer<typeof transferUpdateSchema>;
export type TransferState = (typeof TRANSFER_STATES)[number];
