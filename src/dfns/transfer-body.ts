import type { DfnsApiClient } from '@dfns/sdk';
import type { PaymentRequest } from '../contracts/payment-request';

/** The body `wallets.transferAsset` takes, as the SDK types it. */
export type DfnsTransferBody = Parameters<DfnsApiClient['wallets']['transferAsset']>[0]['body'];

/**
 * Builds the Dfns transfer body for one attempt (https://docs.dfns.co/api-reference/wallets/transfer-asset). It is a
 * pure function of the request and the externalId, so a retried activity sends byte-identical JSON and Dfns answers
 * with the transfer it already holds. `feeSponsorId` is sent only when the request names one (validation allows it
 * only where Dfns offers sponsors), and `travelRule` (the Notabene payload) only when the request carries it.
 */
export function toDfnsTransferBody(request: PaymentRequest, externalId: string): DfnsTransferBody {
  const { asset, to, amount } = request;
  // Optional fields are sent only when the request has them, so bodies of payments without them are unchanged.
  const sponsor = {
    ...(request.feeSponsorId === undefined ? {} : { feeSponsorId: request.feeSponsorId }),
    ...(request.travelRule === undefined ? {} : { travelRule: request.travelRule }),
  };
  switch (asset.kind) {
    case 'Native':
      return { kind: 'Native', to, amount, externalId, ...sponsor };
    case 'Erc20':
      return { kind: 'Erc20', contract: asset.contract, to, amount, externalId, ...sponsor };
    case 'Trc20':
      return { kind: 'Trc20', contract: asset.contract, to, amount, externalId, ...sponsor };
    case 'Spl':
    case 'Spl2022':
      // The same body for both token programs (docs.dfns.co/networks/solana: `Spl2022` for Token Extensions mints);
      // `allowOwnerOffCurve` is the orchestrator's own check and is not sent.
      return {
        kind: asset.kind,
        mint: asset.mint,
        to,
        amount,
        createDestinationAccount: asset.createDestinationAccount,
        externalId,
        ...sponsor,
      };
  }
}
