import type { MiddlewareHandler } from 'hono';
import type { ApiPrincipal, ApiScope } from './api-keys';
import { ApiError } from '../bridge/http-error';

/** What the auth middleware puts on the context for the routes behind it. */
export interface ApiEnv {
  Variables: { principal: ApiPrincipal };
}

/**
 * Requires `Authorization: Bearer <key>` and a key that verifies; 401 otherwise. The key is never logged or echoed,
 * and the answer is the same whether the key is unknown or wrong.
 */
export function apiKeyAuth(verify: (key: string) => ApiPrincipal | undefined): MiddlewareHandler<ApiEnv> {
  return async function apiKeyAuth(c, next) {
    const match = /^Bearer +(\S+) *$/i.exec(c.req.header('authorization') ?? '');
    const principal = match ? verify(match[1] as string) : undefined;
    if (!principal) {
      c.header('WWW-Authenticate', 'Bearer realm="payments"');
      throw new ApiError(401, 'unauthorized', 'a valid API key is required: Authorization: Bearer <key>');
    }
    c.set('principal', principal);
    await next();
  };
}

/** Requires a scope of the verified key; 403 naming the scope otherwise. */
export function requireScope(scope: ApiScope): MiddlewareHandler<ApiEnv> {
  return async function requireScope(c, next) {
    if (!c.get('principal').scopes.includes(scope)) {
      throw new ApiError(403, 'forbidden', `this API key lacks the scope ${scope}`);
    }
    await next();
  };
}
