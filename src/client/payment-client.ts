import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { paymentIdFor } from '../contracts/payment-id';
import {
  paymentStateQuery,
  type PaymentOutcome,
  type PaymentTimings,
  type PaymentWorkflowInput,
} from '../contracts/payment-messages';
import { paymentRequestSchema, toFieldIssues, type PaymentRequest } from '../contracts/payment-request';
import type { PaymentState } from '../contracts/payment-state';
import { paymentSummary } from '../contracts/payment-summary';
import { PaymentAssetKey, PaymentNetworkKey, PaymentStatusKey, PaymentWalletKey } from '../contracts/search-attributes';
import { PaymentConflictError, PaymentNotFoundError, PaymentValidationError } from './payment-errors';
import { requestHash } from './request-hash';

/** Where payments run, and optional timing overrides (tests shorten the polling safety net). */
export interface PaymentClientOptions {
  taskQueue: string;
  timings?: Partial<PaymentTimings>;
}

/** A started (or found) payment. `created` is false when the idempotency key already had this exact payment. */
export interface StartedPayment {
  paymentId: string;
  created: boolean;
}

/** Validates a payment request, throwing PaymentValidationError that names every bad field. */
export function parsePaymentRequest(input: unknown): PaymentRequest {
  const parsed = paymentRequestSchema.safeParse(input);
  if (!parsed.success) throw new PaymentValidationError(toFieldIssues(parsed.error));
  return parsed.data;
}

/** The typed client services use: start a payment idempotently, read its state, wait for its outcome. */
export class PaymentClient {
  constructor(
    private readonly temporal: Client,
    private readonly options: PaymentClientOptions,
  ) {}

  /**
   * Starts the payment for `input.idempotencyKey`, or returns the existing one when the same key comes with the
   * same request. The same key with a different request throws PaymentConflictError; nothing is started.
   */
  async start(input: unknown): Promise<StartedPayment> {
    const request = parsePaymentRequest(input);
    const paymentId = paymentIdFor(request.idempotencyKey);
    const hash = requestHash(request);
    const args: PaymentWorkflowInput = { paymentId, request, ...(this.options.timings ? { timings: this.options.timings } : {}) };
    try {
      await this.temporal.workflow.start('paymentWorkflow', {
        workflowId: paymentId,
        taskQueue: this.options.taskQueue,
        args: [args],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { requestHash: hash },
        staticSummary: paymentSummary(request),
        typedSearchAttributes: [
          { key: PaymentStatusKey, value: 'Accepted' },
          { key: PaymentWalletKey, value: request.walletId },
          { key: PaymentNetworkKey, value: request.network },
          { key: PaymentAssetKey, value: request.asset.kind === 'Native' ? 'Native' : request.asset.contract },
        ],
      });
      return { paymentId, created: true };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    const existing = await this.temporal.workflow.getHandle(paymentId).describe();
    if (existing.memo?.requestHash !== hash) throw new PaymentConflictError(paymentId);
    return { paymentId, created: false };
  }

  /** The payment's current state and timeline. */
  async getState(paymentId: string): Promise<PaymentState> {
    try {
      return await this.temporal.workflow.getHandle(paymentId).query(paymentStateQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new PaymentNotFoundError(paymentId);
      throw error;
    }
  }

  /** Resolves when the payment reaches a final state. */
  async waitForOutcome(paymentId: string): Promise<PaymentOutcome> {
    try {
      return (await this.temporal.workflow.getHandle(paymentId).result()) as PaymentOutcome;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new PaymentNotFoundError(paymentId);
      throw error;
    }
  }
}
