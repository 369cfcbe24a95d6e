import { DfnsApiClient, type DfnsApiClientOptions } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import type { DfnsCredentials } from './credentials';

/** The SDK options for a set of credentials: the base URL, the bearer token, and the key that signs user actions. */
export function dfnsClientOptions(credentials: DfnsCredentials): DfnsApiClientOptions {
  return {
    baseUrl: credentials.baseUrl,
    authToken: credentials.authToken,
    ...(credentials.orgId ? { orgId: credentials.orgId } : {}),
    signer: new AsymmetricKeySigner({ credId: credentials.credId, privateKey: credentials.privateKey }),
  };
}

/** Builds the real Dfns SDK client, signing user actions with the credential's key. */
export function createDfnsClient(credentials: DfnsCredentials): DfnsApiClient {
  return new DfnsApiClient(dfnsClientOptions(credentials));
}
