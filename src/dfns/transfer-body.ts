import type { DfnsApiClient } from '@dfns/sdk';
import type { PaymentRequest } from '../contracts/payment-request';

/** The body `wallets.transferAsset` takes, as the SDK types it. */
export type DfnsTransferBody = Parameters<DfnsApiClient['wallets']['transferAsset']>[0]['body'];

/**
 * Builds the Dfns transfer body for one attempt. It is a pure function of the request and the externalId, so a
 * retried activity sends byte-identical JSON and Dfns answers with the transfer it already holds.
 */
export function toDfnsTransferBody(request: PaymentRequest, externalId: string): DfnsTransferBody {
  if (request.asset.kind === 'Native') {
    return { kind: 'Native', to: request.to, amount: request.amount, externalId };
  }
  return { kind: 'Erc20', contract: request.asset.contract, to: request.to, amount: request.amount, externalId };
}
