import { DfnsError } from '@dfns/sdk';
import { ApplicationFailure } from '@temporalio/common';
import type { CallbackActivities, OutcomeCallbackInput } from '../../activities/callback-activities';
import type { ApprovalRef, DfnsActivities, SubmitTransferInput, TransferRef } from '../../activities/dfns-activities';
import type { ApprovalState, ApprovalUpdate } from '../../src/contracts/approval-update';
import type { PaymentOutcome } from '../../src/contracts/payment-messages';
import type { TransferState, TransferUpdate } from '../../src/contracts/transfer-update';
import { toDfnsFailure } from '../../src/dfns/dfns-failure';

/**
 * What the submit activity throws when Dfns refuses `transferAsset` with `status` and this error body: a real
 * SDK DfnsError put through the real mapping, so workflow tests see exactly what the activity sends.
 */
export function dfnsRefusal(
  status: number,
  message: string,
  details?: Record<string, unknown>,
  attempt = 1,
): ApplicationFailure {
  const body = { error: { id: 'err-1', status, message, ...(details ? { details } : {}) } };
  const url = 'http://127.0.0.1/wallets/wa-1/transfers';
  const error = new DfnsError(status, message, { url, headers: new Headers(), body });
  return toDfnsFailure(error, 'transferAsset', attempt);
}

/** One transfer as the fake Dfns holds it. */
export interface FakeTransfer {
  id: string;
  externalId: string;
  status: TransferState;
  approvalId?: string;
  txHash?: string;
  reason?: string;
}

/** One approval as the fake Dfns holds it. */
export interface FakeApproval {
  id: string;
  externalId: string;
  status: ApprovalState;
  expirationDate?: string;
  reason?: string;
  decidedBy?: string;
}

/**
 * A scripted stand-in for the Dfns activities in workflow tests (the sandbox plays Dfns in integration tests).
 * It keeps Dfns's truth for each transfer and approval, records every call, and lets a test script what each
 * submission and read answers.
 */
export class FakeDfns {
  readonly transfers = new Map<string, FakeTransfer>();
  readonly approvals = new Map<string, FakeApproval>();
  readonly calls: string[] = [];
  /** The outcomes delivered by callback, and every input the callback activity was called with. */
  readonly callbacks: PaymentOutcome[] = [];
  readonly callbackInputs: OutcomeCallbackInput[] = [];
  /** What the callback activity throws (a delivery that fails); by default it is delivered. */
  onCallback: (input: OutcomeCallbackInput) => Error | undefined = () => undefined;
  /** How a new transfer starts; by default Pending without approval. */
  onSubmit: (input: SubmitTransferInput, attempt: number) => Partial<FakeTransfer> | Error = () => ({});
  /** Applied to a transfer each time it is read, to script progress seen only by polling. */
  onRead: (transfer: FakeTransfer, reads: number) => Partial<FakeTransfer> = () => ({});
  onSpeedUp: (transfer: FakeTransfer) => Partial<FakeTransfer> | Error = () => ({ txHash: `0x${'b'.repeat(64)}` });
  /** What a cancel by replacement does to the transfer (nothing yet, by default: the replacement is pending). */
  onCancel: (transfer: FakeTransfer) => Error | undefined = () => undefined;
  private reads = 0;

  /** Moves a transfer as Dfns would, and returns the update a webhook would carry. */
  set(externalId: string, patch: Partial<FakeTransfer>, eventKind = 'wallet.transfer.test'): TransferUpdate {
    const transfer = this.transfer(externalId);
    Object.assign(transfer, patch);
    return this.update(transfer, 'webhook', eventKind);
  }

  /** Decides an approval as Dfns would, and returns the update a webhook would carry. */
  decide(approvalId: string, patch: Partial<FakeApproval>, eventKind = 'policy.approval.resolved'): ApprovalUpdate {
    const approval = this.approvals.get(approvalId);
    if (!approval) throw new Error(`no approval ${approvalId}`);
    Object.assign(approval, patch);
    return this.approvalUpdate(approval, 'webhook', eventKind);
  }

  transfer(externalId: string): FakeTransfer {
    const transfer = this.transfers.get(externalId);
    if (!transfer) throw new Error(`no transfer for ${externalId}`);
    return transfer;
  }

  count(name: string): number {
    return this.calls.filter((call) => call === name).length;
  }

  update(transfer: FakeTransfer, source: TransferUpdate['source'], eventKind: string): TransferUpdate {
    const update: TransferUpdate = {
      kind: 'transfer',
      source,
      externalId: transfer.externalId,
      transferId: transfer.id,
      status: transfer.status,
      eventKind,
      eventTime: new Date().toISOString(),
    };
    if (transfer.approvalId) update.approvalId = transfer.approvalId;
    if (transfer.txHash) update.txHash = transfer.txHash;
    if (transfer.reason) update.reason = transfer.reason;
    return update;
  }

  approvalUpdate(approval: FakeApproval, source: ApprovalUpdate['source'], eventKind: string): ApprovalUpdate {
    const update: ApprovalUpdate = {
      kind: 'approval',
      source,
      approvalId: approval.id,
      externalId: approval.externalId,
      status: approval.status,
      eventKind,
      eventTime: new Date().toISOString(),
    };
    if (approval.expirationDate) update.expirationDate = approval.expirationDate;
    if (approval.reason) update.reason = approval.reason;
    if (approval.decidedBy) update.decidedBy = approval.decidedBy;
    return update;
  }

  private byId(transferId: string): FakeTransfer {
    const transfer = [...this.transfers.values()].find((t) => t.id === transferId);
    if (!transfer) throw ApplicationFailure.nonRetryable(`no transfer ${transferId}`, 'NotFound');
    return transfer;
  }

  /** The activity implementations the test worker registers. */
  readonly activities: DfnsActivities & CallbackActivities = {
    submitTransfer: async (input: SubmitTransferInput) => {
      this.calls.push('submitTransfer');
      const existing = this.transfers.get(input.externalId);
      if (existing) return this.update(existing, 'submit', 'transferAsset');
      const scripted = this.onSubmit(input, this.transfers.size + 1);
      if (scripted instanceof Error) throw scripted;
      const transfer: FakeTransfer = {
        id: `xfr-${this.transfers.size + 1}`,
        externalId: input.externalId,
        status: 'Submitted',
        ...scripted,
      };
      if (transfer.approvalId && !this.approvals.has(transfer.approvalId)) {
        this.approvals.set(transfer.approvalId, {
          id: transfer.approvalId,
          externalId: input.externalId,
          status: 'Pending',
        });
      }
      this.transfers.set(input.externalId, transfer);
      return this.update(transfer, 'submit', 'transferAsset');
    },
    getTransfer: async ({ transferId }: TransferRef) => {
      this.calls.push('getTransfer');
      const transfer = this.byId(transferId);
      Object.assign(transfer, this.onRead(transfer, ++this.reads));
      return this.update(transfer, 'poll', 'getTransfer');
    },
    getApproval: async ({ approvalId }: ApprovalRef) => {
      this.calls.push('getApproval');
      const approval = this.approvals.get(approvalId);
      if (!approval) throw ApplicationFailure.nonRetryable(`no approval ${approvalId}`, 'NotFound');
      return this.approvalUpdate(approval, 'poll', 'getApproval');
    },
    denyApproval: async ({ approvalId, reason }: ApprovalRef) => {
      this.calls.push('denyApproval');
      const approval = this.approvals.get(approvalId);
      if (!approval) throw ApplicationFailure.nonRetryable(`no approval ${approvalId}`, 'NotFound');
      if (approval.status !== 'Pending')
        throw ApplicationFailure.nonRetryable(`approval is ${approval.status}`, 'InvalidTransfer');
      Object.assign(approval, { status: 'Denied', reason, decidedBy: 'us-service-account' });
      const transfer = this.transfer(approval.externalId);
      Object.assign(transfer, { status: 'Rejected', reason: 'Denied by approver' });
      return this.approvalUpdate(approval, 'operator', 'denyApproval');
    },
    abortTransfer: async ({ transferId }: TransferRef) => {
      this.calls.push('abortTransfer');
      const transfer = this.byId(transferId);
      if (transfer.status === 'Broadcasted' || transfer.status === 'Confirmed') {
        throw ApplicationFailure.nonRetryable('transfer cannot be aborted once broadcast', 'InvalidTransfer');
      }
      Object.assign(transfer, { status: 'Failed', reason: 'Aborted' }); // Dfns documents abort as Failed, nothing on chain
      return this.update(transfer, 'poll', 'abortTransfer');
    },
    speedUpTransfer: async ({ transferId }: TransferRef) => {
      this.calls.push('speedUpTransfer');
      const transfer = this.byId(transferId);
      const scripted = this.onSpeedUp(transfer);
      if (scripted instanceof Error) throw scripted;
      Object.assign(transfer, scripted);
      return this.update(transfer, 'poll', 'speedUpTransfer');
    },
    cancelTransfer: async ({ transferId }: TransferRef) => {
      this.calls.push('cancelTransfer');
      const transfer = this.byId(transferId);
      const scripted = this.onCancel(transfer);
      if (scripted instanceof Error) throw scripted;
      const replacement = { id: `tx-cancel-${transfer.id}`, status: 'Broadcasted', txHash: `0x${'c'.repeat(64)}` };
      return { transfer: this.update(transfer, 'poll', 'cancelTransfer'), replacement };
    },
    sendOutcomeCallback: async (input: OutcomeCallbackInput) => {
      this.calls.push('sendOutcomeCallback');
      this.callbackInputs.push(input);
      const failure = this.onCallback(input);
      if (failure) throw failure;
      this.callbacks.push(input.outcome);
      return { status: 200 };
    },
  };
}
