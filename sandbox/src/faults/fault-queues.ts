import type { ChainFaultMode, FaultState, WebhookKnobs } from './fault-schema';

/** What the fault knobs decided for one webhook delivery. */
export interface DeliveryFault {
  drop: boolean;
  duplicate: boolean;
  reorder: boolean;
  delayMs: number;
  /** Real ms a reordered delivery is held; 0 = until the next delivery is done. */
  reorderHoldMs: number;
}

/** No fault: deliver normally. */
export const CLEAN_DELIVERY: DeliveryFault = {
  drop: false,
  duplicate: false,
  reorder: false,
  delayMs: 0,
  reorderHoldMs: 0,
};

/**
 * Rolls the knobs for one delivery: the oldest one-shot (`next`) rule if any, else the standing
 * knobs. Each probability is rolled independently; drop wins over duplicate and reorder.
 */
export function takeWebhookFault(faults: FaultState, random: () => number): DeliveryFault {
  const rule = faults.webhooks.next[0];
  let knobs: WebhookKnobs = faults.webhooks.standing;
  if (rule) {
    knobs = rule;
    rule.remaining -= 1;
    if (rule.remaining <= 0) faults.webhooks.next.shift();
  }
  const roll = (p: number) => p > 0 && random() < p;
  const drop = roll(knobs.drop);
  return {
    drop,
    duplicate: !drop && roll(knobs.duplicate),
    reorder: !drop && roll(knobs.reorder),
    delayMs: knobs.delayMs,
    reorderHoldMs: knobs.reorderHoldMs,
  };
}

/** An injected HTTP answer. */
export type HttpFault = Pick<FaultState['http'][number], 'status' | 'retryAfterSeconds'>;

/**
 * The injected answer for one Dfns-path request: the oldest counted rule matching its path if any (it is consumed),
 * else the first per-call probability rule matching it that its roll hits. `changed` says whether a rule was consumed.
 */
export function takeHttpFault(
  faults: FaultState,
  path: string,
  random: () => number,
): { fault: HttpFault; changed: boolean } | undefined {
  const matches = (rule: { paths?: string | undefined }) => rule.paths === undefined || path.startsWith(rule.paths);
  const index = faults.http.findIndex(matches);
  const rule = faults.http[index];
  if (rule) {
    rule.remaining -= 1;
    if (rule.remaining <= 0) faults.http.splice(index, 1);
    return { fault: rule, changed: true };
  }
  const rate = faults.httpRates.find((candidate) => matches(candidate) && random() < candidate.probability);
  return rate ? { fault: rate, changed: false } : undefined;
}

/** The answer delay for one Dfns-path request, if a slow rule matches its method and path. */
export function takeSlowFault(faults: FaultState, method: string, path: string): number | undefined {
  const index = faults.slow.findIndex(
    (rule) =>
      (rule.method === undefined || rule.method === method) &&
      (rule.paths === undefined || path.startsWith(rule.paths)),
  );
  const rule = faults.slow[index];
  if (!rule) return undefined;
  rule.remaining -= 1;
  if (rule.remaining <= 0) faults.slow.splice(index, 1);
  return rule.delayMs;
}

/** The chain fault for the next transfer that reaches the chain, if one is armed. */
export function takeChainFault(faults: FaultState): { mode: ChainFaultMode; reason?: string } | undefined {
  const rule = faults.chain[0];
  if (!rule) return undefined;
  rule.remaining -= 1;
  if (rule.remaining <= 0) faults.chain.shift();
  return { mode: rule.mode, ...(rule.reason !== undefined ? { reason: rule.reason } : {}) };
}
