import { z } from 'zod';

/**
 * The fields of a Dfns TransactionRequest (https://docs.dfns.co/api-reference/transactions) the orchestrator reads:
 * a cancel or speed-up broadcasts one as the transfer's replacement.
 */
export const dfnsTransactionSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  txHash: z.string().optional(),
  fee: z.string().optional(),
});

/** A replacement transaction in the project's own words. */
export interface Replacement {
  id: string;
  status: string;
  txHash?: string;
}

export function toReplacement(transaction: z.infer<typeof dfnsTransactionSchema>): Replacement {
  const replacement: Replacement = { id: transaction.id, status: transaction.status };
  if (transaction.txHash) replacement.txHash = transaction.txHash;
  return replacement;
}

/** The `replacementId` a transfer names after a cancel or speed-up (@dfns/sdk 0.8.21), if any. */
export function replacementIdOf(transfer: unknown): string | undefined {
  const parsed = z.looseObject({ replacementId: z.string().min(1) }).safeParse(transfer);
  return parsed.success ? parsed.data.replacementId : undefined;
}
