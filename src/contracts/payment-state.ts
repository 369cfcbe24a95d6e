import type { ApprovalState, ApprovalUpdate } from './approval-update';
import type { TimelineSummary } from './bounded-timeline';
import type { PaymentRequest } from './payment-request';
import { isTerminal, transitionProblem, type PaymentStatus } from './payment-status';
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

/** The policy approval holding the current attempt, as far as the workflow knows. */
export interface ApprovalInfo {
  id: string;
  status: ApprovalState;
  expirationDate?: string;
  reason?: string;
  decidedBy?: string;
}

/** What an earlier attempt ended as, kept when a new attempt starts. */
export interface AttemptSummary {
  attempt: number;
  externalId: string;
  /** The pool's wallet the attempt was sent from, when a pool chose it. */
  walletId?: string;
  transferId?: string;
  reason?: string;
}

/** Everything the workflow knows about a payment; this is also what the state query returns. */
export interface PaymentState {
  paymentId: string;
  /** The API client (tenant) that started it; absent when started directly on Temporal. */
  clientId?: string;
  request: PaymentRequest;
  status: PaymentStatus;
  attempt: number;
  externalId: string;
  transferId?: string;
  approvalId?: string;
  approval?: ApprovalInfo;
  txHash?: string;
  fee?: string;
  reason?: string;
  /** A failure type from failure-types.ts when the orchestrator itself ended the payment. */
  failureType?: string;
  /** Broadcast for longer than its network's threshold. */
  stuck: boolean;
  /**
   * A person must look: final in a way only a person can resolve (failed on chain), or a stuck transfer escalated
   * past every automatic step. Cleared when the transfer confirms by itself.
   */
  needsAttention: boolean;
  /** When the current status began (workflow time). */
  statusSince: string;
  previousAttempts: AttemptSummary[];
  createdAt: string;
  updatedAt: string;
  timeline: TimelineEntry[];
  /** Older routine entries no longer kept in full (see bounded-timeline.ts); absent while nothing was dropped. */
  timelineSummary?: TimelineSummary;
  /** The wallet the payment's pool chose for the current attempt (a payment naming a wallet has none here). */
  wallet?: string;
  /** The fee sponsor the pool names for its wallets, sent with the current attempt when the request names none. */
  walletFeeSponsorId?: string;
  /** Wallets of the pool that refused this payment for insufficient funds; skipped until the wait for a refill. */
  dryWallets?: string[];
  /** While no wallet of the pool can pay: since when, and when the payment stops waiting and fails. */
  waitingForFunds?: { since: string; until: string };
  /** The OpenTelemetry trace of the payment (32 hex digits), when it was started by a traced process. */
  traceId?: string;
}

/** The part of a timeline entry a caller describes; time, status and applied are filled in. */
export type EntryInput = Omit<TimelineEntry, 'status' | 'applied' | 'at'>;

/** A fresh payment, accepted but not yet submitted. */
export function initialPaymentState(
  paymentId: string,
  request: PaymentRequest,
  externalId: string,
  now: string,
  clientId?: string,
): PaymentState {
  return {
    paymentId,
    ...(clientId !== undefined ? { clientId } : {}),
    request,
    status: 'Accepted',
    attempt: 1,
    externalId,
    stuck: false,
    needsAttention: false,
    statusSince: now,
    previousAttempts: [],
    createdAt: now,
    updatedAt: now,
    timeline: [{ at: now, source: 'workflow', event: 'accepted', status: 'Accepted', applied: true }],
  };
}

/** Records an event that changes no state. */
export function record(state: PaymentState, entry: EntryInput, now: string, applied = false): PaymentState {
  return { ...state, timeline: [...state.timeline, { ...entry, at: now, applied }] };
}

/** Moves the payment to a new state if the move is allowed, and records the attempt either way. */
export function moveTo(state: PaymentState, status: PaymentStatus, entry: EntryInput, now: string): PaymentState {
  const problem = transitionProblem(state.status, status);
  const recorded: TimelineEntry = { ...entry, at: now, status, applied: problem === undefined };
  if (problem) recorded.note = entry.note ? `${entry.note}; ignored: ${problem}` : `ignored: ${problem}`;
  if (problem) return { ...state, timeline: [...state.timeline, recorded] };
  return { ...state, status, statusSince: now, updatedAt: now, timeline: [...state.timeline, recorded] };
}

/** Ends the payment with a reason; a no-op (recorded) when it is already final. */
export function finish(
  state: PaymentState,
  status: PaymentStatus,
  reason: string,
  entry: EntryInput,
  now: string,
): PaymentState {
  const moved = moveTo(state, status, entry, now);
  return moved.status === status && moved.status !== state.status ? { ...moved, reason } : moved;
}

/**
 * What a Dfns transfer status means for the payment. Failed with nothing on chain (no txHash, never broadcast) is a
 * failed attempt that may be retried as a new attempt; Failed after broadcast is final and needs a person. While the
 * operator is cancelling, Dfns's rejection or abort (which Dfns reports as Failed, nothing on chain) is the
 * cancellation itself.
 */
function targetStatus(state: PaymentState, update: TransferUpdate, cancelling: boolean): PaymentStatus {
  const onChain = (update.txHash ?? state.txHash) !== undefined || state.status === 'Broadcasted';
  if (update.status === 'Failed') return onChain ? 'Failed' : cancelling ? 'Cancelled' : 'AttemptFailed';
  if (update.status === 'Rejected' && cancelling) return 'Cancelled';
  return update.status;
}

function foreignTransfer(state: PaymentState, update: TransferUpdate): string | undefined {
  if (update.externalId !== state.externalId)
    return `belongs to ${update.externalId}, not the current attempt ${state.externalId}`;
  if (state.transferId !== undefined && update.transferId !== state.transferId) {
    return `belongs to transfer ${update.transferId}, not ${state.transferId}`;
  }
  return undefined;
}

/** The timeline entry an update starts from: where it came from, what Dfns called it, and when. */
function entryFor(update: TransferUpdate | ApprovalUpdate): EntryInput {
  return { source: update.source, event: update.eventKind, deliveryId: update.deliveryId, eventTime: update.eventTime };
}

/**
 * Folds a transfer update into the payment. Updates for another attempt or another transfer are recorded and
 * ignored; facts (transfer id, txHash, fee) are kept from any update of the current transfer, but the status only
 * moves forward. A speed-up's new txHash replaces the old one, and so does the hash a transfer confirms with.
 */
export function applyTransferUpdate(
  state: PaymentState,
  update: TransferUpdate,
  now: string,
  cancelling?: { reason: string },
): PaymentState {
  const entry = entryFor(update);
  const foreign = foreignTransfer(state, update);
  if (foreign) return record(state, { ...entry, note: `ignored: ${foreign}` }, now);
  // A speed-up's replacement, once mined, is the transfer's transaction: the confirmed transfer carries its hash.
  const minedTxHash = update.status === 'Confirmed' && state.status !== 'Confirmed';
  const replacesTxHash = (update.eventKind === 'speedUpTransfer' || minedTxHash) && update.txHash !== undefined;
  const withFacts: PaymentState = {
    ...state,
    transferId: state.transferId ?? update.transferId,
    approvalId: state.approvalId ?? update.approvalId,
    txHash: replacesTxHash ? update.txHash : (state.txHash ?? update.txHash),
    fee: replacesTxHash ? (update.fee ?? state.fee) : (state.fee ?? update.fee),
  };
  const target = targetStatus(withFacts, update, cancelling !== undefined);
  const moved = moveTo(withFacts, target, entry, now);
  if (moved.status === state.status) return moved;
  const ended = target === 'Failed' || target === 'AttemptFailed' || target === 'Rejected' || target === 'Cancelled';
  const next: PaymentState = { ...moved, stuck: target === 'Broadcasted' ? moved.stuck : false };
  if (target === 'Failed') next.needsAttention = true;
  // A person was asked to look (a stuck escalation, a doubtful resubmission) and the transfer confirmed by itself:
  // nothing is left for them to do. The timeline keeps the entries that asked, and this one says why it cleared.
  if (target === 'Confirmed' && state.needsAttention) {
    next.needsAttention = false;
    const last = next.timeline.length - 1;
    const confirmed = next.timeline[last];
    if (confirmed) {
      const note = confirmed.note ? `${confirmed.note}; ` : '';
      next.timeline = [
        ...next.timeline.slice(0, last),
        { ...confirmed, note: `${note}confirmed by itself: no longer needs a person` },
      ];
    }
  }
  if (target === 'Cancelled' && cancelling) next.reason = cancelling.reason;
  else if (ended && update.reason && next.reason === undefined) next.reason = update.reason;
  return next;
}

function approvalReason(update: ApprovalUpdate): string {
  if (update.status === 'Expired') return update.reason ? `approval expired: ${update.reason}` : 'approval expired';
  const who = update.decidedBy ? ` by ${update.decidedBy}` : '';
  return update.reason ? `approval denied${who}: ${update.reason}` : `approval denied${who}`;
}

/**
 * Folds an approval update into the payment. A pending approval means AwaitingApproval; a denied or expired one
 * means Dfns will never execute the transfer, so the payment ends Rejected (Cancelled when the operator asked);
 * an approved one lets the transfer's own events move the payment on. Final approval states never change.
 */
export function applyApprovalUpdate(
  state: PaymentState,
  update: ApprovalUpdate,
  now: string,
  cancelling?: { reason: string },
): PaymentState {
  const entry = entryFor(update);
  const ours = state.approvalId ?? (update.externalId === state.externalId ? update.approvalId : undefined);
  if (ours !== update.approvalId) {
    return record(
      state,
      { ...entry, note: `ignored: approval ${update.approvalId} is not this attempt's (${ours ?? 'none'})` },
      now,
    );
  }
  const known = state.approval;
  if (known && known.status !== 'Pending' && known.status !== update.status) {
    return record(state, { ...entry, note: `ignored: approval is already ${known.status}` }, now);
  }
  const approval: ApprovalInfo = {
    id: update.approvalId,
    status: update.status,
    expirationDate: update.expirationDate ?? known?.expirationDate,
    reason: update.reason ?? known?.reason,
    decidedBy: update.decidedBy ?? known?.decidedBy,
  };
  const withApproval: PaymentState = { ...state, approvalId: update.approvalId, approval };
  if (state.status === 'Rejected' && (update.status === 'Denied' || update.status === 'Expired')) {
    // The transfer's rejection arrived first; the approval says who decided and why, which is the better reason.
    return record(
      { ...withApproval, reason: approvalReason(update) },
      { ...entry, note: 'reason taken from the approval' },
      now,
      true,
    );
  }
  if (update.status === 'Pending') return moveTo(withApproval, 'AwaitingApproval', entry, now);
  if (update.status === 'Approved')
    return record(withApproval, { ...entry, note: 'approved; waiting for Dfns to execute' }, now, true);
  if (cancelling) return finish(withApproval, 'Cancelled', cancelling.reason, entry, now);
  return finish(withApproval, 'Rejected', approvalReason(update), entry, now);
}

/**
 * The state of the next attempt: the current one summarised (with `reason`) in previousAttempts, its transfer's
 * fields cleared, Accepted under the new externalId with nothing sent.
 */
export function nextAttemptState(
  state: PaymentState,
  externalId: string,
  reason: string | undefined,
  now: string,
): PaymentState {
  const summary: AttemptSummary = { attempt: state.attempt, externalId: state.externalId };
  if (state.transferId) summary.transferId = state.transferId;
  if (reason) summary.reason = reason;
  if (state.wallet) summary.walletId = state.wallet;
  const {
    transferId: _t,
    approvalId: _a,
    approval: _ap,
    txHash: _h,
    fee: _f,
    reason: _r,
    failureType: _ft,
    ...rest
  } = state;
  return {
    ...rest,
    attempt: state.attempt + 1,
    externalId,
    status: 'Accepted',
    stuck: false,
    statusSince: now,
    updatedAt: now,
    previousAttempts: [...state.previousAttempts, summary],
  };
}

/** Starts a new attempt with a new externalId, keeping a summary of the one that failed. */
export function beginAttempt(state: PaymentState, externalId: string, why: string, now: string): PaymentState {
  if (state.status !== 'AttemptFailed') {
    return record(
      state,
      {
        source: 'workflow',
        event: 'new attempt refused',
        note: `only a failed attempt can be retried; payment is ${state.status}`,
      },
      now,
    );
  }
  const next = nextAttemptState(state, externalId, state.reason, now);
  return record(
    next,
    { source: 'workflow', event: `attempt ${next.attempt} started`, note: `${why}; externalId ${externalId}` },
    now,
    true,
  );
}

/** True once nothing more can happen to the payment. */
export const isFinal = (state: PaymentState): boolean => isTerminal(state.status);
