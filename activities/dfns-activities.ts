import { ApplicationFailure } from '@temporalio/common';
import { refuseUnboundPayer, type Payer, type PayerCheckDeps } from '../src/clients/payer-check';
import type { ApprovalUpdate } from '../src/contracts/approval-update';
import { FailureType } from '../src/contracts/failure-types';
import type { PaymentRequest } from '../src/contracts/payment-request';
import type { TransferUpdate } from '../src/contracts/transfer-update';
import { dfnsApprovalSchema, toApprovalUpdate } from '../src/dfns/approval-schema';
import type { DfnsGateway } from '../src/dfns/dfns-gateway';
import { toDfnsFailure } from '../src/dfns/dfns-failure';
import { toDfnsTransferBody } from '../src/dfns/transfer-body';
import {
  dfnsTransactionSchema,
  replacementIdOf,
  toReplacement,
  type Replacement,
} from '../src/dfns/transaction-schema';
import { dfnsTransferSchema, toTransferUpdate } from '../src/dfns/transfer-schema';
import { activityAttempt, payerClientId } from './payer-client';

/**
 * What the submit activity needs: the request, the externalId that makes a retry land on the same transfer, and who
 * pays (checked against the clients file before Dfns is called; see payer-client.ts for an input without it).
 */
export interface SubmitTransferInput {
  request: PaymentRequest;
  externalId: string;
  payer?: Payer;
}

/** Names one transfer. */
export interface TransferRef {
  walletId: string;
  transferId: string;
}

/** Names one approval, with the reason for a decision where one is made. */
export interface ApprovalRef {
  approvalId: string;
  reason?: string;
}

/** What a cancel did: the transfer as Dfns now shows it, and the replacement transaction it broadcast. */
export interface CancelResult {
  transfer: TransferUpdate;
  replacement?: Replacement;
}

/** The activities' dependencies, injected so tests and workers choose the real client and its base URL. */
export interface DfnsActivityDeps {
  /** The Dfns SDK client (src/dfns/dfns-gateway.ts builds it from credentials). */
  dfns: DfnsGateway;
  /** The clients and pools files, as loaded: who may pay from which wallet, checked before every submission. */
  payers: PayerCheckDeps;
}

/** Calls Dfns, turning whatever it throws into an ApplicationFailure whose type says whether to retry. */
async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toDfnsFailure(error, operation, activityAttempt());
  }
}

function parseTransfer(raw: unknown, operation: string, source: TransferUpdate['source']): TransferUpdate {
  const parsed = dfnsTransferSchema.safeParse(raw);
  const update = parsed.success ? toTransferUpdate(parsed.data, { source, eventKind: operation }) : undefined;
  // An unreadable answer is retried: it is not evidence that nothing was sent.
  if (!update)
    throw ApplicationFailure.retryable(
      `${operation}: Dfns returned a transfer the orchestrator cannot read`,
      FailureType.DfnsUnavailable,
    );
  return update;
}

function parseApproval(raw: unknown, operation: string, source: ApprovalUpdate['source']): ApprovalUpdate {
  const parsed = dfnsApprovalSchema.safeParse(raw);
  if (!parsed.success)
    throw ApplicationFailure.retryable(
      `${operation}: Dfns returned an approval the orchestrator cannot read`,
      FailureType.DfnsUnavailable,
    );
  return toApprovalUpdate(parsed.data, { source, eventKind: operation });
}

/** Creates the Dfns activities; they are the only code that talks to Dfns. */
export function createDfnsActivities({ dfns, payers }: DfnsActivityDeps) {
  const { wallets, policies } = dfns;
  return {
    /**
     * Creates (or, on retry, finds) the transfer for one attempt; Dfns's externalId idempotency makes repeats safe.
     * A payer that may not pay from the wallet (or pool) is refused first: Dfns is not called at all.
     */
    async submitTransfer({ request, externalId, payer }: SubmitTransferInput): Promise<TransferUpdate> {
      refuseUnboundPayer(payers, payerClientId(payer), request, activityAttempt());
      const walletId = request.walletId;
      if (walletId === undefined)
        throw ApplicationFailure.nonRetryable(
          'transferAsset: the request names no wallet',
          FailureType.InvalidTransfer,
        );
      const body = toDfnsTransferBody(request, externalId);
      const raw = await call('transferAsset', () => wallets.transferAsset({ walletId, body }));
      const update = parseTransfer(raw, 'transferAsset', 'submit');
      if (update.externalId !== externalId) {
        throw ApplicationFailure.nonRetryable(
          `transferAsset: Dfns returned transfer ${update.transferId} for externalId ${update.externalId}, expected ${externalId}`,
          FailureType.ExternalIdConflict,
        );
      }
      return update;
    },

    /** Reads one transfer: the safety net when webhooks are late or lost. */
    async getTransfer({ walletId, transferId }: TransferRef): Promise<TransferUpdate> {
      return parseTransfer(
        await call('getTransfer', () => wallets.getTransfer({ walletId, transferId })),
        'getTransfer',
        'poll',
      );
    },

    /** Reads one approval: its status, expiry and decisions. */
    async getApproval({ approvalId }: ApprovalRef): Promise<ApprovalUpdate> {
      return parseApproval(
        await call('getApproval', () => policies.getApproval({ approvalId })),
        'getApproval',
        'poll',
      );
    },

    /** Denies an approval as the initiator (Dfns lets the initiator always deny), so the transfer can never execute. */
    async denyApproval({ approvalId, reason }: ApprovalRef): Promise<ApprovalUpdate> {
      const body = { value: 'Denied' as const, reason: reason ?? 'denied by the payment orchestrator' };
      const raw = await call('createApprovalDecision', () => policies.createApprovalDecision({ approvalId, body }));
      return parseApproval(raw, 'denyApproval', 'operator');
    },

    /** Aborts a transfer that has not been signed yet. */
    async abortTransfer(ref: TransferRef): Promise<TransferUpdate> {
      return parseTransfer(await call('abortTransfer', () => wallets.abortTransfer(ref)), 'abortTransfer', 'poll');
    },

    /**
     * Asks Dfns to rebroadcast a broadcast transfer with a higher fee. Dfns answers with the replacement transaction,
     * not the transfer (the SDK's `SpeedUpTransferResponse` is a transaction), so the transfer is read afterwards:
     * that read is what the payment records.
     */
    async speedUpTransfer(ref: TransferRef): Promise<TransferUpdate> {
      await call('speedUpTransfer', () => wallets.speedUpTransfer(ref));
      return parseTransfer(await call('getTransfer', () => wallets.getTransfer(ref)), 'speedUpTransfer', 'poll');
    },

    /**
     * Asks Dfns to cancel a broadcast transfer by replacing it with a 0-value transaction on the same nonce. Dfns
     * answers with a transaction request; the transfer read afterwards names it in `replacementId`, which is
     * followed to the replacement transaction itself, so the payment records what was actually broadcast.
     */
    async cancelTransfer(ref: TransferRef): Promise<CancelResult> {
      const answered = await call('cancelTransfer', () => wallets.cancelTransfer(ref));
      const raw = await call('getTransfer', () => wallets.getTransfer(ref));
      const transfer = parseTransfer(raw, 'cancelTransfer', 'poll');
      const replacementId = replacementIdOf(raw) ?? dfnsTransactionSchema.safeParse(answered).data?.id;
      if (!replacementId) return { transfer };
      const transaction = await call('getTransaction', () =>
        wallets.getTransaction({ walletId: ref.walletId, transactionId: replacementId }),
      );
      const parsed = dfnsTransactionSchema.safeParse(transaction);
      const replacement = parsed.success ? toReplacement(parsed.data) : { id: replacementId, status: 'unknown' };
      return { transfer, replacement };
    },
  };
}

/** The Dfns activity functions, as the workflow proxies them. */
export type DfnsActivities = ReturnType<typeof createDfnsActivities>;
