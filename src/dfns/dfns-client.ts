import { DfnsApiClient } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import type { DfnsCredentials } from '../config';

/** Builds the real Dfns SDK client, signing user actions with the service account's key. */
export function createDfnsClient(credentials: DfnsCredentials): DfnsApiClient {
  return new DfnsApiClient({
    baseUrl: credentials.baseUrl,
    authToken: credentials.authToken,
    ...(credentials.orgId ? { orgId: credentials.orgId } : {}),
    signer: new AsymmetricKeySigner({ credId: credentials.credId, privateKey: credentials.privateKey }),
  });
}
