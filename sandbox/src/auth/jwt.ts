import { createHmac, timingSafeEqual } from 'node:crypto';

/** A compact HS256 JWT codec keyed by one per-sandbox secret. */
export interface JwtCodec {
  sign(payload: Record<string, unknown>): string;
  /** Returns the payload when the token is a well-formed HS256 JWT signed with our secret. */
  verify(token: string): Record<string, unknown> | undefined;
}

function encodePart(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Creates an HS256 codec; the secret never leaves this closure. */
export function createJwtCodec(secret: string): JwtCodec {
  const mac = (data: string) => createHmac('sha256', secret).update(data).digest();
  return {
    sign(payload) {
      const unsigned = `${encodePart({ alg: 'HS256', typ: 'JWT' })}.${encodePart(payload)}`;
      return `${unsigned}.${mac(unsigned).toString('base64url')}`;
    },
    verify(token) {
      const parts = token.split('.');
      if (parts.length !== 3) return undefined;
      const [header, payload, signature] = parts as [string, string, string];
      const expected = mac(`${header}.${payload}`);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const decodedHeader: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
        if ((decodedHeader as { alg?: unknown }).alg !== 'HS256') return undefined;
        const decoded: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        return typeof decoded === 'object' && decoded !== null ? (decoded as Record<string, unknown>) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
