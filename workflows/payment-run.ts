import { ActivityFailure, ApplicationFailure, type SearchAttributeUpdatePair } from '@temporalio/common';
import { condition, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ApprovalUpdate } from '../src/contracts/approval-update';
import { fieldErrorLine } from '../src/contracts/field-errors';
import { boundTimeline } from '../src/contracts/bounded-timeline';
import {
  DEFAULT_PAYMENT_TIMINGS,
  paymentVersion,
  type PaymentChangeRequest,
  type PaymentContinuation,
  type PaymentOutcome,
  type PaymentTimings,
  type PaymentWorkflowInput,
  type StuckEscalation,
} from '../src/contracts/payment-messages';
import { transferExternalId } from '../src/contracts/payment-id';
import { parseTraceparent, TRACE_MEMO_KEY } from '../src/contracts/trace-context';
import {
  applyApprovalUpdate,
  applyTransferUpdate,
  beginAttempt,
  finish,
  initialPaymentState,
  record,
  type EntryInput,
  type PaymentState,
} from '../src/contracts/payment-state';
import { isTerminal, type PaymentStatus } from '../src/contracts/payment-status';
import type { PaymentUpdate } from '../src/contracts/payment-update';
import { checkPaymentUpdate } from '../src/contracts/payment-update-check';
import { moveToNextWallet } from '../src/contracts/pool-attempt';
import {
  DfnsApprovalIdKey,
  DfnsTransferIdKey,
  PaymentStatusKey,
  PaymentStuckKey,
  PaymentWaitingForFundsKey,
  PaymentWalletKey,
} from '../src/contracts/search-attributes';
import type { TransferUpdate } from '../src/contracts/transfer-update';
import { changed } from './baseline';
import { paymentDetails } from './payment-details';

/**
 * Marks runs that spend Temporal actions sparingly (https://docs.temporal.io/cloud/actions): search attributes are
 * upserted only when they change, silence is measured against one pending timer instead of a timer restarted at every
 * event (follow-transfer.ts), networks without a confirmed webhook are polled from their expected confirmation time,
 * and approvals are polled fast first. Asked once, at the start, so every marker of a new run is in its first task.
 * See https://docs.temporal.io/develop/typescript/versioning
 */
const LEAN_ACTIONS_PATCH = 'lean-actions';

/** Workflow time as ISO 8601 (deterministic inside a workflow). */
export const now = (): string => new Date().toISOString();

/** The ApplicationFailure behind an activity failure, or undefined for anything else (timeouts, cancellation). */
export function applicationFailure(error: unknown): ApplicationFailure | undefined {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure ? error.cause : undefined;
}

/** Why an activity failed (its cause: a Dfns refusal, a timeout), or undefined for anything that is not one. */
export function activityFailureMessage(error: unknown): string | undefined {
  return error instanceof ActivityFailure ? (error.cause?.message ?? error.message) : undefined;
}

/**
 * Runs an activity whose failure must not end the payment (reads, the automatic speed-up): a failure is recorded
 * in the timeline and the result is undefined; the caller tries again later.
 */
export async function tolerate<T>(run: PaymentRun, what: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const message = activityFailureMessage(error);
    if (message === undefined) throw error;
    run.note({ source: 'workflow', event: `${what} failed`, note: message });
    return undefined;
  }
}

/**
 * One payment's mutable state inside the workflow: every change goes through here, so the timeline, the search
 * attributes and the current details shown in the Web UI never disagree.
 */
export class PaymentRun {
  state: PaymentState;
  readonly timings: PaymentTimings;
  /** Set while an operator's cancel is in flight: Dfns's rejection then means Cancelled. */
  cancelling?: { reason: string };
  retryRequested = false;
  /** When the wait for an operator's retry ends (workflow time, ms), once the payment waits for one. */
  operatorDeadline?: number;
  /** The current transfer's stuck escalation, once it is overdue. */
  escalation?: StuckEscalation;
  /** This run's number: 1 for the first, one more after each continue-as-new. */
  readonly runNumber: number;
  /** Whether this run spends Temporal actions sparingly (see LEAN_ACTIONS_PATCH). */
  readonly lean: boolean;
  private published = '';

  constructor(readonly input: PaymentWorkflowInput) {
    this.timings = { ...DEFAULT_PAYMENT_TIMINGS, ...input.timings };
    const carried = input.continued;
    this.runNumber = (carried?.run ?? 0) + 1;
    const externalId = transferExternalId(input.paymentId, 1);
    const first = () => {
      const state = initialPaymentState(input.paymentId, input.request, externalId, now(), input.clientId);
      // The trace the starter named in the memo; deterministic, as the memo is part of the workflow's start.
      const traceId = parseTraceparent(workflowInfo().memo?.[TRACE_MEMO_KEY])?.traceId;
      return traceId ? { ...state, traceId } : state;
    };
    this.state = carried?.state ?? first();
    this.retryRequested = carried?.retryRequested ?? false;
    this.operatorDeadline = carried?.operatorDeadline;
    this.escalation = carried?.escalation;
    this.lean = changed(input, LEAN_ACTIONS_PATCH);
  }

  /** Everything the next run needs to go on where this one stops (see continue-as-new.ts). */
  continuation(): PaymentContinuation {
    const carried: PaymentContinuation = {
      state: this.state,
      run: this.runNumber,
      retryRequested: this.retryRequested,
    };
    if (this.operatorDeadline !== undefined) carried.operatorDeadline = this.operatorDeadline;
    if (this.escalation) carried.escalation = this.escalation;
    return carried;
  }

  get status(): PaymentStatus {
    return this.state.status;
  }

  /** Grows with every recorded event, so waits can tell "something happened" from silence. */
  get version(): number {
    return paymentVersion(this.state);
  }

  /** Set once the run is about to continue as new: followers waiting for a change are answered and come back. */
  handingOver = false;

  /** Resolves with the state once it differs from what a follower has `seen` (paymentChangeUpdate). */
  async changeAfter(request: PaymentChangeRequest): Promise<PaymentState> {
    const seen = typeof request?.seen === 'number' ? request.seen : -1; // untrusted: anything else answers at once
    await condition(() => this.version !== seen || this.final || this.handingOver);
    return this.state;
  }

  get final(): boolean {
    return isTerminal(this.state.status);
  }

  /** Folds a transfer update (already validated) into the state. */
  applyTransfer(update: TransferUpdate): void {
    this.set(applyTransferUpdate(this.state, update, now(), this.cancelling));
  }

  /** Folds an approval update (already validated) into the state. */
  applyApproval(update: ApprovalUpdate): void {
    this.set(applyApprovalUpdate(this.state, update, now(), this.cancelling));
  }

  /**
   * Validates an untrusted signal payload and folds it in. The check is pure and never throws, so a malformed
   * payload is recorded with its field errors instead of failing the workflow task (which would retry forever).
   * It is not zod (paymentUpdateSchema): zod in the bundle cost every cached payment about 1 MiB of worker memory.
   * `legacyKind` is the kind a superseded signal's name implied, for payloads sent without one.
   */
  acceptUpdate(raw: unknown, legacyKind?: PaymentUpdate['kind']): void {
    const payload = legacyKind && typeof raw === 'object' && raw !== null ? { ...raw, kind: legacyKind } : raw;
    const checked = checkPaymentUpdate(payload);
    if (!checked.ok) {
      const named = typeof raw === 'object' && raw !== null && 'kind' in raw ? String(raw.kind) : 'payment';
      const kind = legacyKind ?? named;
      this.note({ source: 'webhook', event: `malformed ${kind} update`, note: fieldErrorLine(checked.errors) });
      return;
    }
    if (checked.update.kind === 'transfer') this.applyTransfer(checked.update);
    else this.applyApproval(checked.update);
  }

  /** Records something that changes no state. */
  note(entry: EntryInput, applied = false): void {
    this.set(record(this.state, entry, now(), applied));
  }

  /** Ends the payment (no-op when it is already final). */
  finish(status: PaymentStatus, reason: string, entry: EntryInput, failureType?: string): void {
    const next = finish(this.state, status, reason, entry, now());
    const moved = next.status !== this.state.status;
    this.set(moved && failureType ? { ...next, failureType } : next);
  }

  /** Starts the next attempt with a new externalId. */
  nextAttempt(why: string): void {
    this.escalation = undefined;
    this.set(beginAttempt(this.state, transferExternalId(this.state.paymentId, this.state.attempt + 1), why, now()));
  }

  /**
   * The wallet paying the current attempt: the request's, or the one its pool chose. Empty only while a pool payment
   * has no wallet yet, when it has no transfer either, so nothing reads it for a Dfns call.
   */
  get walletId(): string {
    return this.state.wallet ?? this.input.request.walletId ?? '';
  }

  /**
   * Who pays, as the activities check it against the clients file: the client the payment was started for, or none.
   * Always sent, so that a workflow started without a client is checked as one without, never skipped.
   */
  get payer(): { clientId?: string } {
    return this.input.clientId === undefined ? {} : { clientId: this.input.clientId };
  }

  /** The request as the current attempt sends it: from the pool's chosen wallet, with the pool's fee sponsor. */
  get attemptRequest(): PaymentWorkflowInput['request'] {
    const { request } = this.input;
    if (!this.state.wallet) return request;
    const sponsor = request.feeSponsorId ?? this.state.walletFeeSponsorId;
    return { ...request, walletId: this.state.wallet, ...(sponsor ? { feeSponsorId: sponsor } : {}) };
  }

  /** Takes the wallet the pool reserved for the current attempt, and shows it (PaymentWallet, current details). */
  assignWallet(walletId: string, feeSponsorId: string | undefined): void {
    const { waitingForFunds: _waiting, walletFeeSponsorId: _sponsor, ...rest } = this.state;
    const note = `pool ${this.input.request.pool ?? ''} chose ${walletId} for attempt ${this.state.attempt}`;
    const next = { ...rest, wallet: walletId, ...(feeSponsorId ? { walletFeeSponsorId: feeSponsorId } : {}) };
    this.set(record(next, { source: 'workflow', event: 'wallet reserved', note }, now(), true));
    upsertSearchAttributes([
      { key: PaymentWalletKey, value: walletId },
      { key: PaymentWaitingForFundsKey, value: false },
    ]);
    setCurrentDetails(paymentDetails(this.state, this.escalation));
  }

  /** Shows that no wallet of the pool can pay, until `until` (PaymentWaitingForFunds, current details). */
  startWaitingForFunds(until: string, why: string): void {
    const note = `${why}; waiting for a refill until ${until}`;
    const next = { ...this.state, waitingForFunds: { since: now(), until } };
    this.set(record(next, { source: 'workflow', event: 'waiting for funds', note }, now(), true));
    upsertSearchAttributes([{ key: PaymentWaitingForFundsKey, value: true }]);
    setCurrentDetails(paymentDetails(this.state, this.escalation));
  }

  /** Forgets which wallets were dry for this payment: after a wait, any of them may have been refilled. */
  forgetDryWallets(): void {
    if (this.state.dryWallets?.length) this.set({ ...this.state, dryWallets: [] });
  }

  /** Leaves a dry pool wallet: the next attempt, with a new externalId, goes to another wallet. */
  moveToNextWallet(why: string): void {
    this.escalation = undefined;
    const externalId = transferExternalId(this.state.paymentId, this.state.attempt + 1);
    this.set(moveToNextWallet(this.state, externalId, why, now()));
  }

  /** Flags the payment for a person, recording why. */
  flagForAttention(entry: EntryInput, why: string, applied = false): void {
    const note = entry.note ? `${entry.note}; ${why}` : why;
    this.set({ ...record(this.state, { ...entry, note }, now(), applied), needsAttention: true });
  }

  /** Marks the transfer overdue on chain, for operators filtering on PaymentStuck. */
  markStuck(note: string): void {
    this.set({ ...record(this.state, { source: 'workflow', event: 'stuck', note }, now(), true), stuck: true });
  }

  outcome(): PaymentOutcome {
    const s = this.state;
    const result: PaymentOutcome = {
      paymentId: s.paymentId,
      status: s.status,
      attempt: s.attempt,
      externalId: s.externalId,
    };
    if (s.transferId) result.transferId = s.transferId;
    if (s.txHash) result.txHash = s.txHash;
    if (s.reason) result.reason = s.reason;
    if (s.failureType) result.failureType = s.failureType;
    if (s.needsAttention) result.needsAttention = true;
    return result;
  }

  /** Pushes the state to the search attributes and current details, only when something operators see changed. */
  publish(): void {
    const s = this.state;
    const e = this.escalation;
    const steps = e ? [e.speedUps, e.cancelRequested, e.flagged, e.failures].join(',') : '';
    const key = [s.status, s.transferId, s.approvalId, s.stuck, s.needsAttention, s.txHash, s.reason, steps].join('|');
    if (key === this.published) return;
    this.published = key;
    const attributes: SearchAttributeUpdatePair[] = [
      { key: PaymentStatusKey, value: s.status },
      { key: DfnsTransferIdKey, value: s.transferId ?? null },
      { key: DfnsApprovalIdKey, value: s.approvalId ?? null },
      { key: PaymentStuckKey, value: s.stuck },
    ];
    if (!this.lean) upsertSearchAttributes(attributes);
    else {
      // Each upsert is a billable action: send only what the workflow's attributes (the start's, then every upsert's)
      // do not already say, and nothing when the only difference is PaymentStuck = false on a payment started without.
      const current = workflowInfo().typedSearchAttributes;
      const held = (pair: SearchAttributeUpdatePair): unknown => current.get(pair.key) ?? null;
      const changed = attributes.filter((pair) => held(pair) !== pair.value);
      if (changed.some((pair) => !(pair.value === false && held(pair) === null))) upsertSearchAttributes(changed);
    }
    setCurrentDetails(paymentDetails(s, e)); // free: carried on the workflow task's completion, not an action
  }

  private set(next: PaymentState): void {
    const bounded = boundTimeline(next.timeline, next.timelineSummary, this.timings.timelineLimit);
    const trimmed = { ...next, timeline: bounded.timeline, timelineSummary: bounded.summary };
    this.state = bounded.timeline === next.timeline ? next : trimmed;
    this.publish();
  }
}
