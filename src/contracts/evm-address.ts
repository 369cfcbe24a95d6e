import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Returns the EIP-55 mixed-case checksum form of a well-formed EVM address. */
export function toChecksumAddress(address: string): string {
  const hex = address.slice(2).toLowerCase();
  const hash = bytesToHex(keccak_256(utf8ToBytes(hex)));
  let out = '0x';
  for (let i = 0; i < hex.length; i++) {
    const ch = hex[i] as string;
    out += parseInt(hash[i] as string, 16) >= 8 ? ch.toUpperCase() : ch;
  }
  return out;
}

/**
 * Explains why a string is not a usable EVM address, or returns undefined when it is.
 * All-lowercase and all-uppercase addresses carry no checksum; a mixed-case one must match EIP-55,
 * because a wrong checksum is how a mistyped address is caught before money moves.
 */
export function evmAddressProblem(address: string): string | undefined {
  if (!EVM_ADDRESS.test(address)) return 'must be 0x followed by 40 hex characters';
  const body = address.slice(2);
  if (body === body.toLowerCase() || body === body.toUpperCase()) return undefined;
  return toChecksumAddress(address) === address ? undefined : 'has an invalid EIP-55 checksum';
}
