import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, Env, MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import type { ApiPrincipal, ApiScope } from './api-keys';
import { ApiError } from '../bridge/http-error';

/** What the auth middleware puts on the context for the routes behind it. */
export interface ApiEnv {
  Variables: { principal: ApiPrincipal };
}

/** How many failed authentications one source address may make per window before it gets 429. */
export interface FailedAuthLimit {
  perWindow: number;
  windowMs?: number;
}

/**
 * The TCP peer of the request (`@hono/node-server`'s conninfo). Behind a proxy this is the proxy; requests that did
 * not come through a Node server (`app.request()` without bindings) share one bucket.
 */
export function sourceAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The 401 detail of a server that holds no key at all: no key can verify, and the caller is told why. */
export const NO_KEYS_CONFIGURED =
  'this server has no API keys configured (API_KEYS_FILE, API_KEY_ENTRY), so no key can verify; ' +
  '`npm run dev` configures a development key and prints it, and `payments mint-key` makes one for a server';

/**
 * Requires `Authorization: Bearer <key>` and a key that verifies; 401 otherwise. The key is never logged or echoed,
 * and the answer is the same whether the key is unknown or wrong; only a server with no keys at all says so. Only failures are counted, per source address: past
 * the limit that address gets 429 with Retry-After instead of 401, while a caller whose key verifies is never counted
 * or refused, whatever address it shares.
 */
export function apiKeyAuth(
  verify: (key: string) => ApiPrincipal | undefined,
  limit: FailedAuthLimit,
  keysConfigured = true,
): MiddlewareHandler<ApiEnv> {
  const countFailure = failedAuthLimiter<ApiEnv>(limit);
  return async function apiKeyAuth(c, next) {
    const match = /^Bearer +(\S+) *$/i.exec(c.req.header('authorization') ?? '');
    const principal = match ? verify(match[1] as string) : undefined;
    if (!principal) {
      await countFailure(c, () => {
        c.header('WWW-Authenticate', 'Bearer realm="payments"');
        const detail = keysConfigured ? 'a valid API key is required: Authorization: Bearer <key>' : NO_KEYS_CONFIGURED;
        throw new ApiError(401, 'unauthorized', detail);
      });
      return;
    }
    c.set('principal', principal);
    await next();
  };
}

/**
 * Counts a failed authentication against its source address and refuses it: `refuse` throws the 401, or, past the
 * limit, the counter throws a 429 (a problem document) with Retry-After instead.
 */
export function failedAuthLimiter<E extends Env>(
  limit: FailedAuthLimit,
): (c: Context<E, string>, refuse: () => void) => Promise<void> {
  const windowMs = limit.windowMs ?? 60_000;
  const countFailure = rateLimiter<E, string, object>({
    windowMs,
    limit: limit.perWindow,
    standardHeaders: 'draft-7',
    keyGenerator: sourceAddress,
    // Thrown, so the API's onError answers it as a problem document; the limiter has set Retry-After already.
    handler: () => {
      throw new ApiError(
        429,
        'too_many_failed_authentications',
        `more than ${limit.perWindow} failed authentications in ${windowMs / 1000} s from this address; see Retry-After`,
      );
    },
  });
  return async (c, refuse) => {
    await countFailure(c, () => {
      refuse();
      return Promise.resolve();
    });
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
