import type { DfnsApiClient } from '@dfns/sdk';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../src/contracts/failure-types';
import type { PaymentRequest } from '../src/contracts/payment-request';
import type { TransferUpdate } from '../src/contracts/transfer-update';
import { toDfnsFailure } from '../src/dfns/dfns-failure';
import { toDfnsTransferBody } from '../src/dfns/transfer-body';
import { dfnsTransferSchema, toTransferUpdate } from '../src/dfns/transfer-schema';

/** What the submit activity needs: the request, and the externalId that makes a retry land on the same transfer. */
export interface SubmitTransferInput {
  request: PaymentRequest;
  externalId: string;
}

/** What the poll activity needs to read one transfer back. */
export interface GetTransferInput {
  walletId: string;
  transferId: string;
}

/** The activity's dependencies, injected so tests and workers choose the real client and its base URL. */
export interface DfnsActivityDeps {
  dfns: DfnsApiClient;
}

function parseTransfer(raw: unknown, operation: string, source: TransferUpdate['source']): TransferUpdate {
  const parsed = dfnsTransferSchema.safeParse(raw);
  const update = parsed.success ? toTransferUpdate(parsed.data, { source, eventKind: operation }) : undefined;
  if (!update) {
    // A transfer we cannot read is retried: an unreadable answer is not evidence that nothing was sent.
    throw ApplicationFailure.retryable(`${operation}: Dfns returned a transfer the orchestrator cannot read`, FailureType.DfnsUnavailable);
  }
  return update;
}

/** Creates the Dfns activities; they are the only code that talks to Dfns. */
export function createDfnsActivities({ dfns }: DfnsActivityDeps) {
  return {
    /** Creates (or, on retry, finds) the transfer for one attempt. Dfns's externalId idempotency makes it safe to repeat. */
    async submitTransfer({ request, externalId }: SubmitTransferInput): Promise<TransferUpdate> {
      let raw: unknown;
      try {
        raw = await dfns.wallets.transferAsset({ walletId: request.walletId, body: toDfnsTransferBody(request, externalId) });
      } catch (error) {
        throw toDfnsFailure(error, 'transferAsset');
      }
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
    async getTransfer({ walletId, transferId }: GetTransferInput): Promise<TransferUpdate> {
      let raw: unknown;
      try {
        raw = await dfns.wallets.getTransfer({ walletId, transferId });
      } catch (error) {
        throw toDfnsFailure(error, 'getTransfer');
      }
      return parseTransfer(raw, 'getTransfer', 'poll');
    },
  };
}

/** The activity functions, as the workflow proxies them. */
export type DfnsActivities = ReturnType<typeof createDfnsActivities>;
