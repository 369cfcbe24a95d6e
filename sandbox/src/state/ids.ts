import { randomBytes, randomInt } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

function randomChars(count: number): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/**
 * Returns a Dfns-style entity id such as `xfr-20g4k-nsdpo-mg6arrifgvid4orn`: prefix and three lowercase base-36
 * groups.
 */
export function newId(prefix: string): string {
  return `${prefix}-${randomChars(5)}-${randomChars(5)}-${randomChars(16)}`;
}

/** Returns an opaque credential id: base64url of a `cr-…` id, like the `Y2kt…` ids Dfns hands out. */
export function newCredentialId(): string {
  return Buffer.from(newId('cr')).toString('base64url');
}

/** Returns a numeric error id like Dfns's `"2038837570328299032"`. */
export function newErrorId(): string {
  return (randomBytes(8).readBigUInt64BE() >> 1n).toString();
}

/** Returns `bytes` random bytes as base64url, for secrets, challenges and one-time tokens. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Returns 0x-prefixed lowercase hex of `bytes` random bytes (e.g. a 32-byte tx hash). */
export function randomHex(bytes: number): string {
  return `0x${randomBytes(bytes).toString('hex')}`;
}
