import { DfnsApiClient, type DfnsApiClientOptions } from '@dfns/sdk';
import type { DfnsCredentials } from './credentials';
import { createDfnsSigner, type DfnsSigner } from './dfns-signer';

/**
 * The SDK options for a set of credentials: the base URL, the bearer token, and the signer of user actions (by
 * default the one the credentials' key source selects: a PEM key or a PKCS#11 token).
 */
export function dfnsClientOptions(
  credentials: DfnsCredentials,
  signer: DfnsSigner = createDfnsSigner(credentials),
): DfnsApiClientOptions {
  return {
    baseUrl: credentials.baseUrl,
    authToken: credentials.authToken,
    ...(credentials.orgId ? { orgId: credentials.orgId } : {}),
    signer,
  };
}

/** Builds the real Dfns SDK client, signing user actions with the credential's key (or the signer given). */
export function createDfnsClient(credentials: DfnsCredentials, signer?: DfnsSigner): DfnsApiClient {
  return new DfnsApiClient(dfnsClientOptions(credentials, signer));
}
