import { sha256 } from '@noble/hashes/sha2.js';
import { createBase58check } from '@scure/base';

/**
 * Base58Check (Base58 with a double-SHA-256 checksum), shared by Bitcoin's legacy addresses and Tron's addresses.
 * `decode` throws on a bad alphabet or checksum.
 */
export const base58check = createBase58check(sha256);

/** The payload of a Base58Check string, or undefined when its alphabet or checksum is wrong. */
export function decodeBase58check(value: string): Uint8Array | undefined {
  try {
    return base58check.decode(value);
  } catch {
    return undefined;
  }
}
