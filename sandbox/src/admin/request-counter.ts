import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';

/** Counts Dfns-path requests by `"<METHOD> <route pattern>"` since start or the last reset. */
export function createRequestCounter() {
  const counts = new Map<string, number>();
  const injected = new Map<string, number>();
  return {
    /** Records an answer injected by an HTTP fault (`POST /_sandbox/faults/http`), by status. */
    addInjected(status: number): void {
      injected.set(String(status), (injected.get(String(status)) ?? 0) + 1);
    },
    /** Injected answers by status since start or the last reset. */
    injected(): Record<string, number> {
      return Object.fromEntries(injected);
    },
    add(key: string): void {
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    snapshot(): Record<string, number> {
      return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
    },
    reset(): void {
      counts.clear();
      injected.clear();
    },
  };
}

/** The request counter. */
export type RequestCounter = ReturnType<typeof createRequestCounter>;

/**
 * Counts every Dfns-path request, including ones later refused (401, 429, injected faults). The
 * pattern is the route that would handle it (middlewares are `ALL` routes and are skipped), so
 * `GET /wallets/:walletId/transfers/:transferId` counts every transfer read.
 */
export function countRequests(counter: RequestCounter): MiddlewareHandler {
  return async function countRequestsMiddleware(c, next) {
    const handler = matchedRoutes(c)
      .filter((route) => route.method !== 'ALL')
      .at(-1);
    counter.add(`${c.req.method} ${handler?.path ?? '(unmatched)'}`);
    await next();
  };
}
