import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  WorkflowUpdateStage,
  type Client,
} from '@temporalio/client';
import { toFieldErrors } from '../contracts/field-errors';
import { paymentIdFor } from '../contracts/payment-id';
import {
  cancelUpdate,
  changeUpdateId,
  PAYMENT_BASELINE,
  paymentChangeUpdate,
  paymentReadUpdate,
  paymentSnapshotUpdate,
  paymentStateQuery,
  retryUpdate,
  speedUpUpdate,
  type OperatorRequest,
  type OperatorResult,
  type PaymentOutcome,
  type PaymentSnapshot,
  type PaymentTimings,
  type PaymentWorkflowInput,
} from '../contracts/payment-messages';
import type { PaymentStatus } from '../contracts/payment-status';
import { assetIdentifier, paymentRequestSchema, type PaymentRequest } from '../contracts/payment-request';
import type { PaymentState } from '../contracts/payment-state';
import { paymentSummary } from '../contracts/payment-summary';
import {
  PaymentAssetKey,
  PaymentClientIdKey,
  PaymentNetworkKey,
  PaymentStatusKey,
  PaymentWalletKey,
} from '../contracts/search-attributes';
import { PAYMENT_WORKFLOW_TYPE, PAYMENT_WORKFLOWS_CLAUSE } from '../contracts/workflow-types';
import {
  OperatorActionRefusedError,
  PaymentConflictError,
  PaymentNotFoundError,
  PaymentValidationError,
} from './payment-errors';
import { requestHash } from './request-hash';
import { closedPaymentState } from './closed-payment-state';
import { readWorkflow, type ReadSource, type WorkflowRead } from '../temporal/workflow-reads';

/**
 * How a payment is read: a running one through its read Update, a closed one by query, and, when a running one
 * refuses reads, from the last state an Update returned (its own reads, a follower's long-poll, a start's snapshot).
 */
export const PAYMENT_READ: WorkflowRead<PaymentState> = {
  update: paymentReadUpdate,
  query: paymentStateQuery,
  recorded: {
    [paymentReadUpdate.name]: (outcome) => outcome as PaymentState,
    [paymentChangeUpdate.name]: (outcome) => outcome as PaymentState,
    [paymentSnapshotUpdate.name]: (outcome) => (outcome as PaymentSnapshot).state,
  },
};

/** Where payments run, for which client, and optional timing overrides (tests shorten the polling safety net). */
export interface PaymentClientOptions {
  taskQueue: string;
  timings?: Partial<PaymentTimings>;
  /**
   * The client (tenant) the payments it starts belong to, as the API's would (`payment:<client>:<key>`): they pay
   * from that client's wallets and pools. Without it they belong to no client and pay only from what the clients
   * file binds to payments without one (`withoutClient`). The worker checks either before any Dfns call.
   */
  clientId?: string;
  /** Told how each read was answered (the API counts them). */
  onRead?: (source: ReadSource | 'outcome') => void;
}

/** A started (or found) payment. `created` is false when the idempotency key already had this exact payment. */
export interface StartedPayment {
  paymentId: string;
  created: boolean;
}

/** One row of a payment listing, from Temporal's visibility store (eventually consistent). */
export interface PaymentListItem {
  paymentId: string;
  status?: string;
  startTime: Date;
  closeTime?: Date;
  running: boolean;
}

/** Validates a payment request, throwing PaymentValidationError that names every bad field. */
export function parsePaymentRequest(input: unknown): PaymentRequest {
  const parsed = paymentRequestSchema.safeParse(input);
  if (!parsed.success) throw new PaymentValidationError(toFieldErrors(parsed.error, { root: '(request)' }));
  return parsed.data;
}

/** A payment workflow's input, as every starter builds it: the timings only when the starter was given some. */
export function paymentWorkflowInput(
  paymentId: string,
  request: PaymentRequest,
  options: { clientId?: string; timings?: Partial<PaymentTimings> } = {},
): PaymentWorkflowInput {
  return {
    paymentId,
    ...(options.clientId !== undefined ? { clientId: options.clientId } : {}),
    request,
    ...(options.timings ? { timings: options.timings } : {}),
    baseline: PAYMENT_BASELINE,
  };
}

/** The typed client services use: start a payment idempotently, read its state, wait for its outcome. */
export class PaymentClient {
  constructor(
    private readonly temporal: Client,
    private readonly options: PaymentClientOptions,
  ) {}

  /** The id of the payment an idempotency key names for this client. */
  paymentId(idempotencyKey: string): string {
    return paymentIdFor(idempotencyKey, this.options.clientId);
  }

  /**
   * Starts the payment for `input.idempotencyKey`, or returns the existing one when the same key comes with the
   * same request. The same key with a different request throws PaymentConflictError; nothing is started.
   */
  async start(input: unknown): Promise<StartedPayment> {
    const request = parsePaymentRequest(input);
    const { clientId, timings } = this.options;
    const paymentId = this.paymentId(request.idempotencyKey);
    const hash = requestHash(request);
    const args = paymentWorkflowInput(paymentId, request, { clientId, timings });
    try {
      await this.temporal.workflow.start(PAYMENT_WORKFLOW_TYPE, {
        workflowId: paymentId,
        taskQueue: this.options.taskQueue,
        args: [args],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { requestHash: hash },
        staticSummary: paymentSummary(request),
        typedSearchAttributes: [
          { key: PaymentStatusKey, value: 'Accepted' },
          ...(clientId !== undefined ? [{ key: PaymentClientIdKey, value: clientId }] : []),
          ...(request.walletId ? [{ key: PaymentWalletKey, value: request.walletId }] : []),
          { key: PaymentNetworkKey, value: request.network },
          { key: PaymentAssetKey, value: assetIdentifier(request.asset) },
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

  /**
   * The payment's current state and timeline, never by running the payment ahead of its history: a running payment
   * answers a read Update of its own (rides a workflow task), a closed one a query on its closed run.
   */
  async getState(paymentId: string): Promise<PaymentState> {
    try {
      return await readWorkflow(this.temporal, paymentId, PAYMENT_READ, { onAnswer: this.options.onRead });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new PaymentNotFoundError(paymentId);
      // A completed payment whose history no longer replays still reads as what it ended as.
      const why = error instanceof Error ? error.message : String(error);
      const closed = await closedPaymentState(this.temporal.workflow.getHandle(paymentId), why).catch(() => undefined);
      if (closed) {
        this.options.onRead?.('outcome');
        return closed;
      }
      throw error;
    }
  }

  /**
   * Long-polls for a change: the payment's state once its version differs from `seen` (or it is final), or undefined
   * when `waitMs` passes first. One Update (one action) per change, shared by every follower waiting past the same
   * version; a closed payment takes no Update and is read instead.
   */
  async waitForChange(paymentId: string, seen: number, waitMs: number): Promise<PaymentState | undefined> {
    const handle = this.temporal.workflow.getHandle(paymentId);
    try {
      return await this.temporal.withDeadline(Date.now() + waitMs, () =>
        handle.executeUpdate(paymentChangeUpdate, { args: [{ seen }], updateId: changeUpdateId(seen) }),
      );
    } catch (error) {
      if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return undefined;
      if (error instanceof WorkflowNotFoundError) return this.getState(paymentId); // closed, or no such payment
      throw error;
    }
  }

  /**
   * Lists payments, newest first, optionally only those in one status (e.g. "AwaitingApproval", "AttemptFailed");
   * with a client id, only that client's.
   */
  async list(options: { status?: PaymentStatus; stuck?: boolean; limit?: number } = {}): Promise<PaymentListItem[]> {
    const clauses = [PAYMENT_WORKFLOWS_CLAUSE];
    if (this.options.clientId !== undefined) clauses.push(`PaymentClient = '${this.options.clientId}'`);
    if (options.status) clauses.push(`PaymentStatus = '${options.status}'`);
    if (options.stuck !== undefined) clauses.push(`PaymentStuck = ${options.stuck}`);
    const items: PaymentListItem[] = [];
    for await (const execution of this.temporal.workflow.list({
      query: clauses.join(' AND '),
      pageSize: Math.min(options.limit ?? 50, 1000),
    })) {
      const status = execution.typedSearchAttributes.get(PaymentStatusKey);
      items.push({
        paymentId: execution.workflowId,
        ...(status ? { status } : {}),
        startTime: execution.startTime,
        ...(execution.closeTime ? { closeTime: execution.closeTime } : {}),
        running: execution.status.name === 'RUNNING',
      });
      if (items.length >= (options.limit ?? 50)) break;
    }
    return items;
  }

  /** Cancels a payment that has not been broadcast (denies its approval as the initiator, or aborts the transfer). */
  cancel(paymentId: string, request: OperatorRequest = {}): Promise<OperatorResult> {
    return this.operatorAction(paymentId, cancelUpdate, request);
  }

  /** Retries a payment whose last attempt failed with nothing on chain, as a new attempt with a new externalId. */
  retry(paymentId: string, request: OperatorRequest = {}): Promise<OperatorResult> {
    return this.operatorAction(paymentId, retryUpdate, request);
  }

  /** Asks Dfns to rebroadcast a broadcast transfer with a higher fee. */
  speedUp(paymentId: string, request: OperatorRequest = {}): Promise<OperatorResult> {
    return this.operatorAction(paymentId, speedUpUpdate, request);
  }

  private async operatorAction(
    paymentId: string,
    update: typeof cancelUpdate,
    request: OperatorRequest,
  ): Promise<OperatorResult> {
    return (await this.acceptOperatorAction(paymentId, update, request)).result();
  }

  /**
   * Sends an operator action and answers once the payment has accepted it (its checks passed), with its result to
   * await: an action that waits its turn in the Dfns budget goes on whether or not anyone awaits it. A refusal, at
   * acceptance or after, is an OperatorActionRefusedError; an unknown payment a PaymentNotFoundError. The same
   * `updateId` on the same payment run is the same action: Temporal answers it with the first one's outcome.
   */
  async acceptOperatorAction(
    paymentId: string,
    update: typeof cancelUpdate,
    request: OperatorRequest,
    options: { updateId?: string } = {},
  ): Promise<{ updateId: string; result(): Promise<OperatorResult> }> {
    const handle = this.temporal.workflow.getHandle(paymentId);
    const refused = async (error: unknown): Promise<never> => {
      if (error instanceof WorkflowNotFoundError) {
        // Temporal answers "not found" for a closed workflow too: tell the operator which it is.
        const closed = await handle.describe().catch(() => undefined);
        if (!closed) throw new PaymentNotFoundError(paymentId);
        const status = closed.typedSearchAttributes.get(PaymentStatusKey) ?? closed.status.name;
        throw new OperatorActionRefusedError(paymentId, `the payment is closed (${status}); nothing can change it now`);
      }
      if (error instanceof WorkflowUpdateFailedError)
        throw new OperatorActionRefusedError(paymentId, error.cause?.message ?? error.message);
      throw error;
    };
    const accepted = await handle
      .startUpdate(update, {
        args: [request],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
        ...(options.updateId ? { updateId: options.updateId } : {}),
      })
      .catch(refused);
    return { updateId: accepted.updateId, result: () => accepted.result().catch(refused) };
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
