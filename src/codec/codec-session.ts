import { hkdfSync } from 'node:crypto';
import type { CodecKeyring } from '../temporal/codec-keys';

/** How long a browser's sign-in at the codec endpoint lasts. */
export const CODEC_SESSION_MS = 8 * 3_600_000;
/** The session cookie (HMAC-signed by Hono's signed-cookie helper, HttpOnly, SameSite=Strict, path /codec). */
export const CODEC_SESSION_COOKIE = 'payments_codec_session';

/**
 * The cookies' HMAC key, derived (HKDF-SHA256) from the codec key that encrypts: every replica holding the codec
 * keys agrees on it without a secret of its own, and a key rotation ends every session.
 */
export function sessionSecret(keyring: CodecKeyring): Buffer {
  const key = keyring.keys.get(keyring.encryptKeyId) as Buffer;
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'payments codec endpoint sessions v1', 32));
}

/** The signed content of a session: the API key that signed in, and when the session ends. */
export function sessionValue(keyId: string, now: number): { value: string; expiresAt: Date } {
  const expiresAt = now + CODEC_SESSION_MS;
  return { value: `${keyId}.${expiresAt}`, expiresAt: new Date(expiresAt) };
}

/**
 * The key id of a session whose signature verified, `expired` once its time is up (the browser keeps a cookie as
 * long as it likes, so the end is checked here), or undefined for a value this code never wrote.
 */
export function readSessionValue(value: string, now: number): { keyId: string } | 'expired' | undefined {
  const match = /^([a-z0-9]{12})\.(\d{1,16})$/.exec(value);
  if (!match) return undefined;
  return Number(match[2]) > now ? { keyId: match[1] as string } : 'expired';
}
