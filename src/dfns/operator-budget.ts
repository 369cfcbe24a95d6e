import type { DfnsApiClient } from '@dfns/sdk';
import { RateLimiter } from 'limiter';
import { DFNS_READ_COST, DFNS_SIGNED_COST, operatorRequestsPerSecond } from '../contracts/task-queues';

/** SDK methods that are user actions (signed: three Dfns requests each); every other method is a read. */
const SIGNED_METHOD = /^(create|update|archive|delete|cancel|abort|speedUp|transfer|tag|untag|activate|deactivate)/;

/** What one call of an SDK method costs in Dfns requests. */
export function dfnsCallCost(method: string): number {
  return SIGNED_METHOD.test(method) ? DFNS_SIGNED_COST : DFNS_READ_COST;
}

/**
 * A token bucket at `requestsPerSecond` Dfns requests (the `limiter` package): each call waits until the bucket
 * holds its cost. The bucket starts empty and holds at most one interval's worth, at least one signed call.
 */
export function createDfnsRequestBucket(requestsPerSecond: number): (cost: number) => Promise<void> {
  const tokensPerInterval = Math.max(DFNS_SIGNED_COST, requestsPerSecond);
  const interval = (tokensPerInterval / requestsPerSecond) * 1000;
  const limiter = new RateLimiter({ tokensPerInterval, interval });
  return async (cost) => {
    await limiter.removeTokens(cost);
  };
}

/** Wraps an SDK method group (`client.policies`) so that every call first takes its cost from the bucket. */
export function limitDfnsGroup<T extends object>(group: T, take: (cost: number) => Promise<void>): T {
  return new Proxy(group, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        await take(dfnsCallCost(property));
        return method.apply(target, args);
      };
    },
  });
}

/**
 * The SDK's policies group for an operator CLI, limited to the operators' share of the Dfns budget
 * (`DFNS_REQUESTS_PER_MINUTE`, src/dfns/dfns-budget.ts), so that approving or applying policies never pushes the org past Dfns's limit
 * while the workers spend their shares.
 */
export function operatorPolicies(client: DfnsApiClient, requestsPerSecond: number): DfnsApiClient['policies'] {
  return limitDfnsGroup(client.policies, createDfnsRequestBucket(operatorRequestsPerSecond(requestsPerSecond)));
}
