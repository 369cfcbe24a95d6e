import { assetIdentifier } from './asset-identifier';
import type { PaymentState } from './payment-state';
import type { PaymentStatus } from './payment-status';
import { displayAsset } from './payment-summary';

/** The memo key a closed payment publishes its ledger entry under (Temporal returns memos with every listing). */
export const LEDGER_MEMO_KEY = 'ledger';

/**
 * What a payment ended as, for accounting and reconciliation: published once, in the workflow's memo, when the
 * payment closes, so that a visibility listing gives every closed payment's outcome without a query per payment.
 * Amounts are integer strings in minimum units: `amount` in the asset's, `fee` in the network's native coin's.
 */
export interface LedgerEntry {
  /** The entry's format; a reader refuses a version it does not know. */
  v: 1;
  status: PaymentStatus;
  clientId?: string;
  /** The wallet that paid the final attempt (a pool payment: the wallet its pool chose). */
  walletId?: string;
  network: string;
  /** "Native" or the token's contract or mint (the PaymentAsset search attribute). */
  asset: string;
  /** The asset's symbol and decimals where the request or the network's table knows them. */
  symbol: string;
  decimals?: number;
  /** The amount the payment asked to send. */
  amount: string;
  /** The network fee Dfns reported for the final transfer, when it reported one. */
  fee?: string;
  /** The fee sponsor that paid the fee instead of the wallet, when the final attempt named one. */
  feeSponsorId?: string;
  txHash?: string;
  transferId?: string;
  externalId: string;
  attempt: number;
  /** When Dfns says the final status happened: the confirmation time of a Confirmed payment. */
  settledAt?: string;
  /** The Dfns transfers of earlier attempts (failed before anything reached the chain). */
  earlierTransferIds?: string[];
}

/** When the final status happened, as Dfns reported it (else as the workflow recorded it). */
function settledAt(state: PaymentState): string | undefined {
  for (let i = state.timeline.length - 1; i >= 0; i--) {
    const entry = state.timeline[i];
    if (entry?.applied && entry.status === state.status) return entry.eventTime ?? entry.at;
  }
  return undefined;
}

/** The ledger entry of a payment in its final state. */
export function ledgerEntry(state: PaymentState, feeSponsorId?: string): LedgerEntry {
  const { request } = state;
  const display = displayAsset(request);
  const entry: LedgerEntry = {
    v: 1,
    status: state.status,
    network: request.network,
    asset: assetIdentifier(request.asset),
    symbol: display.symbol,
    amount: request.amount,
    externalId: state.externalId,
    attempt: state.attempt,
  };
  const walletId = state.wallet ?? request.walletId;
  const at = settledAt(state);
  const earlier = state.previousAttempts.flatMap((attempt) => (attempt.transferId ? [attempt.transferId] : []));
  if (state.clientId !== undefined) entry.clientId = state.clientId;
  if (walletId) entry.walletId = walletId;
  if (display.decimals !== undefined) entry.decimals = display.decimals;
  if (state.fee !== undefined) entry.fee = state.fee;
  if (feeSponsorId) entry.feeSponsorId = feeSponsorId;
  if (state.txHash !== undefined) entry.txHash = state.txHash;
  if (state.transferId !== undefined) entry.transferId = state.transferId;
  if (at !== undefined) entry.settledAt = at;
  if (earlier.length > 0) entry.earlierTransferIds = earlier;
  return entry;
}

/** Reads a memo value as a ledger entry, or undefined when it is not one (an older payment publishes none). */
export function readLedgerEntry(value: unknown): LedgerEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Partial<LedgerEntry>;
  const text = (field: unknown) => typeof field === 'string';
  if (entry.v !== 1 || !text(entry.status) || !text(entry.network) || !text(entry.asset)) return undefined;
  if (!text(entry.amount) || !text(entry.externalId) || typeof entry.attempt !== 'number') return undefined;
  return entry as LedgerEntry;
}
