import { setTimeout as sleep } from 'node:timers/promises';
import type { MiddlewareHandler } from 'hono';
import { DfnsHttpError } from '../http/errors';
import { takeHttpFault, takeSlowFault } from './fault-queues';
import type { StateStore } from '../state/state-store';
import type { RequestCounter } from '../admin/request-counter';

const MESSAGES = {
  429: 'Too many requests (injected by the sandbox)',
  500: 'Internal server error (injected by the sandbox)',
  502: 'Bad gateway (injected by the sandbox)',
  503: 'Service unavailable (injected by the sandbox)',
} as const;

/**
 * Answers an armed HTTP fault (`POST /_sandbox/faults/http`, counted or per-call probability) before auth, like a
 * failing gateway would. `random` is injectable so tests can pin the rolls.
 */
export function injectHttpFaults(deps: {
  store: StateStore;
  counter?: Pick<RequestCounter, 'addInjected'>;
  random?: () => number;
}): MiddlewareHandler {
  const random = deps.random ?? Math.random;
  return async function httpFaultMiddleware(c, next) {
    const taken = takeHttpFault(deps.store.state.faults, new URL(c.req.url).pathname, random);
    if (taken) {
      const rule = taken.fault;
      if (taken.changed) deps.store.changed();
      deps.counter?.addInjected(rule.status);
      // A 429 always carries Retry-After (default 1 s); a 5xx only when asked for.
      const retryAfter = rule.retryAfterSeconds ?? (rule.status === 429 ? 1 : undefined);
      const headers = retryAfter === undefined ? undefined : { 'Retry-After': String(retryAfter) };
      throw new DfnsHttpError(rule.status, MESSAGES[rule.status], { injected: true }, headers);
    }
    await next();
  };
}

/**
 * Holds back the answer of the next armed slow request (`POST /_sandbox/faults/slow`): Dfns does the
 * work (a transfer is created), but the caller hears nothing for `delayMs`, e.g. long enough to die
 * waiting. The timer is unref'd so a closing sandbox never waits for it.
 */
export function slowAnswers(deps: { store: StateStore }): MiddlewareHandler {
  return async function slowAnswerMiddleware(c, next) {
    const delayMs = takeSlowFault(deps.store.state.faults, c.req.method, new URL(c.req.url).pathname);
    await next();
    if (delayMs === undefined) return;
    deps.store.changed();
    await sleep(delayMs, undefined, { ref: false });
  };
}
