import { generateKeyPairSync } from 'node:crypto';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import type { NetworkInfo } from '../chain/networks';
import { bitcoinTestnetAddress, solanaAddress, tronAddress } from './chain-addresses';
import { generateEvmIdentity } from './evm-address';

/** A wallet's address and signing key, as `GET /wallets/{id}` shows them. */
export interface ChainIdentity {
  address: string;
  signingKey: { scheme: 'ECDSA' | 'EdDSA'; curve: 'secp256k1' | 'ed25519'; publicKey: string };
}

/**
 * A fresh identity on a chain family, derived from a throwaway key the way each chain does: a Tron address is the
 * EVM account id under Tron's 0x41 prefix, a Solana address is the ed25519 public key, and a Bitcoin address is a
 * P2WPKH of the compressed secp256k1 key's HASH160.
 */
export function generateIdentity(family: NetworkInfo['family']): ChainIdentity {
  if (family === 'solana') {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
    const signingKey = { scheme: 'EdDSA' as const, curve: 'ed25519' as const, publicKey: raw.toString('hex') };
    return { address: solanaAddress(raw), signingKey };
  }
  const evm = generateEvmIdentity();
  const signingKey = { scheme: 'ECDSA' as const, curve: 'secp256k1' as const, publicKey: evm.publicKeyHex };
  if (family === 'tron') return { address: tronAddress(hexToBytes(evm.address.slice(2))), signingKey };
  if (family === 'bitcoin') {
    return { address: bitcoinTestnetAddress(ripemd160(sha256(hexToBytes(evm.publicKeyHex)))), signingKey };
  }
  return { address: evm.address, signingKey };
}
