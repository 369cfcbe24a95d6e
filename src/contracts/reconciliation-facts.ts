import type { LedgerEntry } from './ledger-entry';

/** Dfns's own transfer statuses: the reconciliation compares them with what payments recorded. */
export const DFNS_TRANSFER_STATUSES = [
  'Pending',
  'Executing',
  'Broadcasted',
  'Confirmed',
  'Failed',
  'Rejected',
] as const;
export type DfnsTransferStatus = (typeof DFNS_TRANSFER_STATUSES)[number];

/** A transfer as a wallet's transfer list shows it, mapped out of the Dfns shape by the adapter. */
export interface TransferFact {
  transferId: string;
  walletId: string;
  status: DfnsTransferStatus;
  externalId?: string;
  /** Minimum units of the transferred asset. */
  amount?: string;
  /** Minimum units of the network's native coin. */
  fee?: string;
  txHash?: string;
  /** When the transfer was asked for (ISO 8601); lists run newest first by it. */
  requestedAt: string;
  /** Who asked Dfns for it: a user or service-account id. */
  requester?: string;
}

/** What Temporal holds for the payment a transfer names: nothing, a payment still running, or its ledger entry. */
export type PaymentFact =
  | { state: 'missing' }
  | { state: 'running'; status?: string }
  | { state: 'closed'; ledger: LedgerEntry }
  /** Closed without an outcome (terminated, failed as a workflow): it exists, but has no final state to compare. */
  | { state: 'ended'; how: string };

/** One on-chain movement of a wallet, as its history shows it (Dfns lists confirmed chain events, in and out). */
export interface HistoryFact {
  /** Identifies the event across reads: transaction, index, direction and kind. */
  key: string;
  direction: 'In' | 'Out';
  /** The asset moved (see assetKey). */
  asset: string;
  value: string;
  /** The native fee the wallet paid for the transaction, on outgoing events; absent when a sponsor paid. */
  fee?: string;
  txHash: string;
  timestamp: string;
}

/** How the reconciliation names an asset in balances and history: "Native", or the token's contract or mint. */
export function assetKey(kind: string, id?: string): string {
  if (kind === 'Native' || id === undefined) return 'Native';
  // EVM contracts are case-insensitive hex (EIP-55 only adds a checksum); base58 ids are case-sensitive.
  return /^0x[0-9a-fA-F]{40}$/.test(id) ? id.toLowerCase() : id;
}
