import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ApprovalUpdate } from './approval-update';
import type { PaymentRequest } from './payment-request';
import type { PaymentState } from './payment-state';
import type { PaymentStatus } from './payment-status';
import type { PaymentUpdate } from './payment-update';
import type { TransferUpdate } from './transfer-update';

/** The bridge signals each verified webhook as one provider-neutral update, a transfer or an approval fact. */
export const paymentUpdateSignal = defineSignal<[PaymentUpdate]>('paymentUpdate');

/**
 * Superseded by `paymentUpdateSignal`; still handled, because histories of payments started before it carry
 * these signals and must replay the same way. The payload has no `kind` (the signal name said it).
 */
export const legacyTransferUpdateSignal = defineSignal<[Omit<TransferUpdate, 'kind'>]>('transferUpdate');

/** Superseded by `paymentUpdateSignal`; see `legacyTransferUpdateSignal`. */
export const legacyApprovalUpdateSignal = defineSignal<[Omit<ApprovalUpdate, 'kind'>]>('approvalUpdate');

/** The payment's state and its full timeline. Only for closed payments: a running one is read by paymentReadUpdate. */
export const paymentStateQuery = defineQuery<PaymentState>('paymentState');

/**
 * The payment's state and its full timeline, read through an Update so that the read rides a workflow task
 * (src/contracts/workflow-reads.ts). Read-only: it schedules no command. Refused once the run is due to continue as new.
 */
export const paymentReadUpdate = defineUpdate<PaymentState, []>('read');

/** The payment's state, and whether this read was the first (the one sent with the start that created it). */
export interface PaymentSnapshot {
  state: PaymentState;
  created: boolean;
}

/**
 * The payment's state, read through an Update so that the API can start a payment and read it in one round trip
 * (Update-with-Start). Read-only: it schedules no command, so running payments replay as before.
 */
export const paymentSnapshotUpdate = defineUpdate<PaymentSnapshot, []>('snapshot');

/** What a follower has seen: the payment's version (see paymentVersion). */
export interface PaymentChangeRequest {
  seen: number;
}

/**
 * The payment's state once its version differs from `seen`, or it is final: a long-poll for followers. Temporal bills
 * an Update once (https://docs.temporal.io/cloud/actions#update), and not again for a duplicate of the same Update id,
 * so followers that send `changeUpdateId(seen)` share one Update per change however many they are. It schedules no
 * command, so running payments replay as before.
 */
export const paymentChangeUpdate = defineUpdate<PaymentState, [PaymentChangeRequest]>('waitForChange');

/** The Update id every follower waiting past `seen` uses, so that they share one Update. */
export const changeUpdateId = (seen: number): string => `change-after-${seen}`;

/** How far a payment has come: every timeline entry ever recorded, including those a bounded timeline summarises. */
export function paymentVersion(state: { timeline: readonly unknown[]; timelineSummary?: { omitted: number } }): number {
  return state.timeline.length + (state.timelineSummary?.omitted ?? 0);
}

/** Who asks for an operator action, and why; recorded in the timeline. */
export interface OperatorRequest {
  operator?: string;
  reason?: string;
}

/** What an operator action did. */
export interface OperatorResult {
  status: PaymentStatus;
  message: string;
}

/** Cancel a payment that has not been broadcast: deny its approval as the initiator, or abort the transfer. */
export const cancelUpdate = defineUpdate<OperatorResult, [OperatorRequest]>('cancel');
/** Retry a failed attempt that put nothing on chain, as a new attempt with a new externalId. */
export const retryUpdate = defineUpdate<OperatorResult, [OperatorRequest]>('retry');
/** Ask Dfns to rebroadcast a broadcast transfer with a higher fee. */
export const speedUpUpdate = defineUpdate<OperatorResult, [OperatorRequest]>('speedUp');

/** How long the workflow waits for things, and how often it tries again. All durations in milliseconds. */
export interface PaymentTimings {
  /** First poll after this much silence while the transfer is moving (Submitted, Executing, Broadcasted). */
  firstPollAfterMs: number;
  /** Silence intervals double up to this. */
  maxPollIntervalMs: number;
  /** Poll interval while a person is deciding on an approval. */
  approvalPollIntervalMs: number;
  /** Added to Dfns's approval expirationDate before the workflow acts on its own. */
  approvalGraceMs: number;
  /** The approval deadline when Dfns sets no expirationDate. */
  maxApprovalWaitMs: number;
  /** Attempts made automatically when Dfns fails a transfer before broadcast (1 = no automatic retry). */
  maxAutoAttempts: number;
  /** How long a payment whose attempts are used up waits for an operator's retry before it ends Failed. */
  operatorWindowMs: number;
  /** Overrides the network's stuck threshold (tests). */
  stuckAfterMs?: number;
  /** Overrides the network's time between stuck-escalation steps (tests). */
  stuckRepeatAfterMs?: number;
  /** Override the network's block time and expected confirmation time (tests, a sandbox with a scaled clock). */
  blockTimeMs?: number;
  confirmationMs?: number;
  /**
   * Approval polling starts at approvalFirstPollMs and doubles up to approvalFastPollMs for the first
   * approvalFastWindowMs of the wait (a decision is then noticed within that interval even if every webhook is
   * lost); after that it backs off from approvalPollIntervalMs.
   */
  approvalFirstPollMs: number;
  approvalFastPollMs: number;
  approvalFastWindowMs: number;
  /** The operator's policy: whether a stuck transfer may be cancelled by replacement where Dfns supports it. */
  cancelStuckTransfers: boolean;
  /** While nothing changes, approval polling backs off from approvalPollIntervalMs up to this. */
  maxApprovalPollIntervalMs: number;
  /** Once a broadcast is stuck and its automatic steps are done, polling backs off from maxPollIntervalMs to this. */
  maxStuckPollIntervalMs: number;
  /** A failed step (a read at the approval deadline, an escalation step) is retried with backoff up to this. */
  maxRetryBackoffMs: number;
  /** A run continues as new once its history holds this many events (Temporal suggests it at about 4,000). */
  historyEventBudget: number;
  /** Timeline entries kept in full besides milestones; older routine ones are summarised as counts. */
  timelineLimit: number;
  /** Overrides the worker's configured wait for a refill of a pool no wallet of which can pay (tests). */
  refillWaitMs?: number;
  /** While waiting for a refill, the pool is asked again this often. */
  refillRecheckMs: number;
}

/** Defaults sized for Dfns's webhook latency and human approvers. */
export const DEFAULT_PAYMENT_TIMINGS: PaymentTimings = {
  firstPollAfterMs: 60_000,
  maxPollIntervalMs: 10 * 60_000,
  approvalPollIntervalMs: 15 * 60_000,
  approvalFirstPollMs: 30_000,
  approvalFastPollMs: 100_000,
  approvalFastWindowMs: 30 * 60_000,
  approvalGraceMs: 5 * 60_000,
  maxApprovalWaitMs: 3 * 24 * 3_600_000,
  maxAutoAttempts: 3,
  operatorWindowMs: 7 * 24 * 3_600_000,
  cancelStuckTransfers: false,
  maxApprovalPollIntervalMs: 4 * 3_600_000,
  maxStuckPollIntervalMs: 3_600_000,
  maxRetryBackoffMs: 3_600_000,
  historyEventBudget: 2_000,
  timelineLimit: 100,
  refillRecheckMs: 2 * 60_000,
};

/** What a run hands to the next when it continues as new: everything it knows that is not in the request. */
export interface PaymentContinuation {
  state: PaymentState;
  /** The run this one continues, counting from 1 (the first run). */
  run: number;
  retryRequested: boolean;
  /** When the wait for an operator's retry ends (workflow time, ms), if the payment is waiting for one. */
  operatorDeadline?: number;
  /** The stuck-escalation progress of the current transfer (see workflows/stuck-escalation.ts). */
  escalation?: StuckEscalation;
}

/** Where a stuck transfer's escalation stands: the next step and when it is due (workflow time, ms). */
export interface StuckEscalation {
  speedUps: number;
  cancelRequested: boolean;
  flagged: boolean;
  /** Failures of the step now due, for its backoff. */
  failures: number;
  nextAt: number;
}

/** What the payment workflow is started with. The request has been validated before the workflow starts. */
export interface PaymentWorkflowInput {
  paymentId: string;
  /** The API client (tenant) that started it, recorded in the state. */
  clientId?: string;
  request: PaymentRequest;
  timings?: Partial<PaymentTimings>;
  /** Present when this run continues an earlier one (continue-as-new). */
  continued?: PaymentContinuation;
  /**
   * The workflow changes the payment takes from its start without recording a patch marker (PAYMENT_BASELINE, see
   * workflows/baseline.ts). Absent in payments started before baselines existed: those record a marker as they reach
   * each change, and their histories say which branch they took.
   */
  baseline?: number;
}

/**
 * The baseline every starter gives a new payment (the client, the API, a batch, a continued run): baseline 2 takes
 * every change to the payment workflow guarded with patched() so far (workflows/baseline.ts lists them). Workers must
 * know it before starters send it: deploy the worker first.
 */
export const PAYMENT_BASELINE = 2;

/** How a payment ended; also the body of the outcome callback. */
export interface PaymentOutcome {
  paymentId: string;
  status: PaymentStatus;
  attempt: number;
  externalId: string;
  transferId?: string;
  txHash?: string;
  reason?: string;
  failureType?: string;
  needsAttention?: boolean;
}
