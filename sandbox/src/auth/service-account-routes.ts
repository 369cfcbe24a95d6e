import { createPublicKey } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxEnv } from '../http/app-env';
import { badRequest, notFound } from '../http/errors';
import { parseOrThrow, readJsonBody } from '../http/validation';
import { newCredentialId, newId } from '../state/ids';
import type { StateStore } from '../state/state-store';
import type { TimeControl } from '../state/time-control';
import { mintAccessToken } from './access-token';
import type { JwtCodec } from './jwt';

const PermissionBodySchema = z.object({ name: z.string().min(1), operations: z.array(z.string().min(1)).min(1) });
const AssignmentBodySchema = z.object({ identityId: z.string().min(1) });
const ServiceAccountBodySchema = z.object({
  name: z.string().min(1),
  publicKey: z.string().min(1),
  permissionId: z.string().optional(),
});

/**
 * Roles and service accounts, as far as a payment service's setup needs them: `POST /permissions`,
 * `POST /permissions/{id}/assignments` (https://docs.dfns.co/api-reference/permissions) and
 * `POST /auth/service-accounts` (https://docs.dfns.co/api-reference/auth). An assignment grants its operations to
 * the identity, which the permission guard then enforces.
 */
export function createServiceAccountRoutes(deps: { store: StateStore; jwt: JwtCodec; time: TimeControl }) {
  const routes = new Hono<SandboxEnv>();
  const { state } = deps.store;
  const iso = () => new Date(deps.time.now()).toISOString();

  const assign = (permissionId: string, identityId: string) => {
    const permission = state.permissions.find((p) => p.id === permissionId);
    if (!permission) throw notFound(`Permission ${permissionId} not found`);
    const granted = new Set([...(state.permissionGrants[identityId] ?? []), ...permission.operations]);
    state.permissionGrants[identityId] = [...granted];
    return { id: newId('as'), permissionId, identityId, dateCreated: iso() };
  };

  routes.post('/permissions', async (c) => {
    const body = parseOrThrow(PermissionBodySchema, await readJsonBody(c), 'permission');
    const permission = { id: newId('pm'), ...body, status: 'Active' as const, isImmutable: false, dateCreated: iso() };
    state.permissions.push(permission);
    deps.store.changed();
    return c.json(permission);
  });

  routes.post('/permissions/:permissionId/assignments', async (c) => {
    const { identityId } = parseOrThrow(AssignmentBodySchema, await readJsonBody(c), 'assignment');
    const assignment = assign(c.req.param('permissionId'), identityId);
    deps.store.changed();
    return c.json(assignment);
  });

  routes.post('/auth/service-accounts', async (c) => {
    const body = parseOrThrow(ServiceAccountBodySchema, await readJsonBody(c), 'service account');
    let publicKey: string;
    try {
      publicKey = createPublicKey(body.publicKey).export({ type: 'spki', format: 'pem' }).toString();
    } catch {
      throw badRequest('publicKey is not a PEM public key');
    }
    const date = iso();
    const userId = newId('us');
    const credId = newCredentialId();
    const tokenId = newId('to');
    const user = { id: userId, username: body.name, name: body.name, kind: 'CustomerEmployee' as const };
    state.users.push({ ...user, isServiceAccount: true, isActive: true, dateCreated: date });
    state.credentials.push({ credId, userId, kind: 'Key', publicKey, isActive: true, dateCreated: date });
    state.tokens.push({ id: tokenId, userId, credId, kind: 'ServiceAccount', isActive: true, dateCreated: date });
    // A new service account holds nothing until a permission is assigned to it.
    state.permissionGrants[userId] = [];
    if (body.permissionId) assign(body.permissionId, userId);
    const orgId = state.org.id;
    const identity = { orgId, userId, tokenId, username: body.name, tokenKind: 'ServiceAccount' as const };
    const accessToken = mintAccessToken(deps.jwt, identity, deps.time.now());
    deps.store.changed();
    const userInfo = {
      userId,
      username: body.name,
      name: body.name,
      orgId,
      kind: 'CustomerEmployee',
      isActive: true,
      isServiceAccount: true,
      isRegistered: true,
      credentialUuid: credId,
      permissions: state.permissionGrants[userId],
    };
    const token = {
      tokenId,
      accessToken,
      credId,
      publicKey,
      isActive: true,
      kind: 'ServiceAccount',
      linkedUserId: userId,
      orgId,
      name: body.name,
      dateCreated: date,
    };
    return c.json({ userInfo, accessTokens: [token] });
  });

  return routes;
}
