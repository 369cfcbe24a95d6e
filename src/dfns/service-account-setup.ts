import type { DfnsApiClient } from '@dfns/sdk';
import { generateKeyPairSync } from 'node:crypto';
import type { DfnsCredentials, SigningKey } from './credentials';
import { SERVICE_ACCOUNT_OPERATIONS } from './service-account-permissions';

/** What setting up the payment service account made: the role, and the new account's credentials. */
export interface ServiceAccountSetup {
  permissionId: string;
  userId: string;
  credentials: DfnsCredentials;
}

/** The key a new service account is registered with: the public half to send, and where the private half is. */
export interface ServiceAccountKey {
  publicKeyPem: string;
  signingKey: SigningKey;
}

/** A new P-256 key pair generated in this process, the private half returned as PEM (never sent). */
export function newPemServiceAccountKey(): ServiceAccountKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    signingKey: { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
  };
}

/**
 * With an admin's client, creates the role holding exactly the payment service's operations, a service account
 * registered with `key`'s public half (by default a new P-256 key pair made here), and the assignment of that role
 * to it, through the SDK (https://docs.dfns.co/api-reference/permissions, https://docs.dfns.co/api-reference/auth).
 * Only the public key is sent.
 */
export async function setUpServiceAccount(
  admin: Pick<DfnsApiClient, 'permissions' | 'auth'>,
  options: { baseUrl: string; orgId?: string; name: string; key?: ServiceAccountKey },
): Promise<ServiceAccountSetup> {
  const key = options.key ?? newPemServiceAccountKey();
  const permission = await admin.permissions.createPermission({
    body: { name: `${options.name} role`, operations: [...SERVICE_ACCOUNT_OPERATIONS] },
  });
  const account = await admin.auth.createServiceAccount({ body: { name: options.name, publicKey: key.publicKeyPem } });
  const userId = account.userInfo.userId;
  await admin.permissions.createAssignment({ permissionId: permission.id, body: { identityId: userId } });
  const token = account.accessTokens[0];
  if (!token?.accessToken) throw new Error('Dfns returned the service account without its access token');
  return {
    permissionId: permission.id,
    userId,
    credentials: {
      baseUrl: options.baseUrl,
      ...(options.orgId ? { orgId: options.orgId } : {}),
      authToken: token.accessToken,
      credId: token.credId,
      ...key.signingKey,
      source: `service account ${userId} created by dfns-setup`,
    },
  };
}
