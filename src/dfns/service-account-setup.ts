import type { DfnsApiClient } from '@dfns/sdk';
import { generateKeyPairSync } from 'node:crypto';
import type { DfnsCredentials } from './credentials';
import { SERVICE_ACCOUNT_OPERATIONS } from './service-account-permissions';

/** What setting up the payment service account made: the role, and the new account's credentials. */
export interface ServiceAccountSetup {
  permissionId: string;
  userId: string;
  credentials: DfnsCredentials;
}

/**
 * With an admin's client, creates the role holding exactly the payment service's operations, a service account
 * with a new P-256 key pair, and the assignment of that role to it, through the SDK
 * (https://docs.dfns.co/api-reference/permissions, https://docs.dfns.co/api-reference/auth). The private key is
 * generated here and returned, never sent.
 */
export async function setUpServiceAccount(
  admin: Pick<DfnsApiClient, 'permissions' | 'auth'>,
  options: { baseUrl: string; orgId?: string; name: string },
): Promise<ServiceAccountSetup> {
  const permission = await admin.permissions.createPermission({
    body: { name: `${options.name} role`, operations: [...SERVICE_ACCOUNT_OPERATIONS] },
  });
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const account = await admin.auth.createServiceAccount({ body: { name: options.name, publicKey: pem } });
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
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      source: `service account ${userId} created by dfns-setup`,
    },
  };
}
