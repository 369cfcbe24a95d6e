import type { MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import type { ApiEnv } from './api-key-auth';
import { problem } from './problem';

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
    handler: (c) =>
      problem(
        c,
        429,
        'rate_limited',
        `more than ${limit} requests in ${windowMs / 1000} s with this API key; retry later`,
      ),
  });
}
