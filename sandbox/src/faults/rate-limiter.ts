import type { MiddlewareHandler } from 'hono';
import { DfnsHttpError } from '../http/errors';

const MINUTE_MS = 60_000;

/**
 * A sliding window over accepted requests (real time: a rate limit is not simulated), one minute as Dfns counts by
 * default. A shorter window (`windowMs`) allows the same rate, `limitPerMinute` scaled to the window, and tolerates a
 * smaller burst. The sandbox has one org, so per-org and global are the same. `limitPerMinute` 0 turns it off.
 */
export function createRateLimiter(limitPerMinute: number, now: () => number = Date.now, windowMs = MINUTE_MS) {
  const WINDOW_MS = windowMs;
  const allowance = Math.max(1, Math.floor((limitPerMinute * windowMs) / MINUTE_MS));
  let accepted: number[] = [];
  let refused = 0;
  return {
    /** Requests answered 429 since start or the last reset. */
    get refused(): number {
      return refused;
    },
    /** Records a request; returns the seconds to wait when the limit is already reached. */
    take(): { ok: true } | { ok: false; retryAfterSeconds: number } {
      if (limitPerMinute <= 0) return { ok: true };
      const at = now();
      accepted = accepted.filter((time) => at - time < WINDOW_MS);
      const oldest = accepted[0];
      if (accepted.length >= allowance && oldest !== undefined) {
        refused += 1;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - at) / 1000)) };
      }
      accepted.push(at);
      return { ok: true };
    },
    reset(): void {
      accepted = [];
      refused = 0;
    },
  };
}

/** The rate limiter. */
export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** Answers 429 with the Dfns error shape and a `Retry-After` (seconds) once the limit is reached. */
export function rateLimit(limiter: RateLimiter, limitPerMinute: number): MiddlewareHandler {
  return async function rateLimitMiddleware(_c, next) {
    const verdict = limiter.take();
    if (!verdict.ok) {
      const { retryAfterSeconds } = verdict;
      throw new DfnsHttpError(
        429,
        `Rate limit exceeded: ${limitPerMinute} requests per minute`,
        { retryAfterSeconds },
        {
          'Retry-After': String(retryAfterSeconds),
        },
      );
    }
    await next();
  };
}
