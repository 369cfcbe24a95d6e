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

/** The payment's state and its full timeline. */
export const paymentStateQuery = defineQuery<PaymentState>('paymentState');

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
}

/** Defaults sized for Dfns's webhook latency and human approvers. */
export const DEFAULT_PAYMENT_TIMINGS: PaymentTimings = {
  firstPollAfterMs: 60_000,
  maxPollIntervalMs: 10 * 60_000,
  approvalPollIntervalMs: 15 * 60_000,
  approvalGraceMs: 5 * 60_000,
  maxApprovalWaitMs: 3 * 24 * 3_600_000,
  maxAutoAttempts: 3,
  operatorWindowMs: 7 * 24 * 3_600_000,
};

/** What the payment workflow is started with. The request has been validated before the workflow starts. */
export interface PaymentWorkflowInput {
  paymentId: string;
  /** The API client (tenant) that started it, recorded in the state. */
  clientId?: string;
  request: PaymentRequest;
  timings?: Partial<PaymentTimings>;
}

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
