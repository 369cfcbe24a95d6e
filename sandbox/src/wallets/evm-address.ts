import { generateKeyPairSync } from 'node:crypto';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Returns the EIP-55 mixed-case checksum form of a 0x + 40 hex address. */
export function toChecksumAddress(address: string): string {
  const hex = address.slice(2).toLowerCase();
  const hash = bytesToHex(keccak_256(utf8ToBytes(hex)));
  let out = '0x';
  for (let i = 0; i < hex.length; i += 1) {
    const char = hex[i] as string;
    out += Number.parseInt(hash[i] as string, 16) >= 8 ? char.toUpperCase() : char;
  }
  return out;
}

/** Explains why `address` is not a valid EVM address, or returns undefined when it is. */
export function evmAddressProblem(address: string): string | undefined {
  if (!EVM_ADDRESS.test(address)) return 'must be 0x followed by 40 hex characters';
  const body = address.slice(2);
  // All-lowercase and all-uppercase addresses carry no checksum, so EIP-55 accepts them as-is.
  if (body === body.toLowerCase() || body === body.toUpperCase()) return undefined;
  return toChecksumAddress(address) === address ? undefined : 'has an invalid EIP-55 checksum';
}

/** A fresh secp256k1 key's EVM address and compressed public key; the private key is discarded. */
export interface EvmKeyIdentity {
  address: string;
  publicKeyHex: string;
}

/** Derives a real EVM identity (keccak256 of the uncompressed public key) from a throwaway key. */
export function generateEvmIdentity(): EvmKeyIdentity {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x ?? '', 'base64url');
  const y = Buffer.from(jwk.y ?? '', 'base64url');
  const hash = keccak_256(Buffer.concat([x, y]));
  const address = toChecksumAddress(`0x${bytesToHex(hash.slice(12))}`);
  const prefix = (y[y.length - 1] ?? 0) % 2 === 0 ? '02' : '03';
  return { address, publicKeyHex: prefix + x.toString('hex') };
}
