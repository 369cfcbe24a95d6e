import type { WebhookEvent } from '../state/sandbox-state';
import type { WebhookEventKind } from './webhook-kinds';
import type { DeliveryOutcome, WebhookEnvelope } from './webhook-post';

/**
 * The event-log entry for one delivery attempt (`GET /webhooks/{id}/events`), with the delivery status Dfns records.
 */
export function recordAttempt(
  webhookId: string,
  kind: WebhookEventKind,
  envelope: WebhookEnvelope,
  outcome: DeliveryOutcome,
  nextAttemptDate: string | undefined,
): WebhookEvent {
  return {
    id: envelope.id,
    webhookId,
    kind,
    date: envelope.date,
    data: envelope.data,
    status: outcome.status,
    ...(outcome.error ? { error: outcome.error } : {}),
    timestampSent: envelope.timestampSent,
    deliveryAttempt: envelope.deliveryAttempt,
    ...(envelope.retryOf ? { retryOf: envelope.retryOf } : {}),
    deliveryFailed: !outcome.ok,
    ...(nextAttemptDate ? { nextAttemptDate } : {}),
  };
}
