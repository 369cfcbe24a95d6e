import type { LedgerEntry } from './ledger-entry';
import { parseTransferExternalId } from './payment-id';
import type { DfnsTransferStatus, PaymentFact, TransferFact } from './reconciliation-facts';
import type { FindingDifference, FindingDraft } from './reconciliation-findings';

/** Dfns statuses that mean the transfer moved, or may still move, money: anything but Failed and Rejected. */
export const isLive = (status: DfnsTransferStatus): boolean => status !== 'Failed' && status !== 'Rejected';

/** The Dfns statuses a transfer may hold when its payment ended in `status`. */
const AGREEING: Record<string, readonly DfnsTransferStatus[]> = {
  Confirmed: ['Confirmed'],
  Failed: ['Failed'],
  Rejected: ['Rejected'],
  // An operator's cancel ends the transfer Rejected (a denied approval, an abort) or Failed (replaced on chain).
  Cancelled: ['Rejected', 'Failed'],
};

/** The live transfers of one payment seen so far in a run, to find more than one at its end. */
export interface LiveTransfers {
  walletId: string;
  transferIds: string[];
  /** The transfer the payment confirmed with, when it closed Confirmed. */
  own?: string;
}

/** What one page of a wallet's transfers showed: findings at once, and live transfers to count at the run's end. */
export interface TransferMatch {
  findings: FindingDraft[];
  live: Record<string, LiveTransfers>;
  /** Transfers of payments still running: compared once they close. */
  running: number;
}

const differences = (ledger: LedgerEntry, transfer: TransferFact): FindingDifference[] => {
  const found: FindingDifference[] = [];
  const compare = (field: string, orchestrator: string | undefined, dfns: string | undefined) => {
    if ((orchestrator ?? '') !== (dfns ?? '')) {
      found.push({
        field,
        ...(orchestrator !== undefined ? { orchestrator } : {}),
        ...(dfns !== undefined ? { dfns } : {}),
      });
    }
  };
  if (!(AGREEING[ledger.status] ?? []).includes(transfer.status)) {
    found.push({ field: 'status', orchestrator: ledger.status, dfns: transfer.status });
  }
  compare('txHash', ledger.txHash, transfer.txHash);
  compare('amount', ledger.amount, transfer.amount);
  compare('fee', ledger.fee, transfer.fee);
  return found;
};

/** A finding's id from the facts that make it, so the same disagreement is one finding however often it is read. */
const mismatchId = (transfer: TransferFact, diffs: readonly FindingDifference[]): string =>
  `outcome_mismatch:${transfer.transferId}:${diffs.map((d) => `${d.field}=${d.dfns ?? ''}`).join(',')}`;

function unmatched(transfer: TransferFact, why: string): FindingDraft {
  const by = transfer.requester ? ` by ${transfer.requester}` : '';
  return {
    id: `unmatched_transfer:${transfer.transferId}`,
    kind: 'unmatched_transfer',
    walletId: transfer.walletId,
    summary: `transfer ${transfer.transferId} (${transfer.status}${transfer.amount ? `, amount ${transfer.amount}` : ''}) was asked for${by} outside the orchestrator: ${why}`,
    transferIds: [transfer.transferId],
    ...(transfer.externalId !== undefined ? { externalId: transfer.externalId } : {}),
  };
}

/** The findings a transfer of a closed payment makes, if any, and whether it counts toward duplicates. */
function closedPayment(
  paymentId: string,
  ledger: LedgerEntry,
  transfer: TransferFact,
): { finding?: FindingDraft; live: boolean } {
  const own =
    ledger.transferId !== undefined
      ? transfer.transferId === ledger.transferId
      : transfer.externalId === ledger.externalId;
  if (own) {
    const diffs = differences(ledger, transfer);
    if (diffs.length === 0) return { live: false };
    const fields = diffs.map((d) => d.field).join(', ');
    return {
      live: false,
      finding: {
        id: mismatchId(transfer, diffs),
        kind: 'outcome_mismatch',
        walletId: transfer.walletId,
        summary: `payment ${paymentId} ended ${ledger.status}, but Dfns's transfer ${transfer.transferId} differs in ${fields}`,
        paymentId,
        transferIds: [transfer.transferId],
        differences: diffs,
      },
    };
  }
  if (!isLive(transfer.status)) return { live: false };
  if (ledger.status === 'Confirmed') return { live: true }; // a second live transfer: a duplicate, at the run's end
  const diff: FindingDifference = { field: 'status', orchestrator: ledger.status, dfns: transfer.status };
  return {
    live: true,
    finding: {
      id: mismatchId(transfer, [diff]),
      kind: 'outcome_mismatch',
      walletId: transfer.walletId,
      summary: `payment ${paymentId} ended ${ledger.status} (attempt ${ledger.attempt}), but Dfns shows its transfer ${transfer.transferId} (${transfer.externalId ?? 'no externalId'}) ${transfer.status}`,
      paymentId,
      transferIds: [transfer.transferId],
      differences: [diff],
    },
  };
}

/**
 * Matches a page of a wallet's transfers to payments through their externalId (`payment:…:a<attempt>`). A transfer
 * with no payment was sent outside the orchestrator; a closed payment's own transfer must agree with its ledger entry
 * (status, txHash, amount, fee); any other live transfer of a payment is either a duplicate (counted at the run's end,
 * across pages) or, when the payment did not confirm, a disagreement on its outcome. Running payments are not read:
 * their transfers are compared once they close.
 */
export function matchTransfers(
  transfers: readonly TransferFact[],
  payments: Readonly<Record<string, PaymentFact>>,
): TransferMatch {
  const result: TransferMatch = { findings: [], live: {}, running: 0 };
  const countLive = (paymentId: string, transfer: TransferFact, own?: string) => {
    const entry = result.live[paymentId] ?? { walletId: transfer.walletId, transferIds: [] };
    if (!entry.transferIds.includes(transfer.transferId)) entry.transferIds.push(transfer.transferId);
    if (own) entry.own = own;
    result.live[paymentId] = entry;
  };
  for (const transfer of transfers) {
    const parsed = transfer.externalId ? parseTransferExternalId(transfer.externalId) : undefined;
    if (!parsed) {
      result.findings.push(
        unmatched(transfer, transfer.externalId ? 'its externalId is not a payment attempt' : 'it has no externalId'),
      );
      continue;
    }
    const fact = payments[parsed.paymentId] ?? { state: 'missing' };
    if (fact.state === 'missing') {
      result.findings.push(unmatched(transfer, `no payment ${parsed.paymentId} exists`));
      continue;
    }
    if (fact.state === 'ended') continue;
    if (fact.state === 'running') {
      result.running += 1;
      if (isLive(transfer.status)) countLive(parsed.paymentId, transfer);
      continue;
    }
    const { finding, live } = closedPayment(parsed.paymentId, fact.ledger, transfer);
    if (finding) result.findings.push(finding);
    const own = fact.ledger.status === 'Confirmed' ? fact.ledger.transferId : undefined;
    if (live) countLive(parsed.paymentId, transfer, own);
  }
  return result;
}

/** Merges the live transfers of another page into a run's. */
export function mergeLive(into: Record<string, LiveTransfers>, page: Readonly<Record<string, LiveTransfers>>): void {
  for (const [paymentId, entry] of Object.entries(page)) {
    const held = into[paymentId];
    if (!held) {
      into[paymentId] = { ...entry, transferIds: [...entry.transferIds] };
      continue;
    }
    for (const id of entry.transferIds) if (!held.transferIds.includes(id)) held.transferIds.push(id);
    if (entry.own) held.own = entry.own;
  }
}

/** The duplicates a run's live transfers show: a payment with more than one transfer that moved or may move money. */
export function duplicateFindings(live: Readonly<Record<string, LiveTransfers>>): FindingDraft[] {
  const findings: FindingDraft[] = [];
  for (const [paymentId, entry] of Object.entries(live)) {
    const ids = [...new Set([...(entry.own ? [entry.own] : []), ...entry.transferIds])].sort();
    if (ids.length < 2) continue;
    findings.push({
      id: `duplicate_transfer:${paymentId}:${ids.join(',')}`,
      kind: 'duplicate_transfer',
      walletId: entry.walletId,
      summary: `payment ${paymentId} has ${ids.length} transfers that did not fail: ${ids.join(', ')}`,
      paymentId,
      transferIds: ids,
    });
  }
  return findings;
}

/** The payment ids a page of transfers names, to read from Temporal in one go. */
export function paymentIdsOf(transfers: readonly TransferFact[]): string[] {
  const ids = new Set<string>();
  for (const transfer of transfers) {
    const parsed = transfer.externalId ? parseTransferExternalId(transfer.externalId) : undefined;
    if (parsed) ids.add(parsed.paymentId);
  }
  return [...ids];
}
