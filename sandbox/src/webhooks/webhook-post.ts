import { webhookSignature } from './webhook-signature';

/** The envelope POSTed to a webhook URL (https://docs.dfns.co/d/api-docs/webhooks). */
export interface WebhookEnvelope {
  id: string;
  kind: string;
  date: string;
  data: Record<string, unknown>;
  timestampSent: number;
  deliveryAttempt: number;
  retryOf?: string;
}

/** How one delivery attempt went; `status` is the HTTP code as a string, `'0'` when none came back. */
export interface DeliveryOutcome {
  status: string;
  ok: boolean;
  error?: string;
  /** What went on the wire: the exact body and headers (signature included). */
  sent?: { body: string; headers: Record<string, string> };
}

/** Default per-attempt timeout; Dfns treats a slow endpoint like a failed one. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** POSTs the compact JSON envelope with its signature; success is HTTP 200 exactly, anything else is retried. */
export async function postWebhook(
  url: string,
  secret: string,
  envelope: WebhookEnvelope,
  cancel: AbortSignal,
  timeoutMs = DELIVERY_TIMEOUT_MS,
): Promise<DeliveryOutcome> {
  // Sign exactly the bytes sent, so raw-body and re-serialising verifiers both pass.
  const body = JSON.stringify(envelope);
  const headers = { 'content-type': 'application/json', 'X-DFNS-WEBHOOK-SIGNATURE': webhookSignature(secret, body) };
  const sent = { body, headers };
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.any([cancel, timeout]),
    });
    await res.arrayBuffer().catch(() => undefined); // drain so the connection is reusable
    const ok = res.status === 200;
    const error = ok ? {} : { error: `Endpoint answered HTTP ${res.status}` };
    return { status: String(res.status), ok, ...error, sent };
  } catch (err) {
    if (timeout.aborted) return { status: '0', ok: false, error: `Timed out after ${timeoutMs} ms`, sent };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { status: '0', ok: false, error: cause?.code ?? cause?.message ?? (err as Error).message, sent };
  }
}
