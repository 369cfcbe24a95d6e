import { DfnsApiClient } from '@dfns/sdk';
import type { DfnsCredentials } from './credentials';
import { dfnsClientOptions } from './dfns-client';
import type { DfnsSigner } from './dfns-signer';

/**
 * The Dfns API as the activities use it: the SDK client itself, narrowed to the two groups they call. Since
 * @dfns/sdk 0.8.21 abort, speed-up and cancel are SDK methods (`wallets.abortTransfer`, `speedUpTransfer`,
 * `cancelTransfer`), signed and error-mapped like every other user action, so nothing is sent by hand.
 */
export type DfnsGateway = Pick<DfnsApiClient, 'wallets' | 'policies'>;

/**
 * Builds the SDK client from credentials, signing user actions with the service account's key: `signer` when given
 * (the worker passes its own, to log where the key is and to close it), else the one the credentials select.
 */
export function createDfnsGateway(credentials: DfnsCredentials, signer?: DfnsSigner): DfnsApiClient {
  return new DfnsApiClient(dfnsClientOptions(credentials, signer));
}
