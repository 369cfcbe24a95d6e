import type { PaymentRequest } from './payment-request';
import { transitionProblem, type PaymentStatus } from './payment-status';
import type { TransferUpdate } from './transfer-update';

/** Where a timeline entry came from. */
export type TimelineSource = 'workflow' | 'submit' | 'webhook' | 'poll' | 'operator';

/** One thing that happened to a payment, kept whether or not it changed the state. */
export interface TimelineEntry {
  /** Workflow time when it was recorded (ISO 8601). */
  at: string;
  source: TimelineSource;
  /** What happened, e.g. "wallet.transfer.broadcasted". */
  event: string;
  /** The state the event pointed to, if any. */
  status?: PaymentStatus;
  /** Whether it moved the payment. */
  applied: boolean;
  note?: string;
  deliveryId?: string;
  /** When the provider says it happened, if it said. */
  eventTime?: string;
}

/** Everything the workflow knows about a payment; this is also what the state query returns. */
export interface PaymentState {
  paymentId: string;
  request: PaymentRequest;
  status: PaymentStatus;
  attempt: number;
  externalId: string;
  transferId?: string;
  approvalId?: string;
  txHash?: string;
  fee?: string;
  reason?: string;
  /** A failure type from failure-types.ts when the orchestrator itself ended the payment. */
  failureType?: string;
  createdAt: string;
  updatedAt: string;
  timeline: TimelineEntry[];
}

/** A fresh payment, accepted but not yet submitted. */
export function initialPaymentState(
  paymentId: string,
  request: PaymentRequest,
  externalId: string,
  now: string,
): PaymentState {
  return {
    paymentId,
    request,
    status: 'Accepted',
    attempt: 1,
    externalId,
    createdAt: now,
    updatedAt: now,
    timeline: [{ at: now, source: 'workflow', event: 'accepted', status: 'Accepted', applied: true }],
  };
}

/** Moves the payment to a new state if the move is allowed, and records the attempt either way. */
export function moveTo(
  state: PaymentState,
  status: PaymentStatus,
  entry: Omit<TimelineEntry, 'status' | 'applied' | 'at'>,
  now: string,
): PaymentState {
  const problem = transitionProblem(state.status, status);
  const record: TimelineEntry = { ...entry, at: now, status, applied: problem === undefined };
  if (problem) record.note = entry.note ? `${entry.note}; ignored: ${problem}` : `ignored: ${problem}`;
  return {
    ...state,
    status: problem ? state.status : status,
    updatedAt: problem ? state.updatedAt : now,
    timeline: [...state.timeline, record],
  };
}

/**
 * Folds a transfer update into the payment. Updates for another attempt or another transfer are recorded and
 * ignored; facts (transfer id, txHash, fee) are kept from any update of the current transfer, but the status only
 * moves forward.
 */
export function applyTransferUpdate(state: PaymentState, update: TransferUpdate, now: string): PaymentState {
  const entry = { source: update.source, event: update.eventKind, deliveryId: update.deliveryId, eventTime: update.eventTime };
  const foreign =
    update.externalId !== state.externalId
      ? `belongs to ${update.externalId}, not the current attempt ${state.externalId}`
      : state.transferId !== undefined && update.transferId !== state.transferId
        ? `belongs to transfer ${update.transferId}, not ${state.transferId}`
        : undefined;
  if (foreign) {
    return {
      ...state,
      timeline: [...state.timeline, { ...entry, at: now, status: update.status, applied: false, note: `ignored: ${foreign}` }],
    };
  }
  const withFacts: PaymentState = {
    ...state,
    transferId: state.transferId ?? update.transferId,
    approvalId: state.approvalId ?? update.approvalId,
    txHash: state.txHash ?? update.txHash,
    fee: state.fee ?? update.fee,
  };
  const moved = moveTo(withFacts, update.status, entry, now);
  const ended = moved.status !== state.status && (update.status === 'Failed' || update.status === 'Rejected');
  return ended && update.reason ? { ...moved, reason: update.reason } : moved;
}
