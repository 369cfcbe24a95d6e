import type { NetworkInfo } from './networks';
import type { TransferBody } from '../wallets/transfer-body';

type Priority = 'Slow' | 'Standard' | 'Fast';
const priorityOf = (body: TransferBody): Priority => ('priority' in body && body.priority) || 'Standard';

// EVM: a plain value transfer costs 21k gas, a token transfer about 65k.
const GWEI = 1_000_000_000n;
const EVM_GAS_UNITS = { Native: 21_000n, Erc20: 65_000n } as const;
const EVM_GAS_PRICE: Record<Priority, bigint> = { Slow: 1n * GWEI, Standard: 2n * GWEI, Fast: 3n * GWEI };

/**
 * Tron (https://developers.tron.network/docs/resource-model): a transaction consumes bandwidth for its bytes, and a
 * TRC-20 call also consumes energy. With no staked resources the network burns TRX for both: 1,000 sun per
 * bandwidth point and 210 sun per energy unit. The sandbox leaves out the 600 free daily bandwidth points.
 */
export const TRON = {
  bandwidth: { Native: 267n, Trc20: 345n },
  sunPerBandwidth: 1_000n,
  trc20Energy: 65_000n,
  sunPerEnergy: 210n,
};

/** Solana: 5,000 lamports per signature, plus the rent-exempt deposit of a new token account when one is created. */
export const SOLANA = { feePerSignature: 5_000n, tokenAccountRent: 2_039_280n };

/** Bitcoin: a one-input, two-output P2WPKH payment is about 141 vbytes; fee rates in sat/vB by priority. */
export const BITCOIN = { vbytes: 141n, feeRate: { Slow: 2n, Standard: 5n, Fast: 10n } as Record<Priority, bigint> };

/** The gas an EVM transfer uses. */
export function evmGasUnits(body: TransferBody): bigint {
  return body.kind === 'Erc20' ? EVM_GAS_UNITS.Erc20 : EVM_GAS_UNITS.Native;
}

/** The gas price an EVM priority pays, in wei. */
export function evmGasPrice(body: TransferBody): bigint {
  return EVM_GAS_PRICE[priorityOf(body)];
}

/** The gas price of the `Fast` priority, the floor of an EVM speed-up. */
export const FAST_GAS_PRICE = EVM_GAS_PRICE.Fast;

/** The Bitcoin fee rate of a transfer, in sat/vB. */
export function bitcoinFeeRate(body: TransferBody): bigint {
  return BITCOIN.feeRate[priorityOf(body)];
}

/** The bandwidth part of a Tron fee (what must be paid for the transaction to be accepted at all), in sun. */
export function tronBandwidthFee(body: TransferBody): bigint {
  return (body.kind === 'Trc20' ? TRON.bandwidth.Trc20 : TRON.bandwidth.Native) * TRON.sunPerBandwidth;
}

/** The simulated network fee of a transfer, in minimum units of the network's native coin. */
export function networkFee(network: NetworkInfo, body: TransferBody): bigint {
  switch (network.family) {
    case 'evm':
      return evmGasUnits(body) * evmGasPrice(body);
    case 'tron':
      return tronBandwidthFee(body) + (body.kind === 'Trc20' ? TRON.trc20Energy * TRON.sunPerEnergy : 0n);
    case 'solana': {
      const splToken = body.kind === 'Spl' || body.kind === 'Spl2022';
      const rent = splToken && body.createDestinationAccount === true ? SOLANA.tokenAccountRent : 0n;
      return SOLANA.feePerSignature + rent;
    }
    case 'bitcoin':
      return BITCOIN.vbytes * bitcoinFeeRate(body);
  }
}
