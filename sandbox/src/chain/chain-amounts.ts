import type { NetworkInfo } from './networks';

/**
 * The largest amount one transfer can carry, per chain family and transfer kind, from each amount's type in its
 * standard: EVM wei and EIP-20 `_value` are uint256; Tron's TransferContract `amount` (TRX in sun) is an int64 and
 * TIP-20's `_value` a uint256; Solana's System Program `lamports` and the token programs' `amount` are u64; Bitcoin
 * has at most 21 million BTC (Bitcoin Core's `MAX_MONEY`).
 */
export function maxAmount(family: NetworkInfo['family'], kind: string): { max: bigint; what: string } {
  const uint256 = { max: (1n << 256n) - 1n, what: 'uint256' };
  switch (family) {
    case 'evm':
      return uint256;
    case 'tron':
      return kind === 'Native' ? { max: (1n << 63n) - 1n, what: 'int64' } : uint256;
    case 'solana':
      return { max: (1n << 64n) - 1n, what: 'u64' };
    case 'bitcoin':
      return { max: 21_000_000n * 100_000_000n, what: 'MAX_MONEY (21 million BTC)' };
  }
}

/**
 * Bitcoin Core's dust threshold (`GetDustThreshold`, src/policy/policy.cpp, at its default `DUST_RELAY_TX_FEE` of
 * 3,000 sat/kvB): an output is dust when spending it costs more than it holds, counting the output's 8-byte value,
 * 1-byte script length and script, plus an input of 148 bytes (32 + 4 + 1 + 107 + 4) for a legacy script or of
 * 67 vbytes (the 107 bytes of witness at a quarter) for a witness program. Core refuses to relay such a transaction.
 */
export function bitcoinDustThreshold(script: { length: number; witness: boolean }): bigint {
  const spendingInput = script.witness ? 32 + 4 + 1 + Math.floor(107 / 4) + 4 : 32 + 4 + 1 + 107 + 4;
  return (BigInt(8 + 1 + script.length + spendingInput) * 3_000n) / 1_000n;
}
