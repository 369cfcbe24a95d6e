import { z } from 'zod';
import { StoredTransferBodySchema } from './transfer-body';

/** Status, outcome and dates: the part of a request's lifecycle transfers and transactions share. */
const lifecycleFields = {
  status: z.enum(['Pending', 'Executing', 'Broadcasted', 'Confirmed', 'Failed', 'Rejected']),
  reason: z.string().optional(),
  txHash: z.string().optional(),
  fee: z.string().optional(),
  dateRequested: z.string(),
  datePolicyResolved: z.string().optional(),
  dateBroadcasted: z.string().optional(),
  dateConfirmed: z.string().optional(),
};

/** The TransferRequest object of reference §2.3, exactly as the API returns it. */
export const TransferRequestSchema = z.object({
  id: z.string(),
  walletId: z.string(),
  network: z.string(),
  requester: z.object({ userId: z.string(), tokenId: z.string().optional() }),
  requestBody: StoredTransferBodySchema,
  metadata: z.object({
    asset: z.object({
      symbol: z.string().optional(),
      decimals: z.number().optional(),
      verified: z.boolean().optional(),
      quotes: z.record(z.string(), z.number()).optional(),
    }),
  }),
  ...lifecycleFields,
  approvalId: z.string().optional(),
  externalId: z.string().optional(),
  /** 0.8.21 field: the `tx-…` id of the 0-value cancel replacement. */
  replacementId: z.string().optional(),
});

/** A transfer plus its simulated-chain schedule and the chain facts the API does not show. */
export const TransferRecordSchema = z.object({
  transfer: TransferRequestSchema,
  /** Epoch ms of the next simulated chain step; null once terminal, stalled or waiting on a person. */
  nextStepAt: z.number().nullable(),
  /** Set at broadcast by `POST /_sandbox/faults/chain`: revert at confirmation time, or never confirm. */
  chainFault: z.object({ mode: z.enum(['fail-on-chain', 'stall']), reason: z.string().optional() }).optional(),
  /** EVM nonce used at broadcast (a cancel replacement reuses it). */
  nonce: z.number().int().optional(),
});

/** The TransactionRequest a cancel returns: a 0-value transaction to self reusing the nonce. */
export const TransactionRequestSchema = z.object({
  id: z.string(),
  walletId: z.string(),
  network: z.string(),
  requester: z.object({ userId: z.string(), tokenId: z.string().optional() }),
  requestBody: z.object({
    kind: z.literal('Transaction'),
    transaction: z.object({ to: z.string(), value: z.literal('0'), nonce: z.number().int() }),
  }),
  ...lifecycleFields,
});

/** A TransferRequest as returned by the API. */
export type TransferRequest = z.infer<typeof TransferRequestSchema>;
/** A transfer plus its simulated-chain schedule. */
export type TransferRecord = z.infer<typeof TransferRecordSchema>;
/** A cancel replacement transaction. */
export type TransactionRequest = z.infer<typeof TransactionRequestSchema>;
