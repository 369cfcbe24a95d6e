import { bech32, bech32m } from '@scure/base';
import { decodeBase58check } from './base58check';

/** Bitcoin's address parameters: mainnet, or the testnets (testnet3, testnet4 and signet share them). */
export type BitcoinChain = 'mainnet' | 'testnet';

const PARAMS = {
  mainnet: { hrp: 'bc', p2pkh: 0x00, p2sh: 0x05 },
  testnet: { hrp: 'tb', p2pkh: 0x6f, p2sh: 0xc4 },
} as const;

/**
 * The output script an address pays to: its standard name and the length of its scriptPubKey in bytes. P2PKH is
 * `OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG` (25 bytes), P2SH `OP_HASH160 <20> OP_EQUAL` (23), and a
 * witness program `OP_n <program>` (2 + its length: 22 for P2WPKH, 34 for P2WSH and P2TR).
 */
export interface BitcoinOutput {
  type: 'P2PKH' | 'P2SH' | 'P2WPKH' | 'P2WSH' | 'P2TR' | `witness v${number}`;
  /** True for the segwit (witness program) outputs, which are spent with discounted witness data. */
  witness: boolean;
  scriptLength: number;
}

type Decoded = { output: BitcoinOutput; problem?: undefined } | { output?: undefined; problem: string };

/** Legacy P2PKH and P2SH addresses: a version byte and a 20-byte hash, in Base58Check. */
function decodeLegacy(address: string, chain: BitcoinChain): Decoded {
  const payload = decodeBase58check(address);
  if (!payload) return { problem: 'has an invalid Base58Check checksum' };
  const { p2pkh, p2sh } = PARAMS[chain];
  if (payload.length === 21 && payload[0] === p2pkh)
    return { output: { type: 'P2PKH', witness: false, scriptLength: 25 } };
  if (payload.length === 21 && payload[0] === p2sh)
    return { output: { type: 'P2SH', witness: false, scriptLength: 23 } };
  return { problem: `is not a ${chain} P2PKH or P2SH address` };
}

function witnessType(version: number, length: number): BitcoinOutput['type'] {
  if (version === 0) return length === 20 ? 'P2WPKH' : 'P2WSH';
  return version === 1 && length === 32 ? 'P2TR' : `witness v${version}`;
}

/**
 * Segwit addresses (BIP-173, BIP-350): witness version 0 uses bech32 with a 20- or 32-byte program; versions 1 to 16
 * use bech32m with a 2- to 40-byte program. Which checksum is used is part of validity: a v1 address with a bech32
 * checksum is the mistake BIP-350 exists to catch.
 */
function decodeSegwit(address: string, chain: BitcoinChain): Decoded {
  const lower = address.toLowerCase();
  if (address !== lower && address !== address.toUpperCase()) return { problem: 'must not mix upper and lower case' };
  const { hrp } = PARAMS[chain];
  if (!lower.startsWith(`${hrp}1`)) return { problem: `must start with ${hrp}1 on ${chain}` };
  // The first data character is the witness version; "q" is 0 in the bech32 alphabet.
  const v0 = lower.charAt(hrp.length + 1) === 'q';
  const coder = v0 ? bech32 : bech32m;
  let words: number[];
  try {
    words = coder.decode(lower as `${string}1${string}`, 90).words;
  } catch {
    return { problem: `has an invalid ${v0 ? 'bech32' : 'bech32m'} checksum or characters` };
  }
  const [witnessVersion, ...programWords] = words;
  if (witnessVersion === undefined || witnessVersion > 16) return { problem: 'has an invalid witness version' };
  let program: Uint8Array;
  try {
    program = coder.fromWords(programWords);
  } catch {
    return { problem: 'has invalid padding in its witness program' };
  }
  if (witnessVersion === 0 && program.length !== 20 && program.length !== 32) {
    return { problem: 'must carry a 20- or 32-byte witness program for version 0' };
  }
  if (program.length < 2 || program.length > 40) return { problem: 'must carry a 2- to 40-byte witness program' };
  const type = witnessType(witnessVersion, program.length);
  return { output: { type, witness: true, scriptLength: 2 + program.length } };
}

function decode(address: string, chain: BitcoinChain): Decoded {
  if (address.length < 14 || address.length > 90) return { problem: 'must be a Bitcoin address (14 to 90 characters)' };
  if (/^(bc|tb)1/i.test(address)) return decodeSegwit(address, chain);
  if (!/^[1-9A-HJ-NP-Za-km-z]+$/.test(address)) return { problem: 'must be a Base58 or bech32 Bitcoin address' };
  return decodeLegacy(address, chain);
}

/** Explains why a string is not a Bitcoin address on `chain` (legacy Base58Check or segwit), or returns undefined. */
export function bitcoinAddressProblem(address: string, chain: BitcoinChain): string | undefined {
  return decode(address, chain).problem;
}

/** The output script a valid Bitcoin address pays to, or undefined when the address is not valid on `chain`. */
export function bitcoinOutputOf(address: string, chain: BitcoinChain): BitcoinOutput | undefined {
  return decode(address, chain).output;
}
