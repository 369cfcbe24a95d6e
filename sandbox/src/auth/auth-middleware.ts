import type { MiddlewareHandler } from 'hono';
import { resolveAccessToken } from './access-token';
import type { SandboxEnv } from '../http/app-env';
import { DfnsHttpError } from '../http/errors';
import type { JwtCodec } from './jwt';
import type { StateStore } from '../state/state-store';
import type { UserActions } from './user-actions';

/**
 * Non-GET paths that run without a user action: the handshake itself
 * (https://docs.dfns.co/api-reference/auth/signing-flows).
 */
const UNSIGNED_MUTATIONS = new Set(['/auth/action/init', '/auth/action']);

/** Requires `Authorization: Bearer <jwt>` naming an active token of this org; 401 otherwise. */
export function bearerAuth(deps: { jwt: JwtCodec; store: StateStore }): MiddlewareHandler<SandboxEnv> {
  return async function bearerAuthMiddleware(c, next) {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!match?.[1]) throw new DfnsHttpError(401, 'Missing or malformed Authorization bearer token');
    const auth = resolveAccessToken(deps.jwt, deps.store.state, match[1]);
    if (!auth) throw new DfnsHttpError(401, 'Invalid or expired authentication token');
    c.set('auth', auth);
    await next();
  };
}

/** Requires a valid, unused `x-dfns-useraction` bound to this method, pathname and raw body. */
export function userActionGuard(deps: { userActions: UserActions }): MiddlewareHandler<SandboxEnv> {
  return async function userActionGuardMiddleware(c, next) {
    const path = new URL(c.req.url).pathname;
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || UNSIGNED_MUTATIONS.has(path)) return next();
    // Hono caches the body text, so the route handler later parses exactly these bytes.
    const payload = await c.req.text();
    const token = c.req.header('x-dfns-useraction');
    deps.userActions.consume(c.get('auth').userId, token, { method: c.req.method, path, payload });
    await next();
  };
}
