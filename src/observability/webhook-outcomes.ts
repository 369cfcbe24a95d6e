import type { MiddlewareHandler } from 'hono';
import type { WebhookOutcome } from './metric-names';

/** What the webhook bridge records. */
export interface WebhookMetrics {
  delivery(outcome: WebhookOutcome): void;
  /** Seconds from the delivery's arrival to its answer, for deliveries whose signal Temporal accepted. */
  signalLatency(seconds: number): void;
}

/** How the bridge answers a delivery with a given outcome, and what that outcome means to an operator. */
export interface WebhookAnswer {
  /** HTTP status of the answer. */
  http: number;
  /** `status` of a 2xx answer's body, or `error.code` of any other. */
  body: { status: string } | { code: string };
  meaning: string;
}

/**
 * The bridge's answers are its documented contract: `status` on a 2xx, a stable `error.code` otherwise. Each outcome
 * label is read from the answer; the webhook reference (docs/operations.md) is generated from this table.
 */
export const WEBHOOK_ANSWERS: Record<Exclude<WebhookOutcome, 'error'>, WebhookAnswer> = {
  accepted: { http: 200, body: { status: 'delivered' }, meaning: 'Temporal accepted the signal' },
  bad_signature: {
    http: 401,
    body: { code: 'invalid_signature' },
    meaning: 'the signature matches none of `DFNS_WEBHOOK_SECRETS` (a rotation, or a forger)',
  },
  stale: {
    http: 401,
    body: { code: 'stale_delivery' },
    meaning: '`timestampSent` is `WEBHOOK_TOLERANCE_SECONDS` or more away from now (a replay)',
  },
  malformed: {
    http: 400,
    body: { code: 'malformed_body' },
    meaning: 'not JSON, or not a Dfns event of a kind we read',
  },
  too_large: { http: 413, body: { code: 'payload_too_large' }, meaning: 'the body is over 1 MiB' },
  ignored: {
    http: 200,
    body: { status: 'ignored' },
    meaning: 'an event kind the orchestrator does not use, or an `externalId` that is not ours',
  },
  late: {
    http: 200,
    body: { status: 'late' },
    meaning: 'the payment exists and has finished: the event changes nothing',
  },
  unknown_payment: {
    http: 200,
    body: { status: 'unknown_payment' },
    meaning:
      "the event's `externalId` names a payment Temporal does not hold: it was never started, or its history is past the namespace's retention",
  },
  not_found_yet: {
    http: 503,
    body: { code: 'payment_not_found_yet' },
    meaning: 'an event found by Dfns id that no payment holds yet: Dfns redelivers it',
  },
  unroutable: {
    http: 200,
    body: { status: 'unroutable' },
    meaning: 'the same, past the 30-minute redelivery window: acknowledged so that Dfns stops',
  },
  temporal_unavailable: {
    http: 503,
    body: { code: 'temporal_unavailable' },
    meaning: 'Temporal did not answer: Dfns redelivers it',
  },
};
/** What `error` stands for: any other answer (a bug in the bridge, answered 500 `internal_error`). */
export const WEBHOOK_ERROR_MEANING = 'any other answer: a bug in the bridge (500 `internal_error`)';

const answers = Object.entries(WEBHOOK_ANSWERS) as [WebhookOutcome, WebhookAnswer][];
const BY_STATUS: Record<string, WebhookOutcome> = Object.fromEntries(
  answers.flatMap(([outcome, { body }]) => ('status' in body ? [[body.status, outcome]] : [])),
);
const BY_CODE: Record<string, WebhookOutcome> = Object.fromEntries(
  answers.flatMap(([outcome, { body }]) => ('code' in body ? [[body.code, outcome]] : [])),
);

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
