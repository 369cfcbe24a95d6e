import type { BitcoinOutput } from './bitcoin-address';

/**
 * Bitcoin Core's default dust relay fee, 3,000 satoshis per 1,000 vbytes (`DUST_RELAY_TX_FEE`, src/policy/policy.h).
 * Nodes running the default policy neither relay nor mine into their mempool a transaction with a dust output.
 */
const DUST_RELAY_SAT_PER_KVB = 3_000;

/**
 * The smallest output Bitcoin Core relays to this output script: `GetDustThreshold` in src/policy/policy.cpp. An
 * output is dust when spending it would cost more than it holds at the dust relay fee: its own serialized size (8
 * bytes of value, a 1-byte script length, the script) plus the input that spends it, 148 bytes for a legacy output
 * or 32 + 4 + 1 + 107/4 + 4 = 67 vbytes for a witness program (Bitcoin Core's comment: 546 satoshis for P2PKH, 294
 * for P2WPKH). Every witness version is costed like P2WPKH, as Bitcoin Core does.
 */
export function dustThreshold(output: BitcoinOutput): number {
  const outputSize = 8 + 1 + output.scriptLength;
  const inputSize = output.witness ? 32 + 4 + 1 + Math.floor(107 / 4) + 4 : 32 + 4 + 1 + 107 + 4;
  return Math.floor(((outputSize + inputSize) * DUST_RELAY_SAT_PER_KVB) / 1_000);
}
