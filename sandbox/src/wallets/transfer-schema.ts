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

/** The TransferRequest object (https://docs.dfns.co/api-reference/transfer), exactly as the API returns it. */
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
  /** 0.8.21 field: the `tx-…` id of the replacement transaction a cancel or speed-up issued for this transfer. */
  replacementId: z.string().optional(),
});

/** A transfer plus its simulated-chain schedule and the chain facts the API does not show. */
export const TransferRecordSchema = z.object({
  transfer: TransferRequestSchema,
  /** Epoch ms of the next simulated chain step; null once terminal, stalled or waiting on a person. */
  nextStepAt: z.number().nullable(),
  /** Set at broadcast by `POST /_sandbox/faults/chain`: revert at confirmation time, or never confirm. */
  chainFault: z.object({ mode: z.enum(['fail-on-chain', 'stall']), reason: z.string().optional() }).optional(),
  /** EVM nonce used at broadcast (a cancel or speed-up replacement reuses it). */
  nonce: z.number().int().optional(),
  /** The wallet that paid the fee when it was not the transfer's own: its fee sponsor's. */
  feePayerId: z.string().optional(),
});

/** A cancel's replacement: a 0-value transaction to the wallet itself that reuses the original's nonce. */
const CancelBodySchema = z.object({
  kind: z.literal('Transaction'),
  transaction: z.object({ to: z.string(), value: z.literal('0'), nonce: z.number().int() }),
});

/**
 * A speed-up's replacement: the original transaction (same nonce, recipient, value and data) signed again with a
 * higher gas price. `SpeedUpTransaction` is a request kind @dfns/sdk 0.8.21 lists only in responses; `txHash`
 * names the transaction it replaces.
 */
const SpeedUpBodySchema = z.object({ kind: z.literal('SpeedUpTransaction'), txHash: z.string(), signedTx: z.string() });

/** The TransactionRequest a cancel or a speed-up returns: the replacement transaction, with its own id and hash. */
export const TransactionRequestSchema = z.object({
  id: z.string(),
  walletId: z.string(),
  network: z.string(),
  requester: z.object({ userId: z.string(), tokenId: z.string().optional() }),
  requestBody: z.discriminatedUnion('kind', [CancelBodySchema, SpeedUpBodySchema]),
  ...lifecycleFields,
  /** 0.8.21 field, chain-specific: here the EVM nonce shared with the replaced transaction and the gas price in wei. */
  details: z.object({ nonce: z.number().int(), gasPrice: z.string() }).optional(),
});

/** A TransferRequest as returned by the API. */
export type TransferRequest = z.infer<typeof TransferRequestSchema>;
/** A transfer plus its simulated-chain schedule. */
export type TransferRecord = z.infer<typeof TransferRecordSchema>;
/** A replacement transaction (cancel or speed-up). */
export type TransactionRequest = z.infer<typeof TransactionRequestSchema>;
