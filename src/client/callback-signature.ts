import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying an outcome callback's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const CALLBACK_SIGNATURE_HEADER = 'x-payment-signature';

/** Signs a callback body at a time; the timestamp is signed too, so a captured callback cannot be replayed later. */
export function signCallback(body: string, secret: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

/** For services receiving callbacks: checks the signature in constant time and the timestamp against a window. */
export function verifyCallback(
  body: string,
  header: string | undefined,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header?.trim() ?? '');
  if (!match) return false;
  const timestamp = Number(match[1]);
  if (Math.abs(nowSeconds - timestamp) >= toleranceSeconds) return false;
  const expected = Buffer.from(signCallback(body, secret, timestamp), 'utf8');
  const received = Buffer.from(header?.trim() ?? '', 'utf8');
  return expected.length === received.length && timingSafeEqual(expected, received);
}
