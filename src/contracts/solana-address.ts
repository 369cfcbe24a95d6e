import { base58 } from '@scure/base';

/**
 * Explains why a string is not a Solana address (the Base58 form of a 32-byte public key), or returns undefined.
 * Solana addresses carry no checksum: the alphabet and the decoded length are all that can be checked; program
 * derived addresses (off the curve) are valid destinations too.
 */
export function solanaAddressProblem(address: string): string | undefined {
  if (!/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(address)) return 'must be a Solana address: 32 to 44 Base58 characters';
  let bytes: Uint8Array;
  try {
    bytes = base58.decode(address);
  } catch {
    return 'must be a Solana address: 32 to 44 Base58 characters';
  }
  return bytes.length === 32 ? undefined : `must decode to 32 bytes (decodes to ${bytes.length})`;
}
