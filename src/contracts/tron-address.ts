import { decodeBase58check } from './base58check';

/** Every Tron account and contract address is 0x41 and a 20-byte id (https://developers.tron.network/docs/account). */
const TRON_PREFIX = 0x41;

/**
 * Explains why a string is not a Tron address in its Base58Check form ("T…", 34 characters), or returns undefined.
 * Tron's hex form (41…) is refused: Dfns and every wallet show the Base58 form, which carries a checksum.
 */
export function tronAddressProblem(address: string): string | undefined {
  if (!/^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(address)) return 'must be a Tron address: T followed by 33 Base58 characters';
  const payload = decodeBase58check(address);
  if (!payload) return 'has an invalid Base58Check checksum';
  if (payload.length !== 21 || payload[0] !== TRON_PREFIX) return 'is not a Tron address (wrong version or length)';
  return undefined;
}
