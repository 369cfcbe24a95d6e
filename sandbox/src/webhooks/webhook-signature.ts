import { createHmac } from 'node:crypto';

/** The `X-DFNS-WEBHOOK-SIGNATURE` value: `sha256=` + lowercase hex HMAC of the exact body bytes. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(body, 'utf8').digest('hex')}`;
}
