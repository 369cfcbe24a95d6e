import type { MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import type { ApiEnv } from './api-key-auth';
import { ApiError } from '../bridge/http-error';

/**
 * Limits each API key to `limit` requests per window (in this process; behind a load balancer each replica counts
 * its own). Over the limit: 429 with Retry-After, set by the limiter.
 */
export function perKeyRateLimit(limit: number, windowMs = 60_000): MiddlewareHandler<ApiEnv> {
  return rateLimiter<ApiEnv>({
    windowMs,
    limit,
    standardHeaders: 'draft-7',
    keyGenerator: (c) => c.get('principal').keyId,
    // Thrown, so the API's onError answers it as a problem document; the limiter has set Retry-After already.
    handler: () => {
      throw new ApiError(429, 'rate_limited', `more than ${limit} requests in ${windowMs / 1000} s with this API key`);
    },
  });
}
