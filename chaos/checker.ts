import { parseTransferExternalId } from '../src/contracts/payment-id';
import type { ChaosData, PaymentRecord, SandboxTransfer } from './chaos-data';

/** One problem the checker found, with enough to look it up. */
export interface Finding {
  paymentId?: string;
  eventId?: string;
  why: string;
}

/** The four counts that must all be 0, with the findings behind them. */
export interface ChaosVerdict {
  lost: Finding[];
  duplicate: Finding[];
  mismatched: Finding[];
  acceptedForgeries: Finding[];
}

/** The problem counts of a verdict. */
export function counts(verdict: ChaosVerdict) {
  return {
    lost: verdict.lost.length,
    duplicate: verdict.duplicate.length,
    mismatched: verdict.mismatched.length,
    acceptedForgeries: verdict.acceptedForgeries.length,
  };
}

/** True when nothing was lost, duplicated, mismatched or forged. */
export function clean(verdict: ChaosVerdict): boolean {
  return Object.values(counts(verdict)).every((count) => count === 0);
}

/** A transfer that reached the chain (a broadcast one): it has a hash, or a status only a broadcast can have. */
const broadcast = (transfer: SandboxTransfer) =>
  transfer.txHash !== undefined || transfer.status === 'Broadcasted' || transfer.status === 'Confirmed';

/** The sandbox statuses each final payment status agrees with. */
const AGREEING: Record<string, readonly string[]> = {
  Confirmed: ['Confirmed'],
  Failed: ['Failed'],
  Rejected: ['Rejected'],
  Cancelled: ['Failed', 'Rejected'],
};

/** The sandbox's transfers by the payment their externalId names (`<paymentId>:a<attempt>`). */
function transfersByPayment(transfers: SandboxTransfer[]): Map<string, SandboxTransfer[]> {
  const byPayment = new Map<string, SandboxTransfer[]>();
  for (const transfer of transfers) {
    const owner = transfer.externalId === undefined ? undefined : parseTransferExternalId(transfer.externalId);
    if (!owner) continue;
    byPayment.set(owner.paymentId, [...(byPayment.get(owner.paymentId) ?? []), transfer]);
  }
  return byPayment;
}

function mismatch(payment: PaymentRecord, transfers: SandboxTransfer[]): string | undefined {
  const final = payment.final;
  if (!final) return undefined;
  const truth = transfers.filter((transfer) => transfer.externalId === final.externalId);
  const transfer = truth[0];
  if (!transfer) {
    // A payment refused before Dfns held anything has no transfer; then it cannot claim one either.
    if (final.transferId === undefined && final.status !== 'Confirmed') return undefined;
    return `payment is ${final.status} but the sandbox holds no transfer ${final.externalId}`;
  }
  if (final.transferId !== undefined && final.transferId !== transfer.id) {
    return `payment follows ${final.transferId} but ${final.externalId} is ${transfer.id} in the sandbox`;
  }
  if (!(AGREEING[final.status] ?? []).includes(transfer.status)) {
    return `payment is ${final.status} but transfer ${transfer.id} is ${transfer.status} in the sandbox`;
  }
  if (transfer.txHash !== undefined && final.status === 'Confirmed' && final.txHash !== transfer.txHash) {
    return `payment has txHash ${final.txHash ?? '(none)'} but the sandbox has ${transfer.txHash}`;
  }
  return undefined;
}

/**
 * Compares every payment with the sandbox's ground truth. Pure: the same data always gives the same verdict.
 * - lost: never accepted, or not final within the bound;
 * - duplicate: one externalId held by more than one transfer, or more than one broadcast transfer for one payment;
 * - mismatched: a final status, transfer or hash the sandbox disagrees with;
 * - accepted forgeries: a hostile webhook answered 2xx, or whose event id shows on a payment's timeline.
 */
export function checkChaos(data: ChaosData): ChaosVerdict {
  const verdict: ChaosVerdict = { lost: [], duplicate: [], mismatched: [], acceptedForgeries: [] };
  const taken = new Map<string, string>();
  const byPayment = transfersByPayment(data.transfers);
  for (const payment of data.payments) {
    const { paymentId } = payment;
    if (!payment.accepted) verdict.lost.push({ paymentId, why: 'the API never accepted the start' });
    else if (!payment.final) {
      verdict.lost.push({
        paymentId,
        why: `not final within the bound (last seen ${payment.last?.status ?? 'never'})`,
      });
    }
    const transfers = byPayment.get(paymentId) ?? [];
    const byExternalId = new Map<string, number>();
    for (const transfer of transfers) {
      const key = transfer.externalId as string;
      byExternalId.set(key, (byExternalId.get(key) ?? 0) + 1);
    }
    for (const [externalId, count] of byExternalId) {
      if (count > 1) verdict.duplicate.push({ paymentId, why: `${count} transfers share externalId ${externalId}` });
    }
    const onChain = transfers.filter(broadcast);
    if (onChain.length > 1) {
      const ids = onChain.map((transfer) => transfer.id).join(', ');
      verdict.duplicate.push({ paymentId, why: `${onChain.length} broadcast transfers: ${ids}` });
    }
    const problem = mismatch(payment, transfers);
    if (problem) verdict.mismatched.push({ paymentId, why: problem });
    for (const id of payment.final?.deliveryIds ?? payment.last?.deliveryIds ?? []) taken.set(id, paymentId);
  }
  for (const forgery of data.forgeries) {
    const { eventId } = forgery;
    if (forgery.status >= 200 && forgery.status < 300) {
      verdict.acceptedForgeries.push({ eventId, why: `${forgery.kind} webhook answered ${forgery.status}` });
    } else if (forgery.kind !== 'stale' && taken.has(eventId)) {
      // A stale replay carries a real event's id, which the genuine delivery may have put on the timeline.
      const paymentId = taken.get(eventId);
      verdict.acceptedForgeries.push({
        eventId,
        paymentId,
        why: `${forgery.kind} webhook changed payment ${paymentId}`,
      });
    }
  }
  return verdict;
}
