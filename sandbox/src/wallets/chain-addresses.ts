import { sha256 } from '@noble/hashes/sha2.js';
import { base58, bech32, bech32m, createBase58check } from '@scure/base';

const b58check = createBase58check(sha256);

const attempt = <T>(decode: () => T): T | undefined => {
  try {
    return decode();
  } catch {
    return undefined;
  }
};

/** Tron: Base58Check of 0x41 and a 20-byte account id (https://developers.tron.network/docs/account). */
export function tronAddressProblem(address: string): string | undefined {
  const bytes = /^T/.test(address) ? attempt(() => b58check.decode(address)) : undefined;
  return bytes?.length === 21 && bytes[0] === 0x41 ? undefined : 'is not a valid Tron address';
}

/** Solana: a 32-byte public key in Base58 (https://solana.com/docs/core/accounts). */
export function solanaAddressProblem(address: string): string | undefined {
  const bytes = address.length <= 44 ? attempt(() => base58.decode(address)) : undefined;
  return bytes?.length === 32 ? undefined : 'is not a valid Solana address';
}

/** The witness program of a segwit address (BIP-173 bech32 for version 0, BIP-350 bech32m for 1–16), if valid. */
function segwitProgram(address: string, hrp: string): { version: number; program: Uint8Array } | undefined {
  const lower = address.toLowerCase();
  if ((address !== lower && address !== address.toUpperCase()) || !lower.startsWith(`${hrp}1`)) return undefined;
  const coder = lower.charAt(hrp.length + 1) === 'q' ? bech32 : bech32m;
  const decoded = attempt(() => coder.decode(lower as `${string}1${string}`, 90));
  const [version, ...data] = decoded?.words ?? [];
  if (version === undefined || version > 16) return undefined;
  const program = attempt(() => coder.fromWords(data));
  if (!program || program.length < 2 || program.length > 40) return undefined;
  return version !== 0 || program.length === 20 || program.length === 32 ? { version, program } : undefined;
}

/**
 * The scriptPubKey a Bitcoin testnet address pays to, as its length in bytes and whether it is a witness program:
 * P2PKH 25 bytes, P2SH 23, a segwit program of L bytes 2 + L. Undefined for an invalid address.
 */
export function bitcoinTestnetScript(address: string): { length: number; witness: boolean } | undefined {
  if (/^tb1/i.test(address)) {
    const segwit = segwitProgram(address, 'tb');
    return segwit && { length: 2 + segwit.program.length, witness: true };
  }
  const bytes = attempt(() => b58check.decode(address));
  if (bytes?.length !== 21) return undefined;
  if (bytes[0] === 0x6f) return { length: 25, witness: false };
  return bytes[0] === 0xc4 ? { length: 23, witness: false } : undefined;
}

/** Bitcoin testnets (the sandbox simulates no mainnet): tb1… segwit, or Base58Check P2PKH (0x6f) / P2SH (0xc4). */
export function bitcoinTestnetAddressProblem(address: string): string | undefined {
  return bitcoinTestnetScript(address) ? undefined : 'is not a valid Bitcoin testnet address';
}

/** Encodes a Tron address from a 20-byte account id. */
export const tronAddress = (accountId: Uint8Array): string => b58check.encode(Uint8Array.of(0x41, ...accountId));

/** Encodes a Solana address from a 32-byte public key. */
export const solanaAddress = (publicKey: Uint8Array): string => base58.encode(publicKey);

/** Encodes a P2WPKH testnet address (witness version 0) from a 20-byte key hash. */
export const bitcoinTestnetAddress = (keyHash: Uint8Array): string =>
  bech32.encode('tb', [0, ...bech32.toWords(keyHash)]);
