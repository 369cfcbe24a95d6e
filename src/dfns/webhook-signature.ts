import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Dfns signs deliveries in: `sha256=` + hex HMAC-SHA256 of the raw body. */
export const DFNS_SIGNATURE_HEADER = 'x-dfns-webhook-signature';

/** Computes the header value Dfns would send for this body and secret. */
export function signDfnsWebhook(rawBody: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

/**
 * Checks a delivery's signature against every configured secret (several during a rotation), in constant time.
 * Every secret is compared even after a match, so timing says nothing about which secret matched.
 */
export function verifyDfnsSignature(rawBody: string, header: string | undefined, secrets: readonly string[]): boolean {
  if (!header || secrets.length === 0) return false;
  const received = Buffer.from(header.trim().toLowerCase(), 'utf8');
  let ok = false;
  for (const secret of secrets) {
    const expected = Buffer.from(signDfnsWebhook(rawBody, secret), 'utf8');
    const same = received.length === expected.length && timingSafeEqual(received, expected);
    ok = ok || same;
  }
  return ok;
}

/** Explains why a delivery's timestampSent (unix seconds) is outside the replay window, or returns undefined. */
export function timestampProblem(timestampSent: unknown, nowMs: number, toleranceSeconds: number): string | undefined {
  if (typeof timestampSent !== 'number' || !Number.isFinite(timestampSent))
    return 'timestampSent is missing or not a number';
  const skew = nowMs / 1000 - timestampSent;
  if (skew >= toleranceSeconds) return `delivery is ${Math.round(skew)}s old; the window is ${toleranceSeconds}s`;
  if (-skew >= toleranceSeconds) return `delivery is dated ${Math.round(-skew)}s in the future`;
  return undefined;
}
