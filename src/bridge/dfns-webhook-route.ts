import { trace, TraceFlags } from '@opentelemetry/api';
import { Hono } from 'hono';
import { toFieldErrors } from '../contracts/field-errors';
import { parseTransferExternalId } from '../contracts/payment-id';
import { dfnsWebhookEnvelopeSchema, interpretWebhook } from '../dfns/webhook-schema';
import type { Logger } from '../logger';
import { parseTraceparent } from '../contracts/trace-context';
import type { PaymentSignaler, SignalResult } from '../temporal/payment-signaler';
import type { PaymentTraceReader } from '../temporal/payment-trace';
import { ApiError } from './http-error';
import { verifyDfnsWebhook, type DfnsWebhookVerifierOptions, type VerifiedWebhookEnv } from './verify-dfns-webhook';

/** What the webhook route needs; all injected so tests can drive it through `app.request()`. */
export interface DfnsWebhookDeps extends DfnsWebhookVerifierOptions {
  signaler: PaymentSignaler;
  logger: Logger;
  /** How long after its date an event no payment claims is answered 503; UNROUTABLE_WINDOW_MS by default. */
  unroutableWindowMs?: number;
  /** Counts events acknowledged after the window without reaching a payment (wired to metrics by the server). */
  onUnroutable?: (kind: string) => void;
  /** Reads a payment's trace context, so that a traced delivery links to the payment's trace; none when not traced. */
  paymentTrace?: PaymentTraceReader;
}

/**
 * An event found through visibility (no externalId of ours) can arrive before the payment has published the Dfns
 * id it carries: the submission's answer and the search-attribute upsert race the webhook, and visibility is
 * eventually consistent. Within this window after the event's date the bridge answers 503, so Dfns redelivers
 * it; after it, the event is acknowledged (200 "unroutable"), logged and counted, so that an event that belongs
 * to no payment is not redelivered for ever.
 */
export const UNROUTABLE_WINDOW_MS = 30 * 60_000;

/**
 * `POST /webhooks/dfns`: once the middleware has verified the delivery, parse it, map it to one payment update,
 * find the payment (by our externalId, else by the Dfns id), signal it, and answer 200 only once Temporal has
 * accepted the signal, so that a 503 makes Dfns redeliver. Unused events are acknowledged, and so are events for a
 * closed payment (`late`) or for a payment id Temporal does not hold (`unknown_payment`); one no payment holds by
 * Dfns id is answered 503 within UNROUTABLE_WINDOW_MS of its date, then acknowledged and counted.
 */
export function dfnsWebhookRoute(deps: DfnsWebhookDeps): Hono<VerifiedWebhookEnv> {
  const app = new Hono<VerifiedWebhookEnv>();
  const now = deps.now ?? Date.now;
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

    // The Dfns ids and the payment attempt (from the externalId) go on every line about this delivery.
    const paymentAttempt = meaning.externalId ? parseTransferExternalId(meaning.externalId)?.attempt : undefined;
    const log = { kind: envelope.data.kind, deliveryId: envelope.data.id, ...meaning.lookup, paymentAttempt };
    let paymentId: string | undefined;
    try {
      paymentId = meaning.externalId
        ? parseTransferExternalId(meaning.externalId)?.paymentId
        : await deps.signaler.findPayment(meaning.lookup);
    } catch (error) {
      throw unavailable(deps, log, undefined, error);
    }
    if (!paymentId && meaning.externalId) {
      return c.json({ status: 'ignored', reason: 'not a payment of this orchestrator' });
    }
    if (!paymentId) {
      const age = now() - Date.parse(envelope.data.date);
      if (!(age > (deps.unroutableWindowMs ?? UNROUTABLE_WINDOW_MS))) {
        deps.logger.warn(log, 'no payment holds this event yet; asking Dfns to redeliver');
        throw new ApiError(503, 'payment_not_found_yet', 'no payment holds this event yet; redeliver later');
      }
      deps.logger.warn(log, 'event acknowledged without a payment after the redelivery window');
      deps.onUnroutable?.(envelope.data.kind);
      return c.json({ status: 'unroutable', reason: 'no payment of this orchestrator holds it' });
    }
    await linkToPayment(deps, paymentId, envelope.data.kind, meaning.lookup);
    let result: SignalResult;
    try {
      result = await deps.signaler.signal(paymentId, meaning.update);
    } catch (error) {
      throw unavailable(deps, log, paymentId, error);
    }
    // Both are acknowledged (200) so that Dfns does not redeliver for ever, and told apart in the log and the metric.
    if (result === 'closed') {
      deps.logger.warn({ ...log, paymentId }, 'late webhook for a closed payment');
      return c.json({ status: 'late', paymentId });
    }
    if (result === 'unknown') {
      deps.logger.warn({ ...log, paymentId }, 'webhook names a payment that does not exist');
      return c.json({ status: 'unknown_payment', paymentId });
    }
    deps.logger.info({ ...log, paymentId }, 'webhook signalled');
    return c.json({ status: 'delivered', paymentId });
  });
  return app;
}

/**
 * Names the payment on the delivery's span and links the span to the payment's trace (the payment cannot be the
 * delivery's parent: Dfns started it). Only while the span is recording; a trace that cannot be read is left out.
 */
async function linkToPayment(
  deps: DfnsWebhookDeps,
  paymentId: string,
  kind: string,
  lookup: { transferId?: string; approvalId?: string },
): Promise<void> {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  span.setAttribute('payment.id', paymentId);
  span.setAttribute('dfns.event', kind);
  if (lookup.transferId) span.setAttribute('dfns.transfer_id', lookup.transferId);
  if (lookup.approvalId) span.setAttribute('dfns.approval_id', lookup.approvalId);
  const parent = parseTraceparent(await deps.paymentTrace?.(paymentId).catch(() => undefined));
  if (!parent) return;
  const traceFlags = parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE;
  const context = { traceId: parent.traceId, spanId: parent.spanId, traceFlags, isRemote: true };
  span.addLink({ context, attributes: { 'link.reason': 'payment' } });
}

/** Temporal did not answer: logged with the cause, answered 503 without it, so that Dfns redelivers. */
function unavailable(deps: DfnsWebhookDeps, log: object, paymentId: string | undefined, error: unknown): ApiError {
  const reason = error instanceof Error ? error.message : String(error);
  deps.logger.error({ ...log, paymentId, error: reason }, 'Temporal did not accept the signal');
  const message = 'payment engine unavailable; redeliver later';
  return new ApiError(503, 'temporal_unavailable', message, undefined, { cause: error });
}
