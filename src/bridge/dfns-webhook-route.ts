import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { parseTransferExternalId } from '../contracts/payment-id';
import { DFNS_SIGNATURE_HEADER, timestampProblem, verifyDfnsSignature } from '../dfns/webhook-signature';
import { dfnsWebhookEnvelopeSchema, interpretWebhook } from '../dfns/webhook-schema';
import type { Logger } from '../logger';
import type { PaymentSignaler } from '../temporal/payment-signaler';
import { jsonError } from './http-error';

/** Deliveries larger than this are refused before they are read. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/** What the webhook route needs; all injected so tests can drive it through `app.request()`. */
export interface DfnsWebhookDeps {
  secrets: readonly string[];
  toleranceSeconds: number;
  signaler: PaymentSignaler;
  logger: Logger;
  now?: () => number;
}

/**
 * `POST /webhooks/dfns` (design §4): verify the HMAC over the raw body, reject stale deliveries, parse, find the
 * payment by externalId, signal it, and answer 200 only once Temporal has accepted the signal.
 */
export function dfnsWebhookRoute(deps: DfnsWebhookDeps): Hono {
  const now = deps.now ?? Date.now;
  const app = new Hono();
  app.post(
    '/',
    bodyLimit({
      maxSize: MAX_WEBHOOK_BODY_BYTES,
      onError: (c) => jsonError(c, 413, 'payload_too_large', `body exceeds ${MAX_WEBHOOK_BODY_BYTES} bytes`),
    }),
    async (c) => {
      const raw = await c.req.text();
      if (!verifyDfnsSignature(raw, c.req.header(DFNS_SIGNATURE_HEADER), deps.secrets)) {
        deps.logger.warn('webhook refused: bad or missing signature');
        return jsonError(c, 401, 'invalid_signature', `missing or invalid ${DFNS_SIGNATURE_HEADER}`);
      }
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return jsonError(c, 400, 'malformed_body', 'body is not JSON', [{ field: '(body)', message: 'is not valid JSON' }]);
      }
      if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        return jsonError(c, 400, 'malformed_body', 'body is not a JSON object', [{ field: '(body)', message: 'must be a JSON object' }]);
      }
      const stale = timestampProblem((json as { timestampSent?: unknown }).timestampSent, now(), deps.toleranceSeconds);
      if (stale) {
        deps.logger.warn({ why: stale }, 'webhook refused: outside the replay window');
        return jsonError(c, 401, 'stale_delivery', stale);
      }
      const envelope = dfnsWebhookEnvelopeSchema.safeParse(json);
      if (!envelope.success) {
        const issues = envelope.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
        return jsonError(c, 400, 'malformed_body', 'body is not a Dfns webhook event', issues);
      }
      const meaning = interpretWebhook(envelope.data);
      if (meaning.kind === 'malformed') return jsonError(c, 400, 'malformed_body', 'event data is malformed', meaning.issues);
      if (meaning.kind === 'ignored') return c.json({ status: 'ignored', reason: meaning.why });

      // The Dfns ids and the payment attempt (from the externalId) go on every line about this delivery.
      const paymentAttempt = meaning.externalId ? parseTransferExternalId(meaning.externalId)?.attempt : undefined;
      const log = { kind: envelope.data.kind, deliveryId: envelope.data.id, ...meaning.lookup, paymentAttempt };
      let paymentId: string | undefined;
      try {
        paymentId = meaning.externalId ? parseTransferExternalId(meaning.externalId)?.paymentId : await deps.signaler.findPayment(meaning.lookup);
        if (!paymentId) return c.json({ status: 'ignored', reason: 'not a payment of this orchestrator' });
        const result = await deps.signaler.signal(paymentId, meaning.message);
        if (result === 'closed') {
          deps.logger.warn({ ...log, paymentId }, 'late webhook for a closed or unknown payment');
          return c.json({ status: 'late', paymentId });
        }
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        deps.logger.error({ ...log, paymentId, error: why }, 'Temporal did not accept the signal');
        return jsonError(c, 503, 'temporal_unavailable', 'payment engine unavailable; redeliver later');
      }
      deps.logger.info({ ...log, paymentId }, 'webhook signalled');
      return c.json({ status: 'delivered', paymentId });
    },
  );
  return app;
}
