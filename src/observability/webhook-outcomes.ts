import type { MiddlewareHandler } from 'hono';
import type { WebhookOutcome } from './metric-names';

/** What the webhook bridge records. */
export interface WebhookMetrics {
  delivery(outcome: WebhookOutcome): void;
  /** Seconds from the delivery's arrival to its answer, for deliveries whose signal Temporal accepted. */
  signalLatency(seconds: number): void;
}

// The bridge's answers are its documented contract: `status` on a 2xx, a stable `error.code` otherwise.
const BY_STATUS: Record<string, WebhookOutcome> = {
  delivered: 'accepted',
  late: 'late',
  unknown_payment: 'unknown_payment',
  ignored: 'ignored',
  unroutable: 'unroutable',
};
const BY_CODE: Record<string, WebhookOutcome> = {
  invalid_signature: 'bad_signature',
  stale_delivery: 'stale',
  malformed_body: 'malformed',
  payload_too_large: 'too_large',
  temporal_unavailable: 'temporal_unavailable',
  payment_not_found_yet: 'not_found_yet',
};

/** What the bridge did with a delivery, read from its answer. */
export async function webhookOutcome(response: Response): Promise<WebhookOutcome> {
  const body = (await response
    .clone()
    .json()
    .catch(() => undefined)) as { status?: string; error?: { code?: string } } | undefined;
  if (response.ok) return BY_STATUS[body?.status ?? ''] ?? 'ignored';
  return BY_CODE[body?.error?.code ?? ''] ?? 'error';
}

/**
 * Counts every webhook delivery by outcome and times the accepted ones, from outside the route: the route's answers
 * say what happened, so the bridge itself carries no metrics code.
 */
export function countWebhookOutcomes(metrics: WebhookMetrics): MiddlewareHandler {
  return async function countWebhookOutcome(c, next) {
    if (c.req.method !== 'POST') return next();
    const arrived = performance.now();
    await next();
    const outcome = await webhookOutcome(c.res);
    metrics.delivery(outcome);
    if (outcome === 'accepted') metrics.signalLatency((performance.now() - arrived) / 1000);
  };
}
