import { DfnsApiClient } from '@dfns/sdk';
import { userActionFetch } from '@dfns/sdk/utils/userActionFetch';
import type { DfnsCredentials } from './credentials';
import { dfnsClientOptions } from './dfns-client';

/**
 * The Dfns API as the activities use it: the SDK client, plus the two transfer calls @dfns/sdk 0.8.3 has no method
 * for (abort and speed-up arrived in 0.8.21, whose keysigner does not exist). Those go through the SDK's own signed
 * pipeline, so they are signed, authenticated and error-mapped exactly like the generated methods.
 */
export interface DfnsGateway {
  client: DfnsApiClient;
  abortTransfer(walletId: string, transferId: string): Promise<unknown>;
  speedUpTransfer(walletId: string, transferId: string): Promise<unknown>;
}

/** Builds the gateway from credentials, signing user actions with the service account's key. */
export function createDfnsGateway(credentials: DfnsCredentials): DfnsGateway {
  const options = dfnsClientOptions(credentials);
  const transferPath = (walletId: string, transferId: string, action: string) =>
    `/wallets/${encodeURIComponent(walletId)}/transfers/${encodeURIComponent(transferId)}/${action}`;
  const signed = async (method: 'POST' | 'PUT', path: string): Promise<unknown> => {
    const response = await userActionFetch(path, { method, body: {}, apiOptions: options });
    return response.json();
  };
  return {
    client: new DfnsApiClient(options),
    abortTransfer: (walletId, transferId) => signed('PUT', transferPath(walletId, transferId, 'abort')),
    speedUpTransfer: (walletId, transferId) => signed('POST', transferPath(walletId, transferId, 'speed-up')),
  };
}
