import { Hono } from 'hono';
import { toFieldErrors } from '../contracts/field-errors';
import { parseTransferExternalId } from '../contracts/payment-id';
import { dfnsWebhookEnvelopeSchema, interpretWebhook } from '../dfns/webhook-schema';
import type { Logger } from '../logger';
import type { PaymentSignaler } from '../temporal/payment-signaler';
import { ApiError } from './http-error';
import { verifyDfnsWebhook, type DfnsWebhookVerifierOptions, type VerifiedWebhookEnv } from './verify-dfns-webhook';

/** What the webhook route needs; all injected so tests can drive it through `app.request()`. */
export interface DfnsWebhookDeps extends DfnsWebhookVerifierOptions {
  signaler: PaymentSignaler;
  logger: Logger;
}

/**
 * `POST /webhooks/dfns`: once the middleware has verified the delivery, parse it, map it to one payment update,
 * find the payment (by our externalId, else by the Dfns id), signal it, and answer 200 only once Temporal has
 * accepted the signal, so that a 503 makes Dfns redeliver. Unused events and unknown payments are acknowledged.
 */
export function dfnsWebhookRoute(deps: DfnsWebhookDeps): Hono<VerifiedWebhookEnv> {
  const app = new Hono<VerifiedWebhookEnv>();
  app.post('/', verifyDfnsWebhook(deps), async (c) => {
    const envelope = dfnsWebhookEnvelopeSchema.safeParse(c.get('webhookBody'));
    if (!envelope.success) {
      const issues = toFieldErrors(envelope.error, { root: '(body)' });
      throw new ApiError(400, 'malformed_body', 'body is not a Dfns webhook event', issues);
    }
    const meaning = interpretWebhook(envelope.data);
    if (meaning.kind === 'malformed') {
      throw new ApiError(400, 'malformed_body', 'event data is malformed', meaning.issues);
    }
    if (meaning.kind === 'ignored') return c.json({ status: 'ignored', reason: meaning.why });

    const log = { kind: envelope.data.kind, deliveryId: envelope.data.id };
    let paymentId: string | undefined;
    try {
      paymentId = meaning.externalId
        ? parseTransferExternalId(meaning.externalId)?.paymentId
        : await deps.signaler.findPayment(meaning.lookup);
      if (!paymentId) return c.json({ status: 'ignored', reason: 'not a payment of this orchestrator' });
      if ((await deps.signaler.signal(paymentId, meaning.update)) === 'closed') {
        deps.logger.warn('late webhook for a closed or unknown payment', { ...log, paymentId });
        return c.json({ status: 'late', paymentId });
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      deps.logger.error('Temporal did not accept the signal', { ...log, paymentId, error: reason });
      const message = 'payment engine unavailable; redeliver later';
      throw new ApiError(503, 'temporal_unavailable', message, undefined, { cause: error });
    }
    deps.logger.info('webhook signalled', { ...log, paymentId });
    return c.json({ status: 'delivered', paymentId });
  });
  return app;
}
