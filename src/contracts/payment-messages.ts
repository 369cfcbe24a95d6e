import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { PaymentRequest } from './payment-request';
import type { PaymentState } from './payment-state';
import type { PaymentStatus } from './payment-status';
import type { TransferUpdate } from './transfer-update';

/** The bridge signals each verified Dfns event as one provider-neutral update. */
export const transferUpdateSignal = defineSignal<[TransferUpdate]>('transferUpdate');

/** The payment's state and its full timeline. */
export const paymentStateQuery = defineQuery<PaymentState>('paymentState');

/** How long the workflow waits in silence before it reads the transfer from Dfns itself. */
export interface PaymentTimings {
  /** First poll after this much silence while the transfer is moving (Submitted, Executing, Broadcasted). */
  firstPollAfterMs: number;
  /** Silence intervals double up to this. */
  maxPollIntervalMs: number;
  /** Poll interval while a person is deciding on an approval. */
  approvalPollIntervalMs: number;
}

/** Defaults sized for Dfns's webhook latency: a lost webhook costs about a minute, the happy path no reads at all. */
export const DEFAULT_PAYMENT_TIMINGS: PaymentTimings = {
  firstPollAfterMs: 60_000,
  maxPollIntervalMs: 10 * 60_000,
  approvalPollIntervalMs: 15 * 60_000,
};

/** What the payment workflow is started with. The request has been validated before the workflow starts. */
export interface PaymentWorkflowInput {
  paymentId: string;
  request: PaymentRequest;
  timings?: Partial<PaymentTimings>;
}

/** How a payment ended. */
export interface PaymentOutcome {
  paymentId: string;
  status: PaymentStatus;
  attempt: number;
  externalId: string;
  transferId?: string;
  txHash?: string;
  reason?: string;
  failureType?: string;
}
