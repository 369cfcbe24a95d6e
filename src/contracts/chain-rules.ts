import { MAX_UINT256 } from './amount';
import { bitcoinAddressProblem } from './bitcoin-address';
import { evmAddressProblem } from './evm-address';
import { NETWORKS, type NetworkInfo, type NetworkName } from './networks';
import { solanaAddressProblem } from './solana-address';
import { tronAddressProblem } from './tron-address';

/** What each chain family allows in a transfer: the largest amount, and the token kind Dfns names for it. */
export interface FamilyRules {
  /** The largest amount the chain can carry, in minimum units. */
  maxAmount: bigint;
  /** What the bound is called in error messages. */
  maxAmountName: string;
  /** The Dfns transfer kind for this family's fungible tokens. */
  tokenKind: 'Erc20' | 'Trc20' | 'Spl' | undefined;
}

export const FAMILY_RULES: Record<NetworkInfo['family'], FamilyRules> = {
  evm: { maxAmount: MAX_UINT256, maxAmountName: 'a uint256', tokenKind: 'Erc20' },
  // TRC-20 amounts are uint256 in the contract, but Tron's own amounts (TRX in sun) are int64, and so is every
  // balance a Tron node reports: int64 is the bound a payment can rely on.
  tron: { maxAmount: (1n << 63n) - 1n, maxAmountName: 'an int64 (Tron)', tokenKind: 'Trc20' },
  // Lamports and SPL token amounts are u64.
  solana: { maxAmount: (1n << 64n) - 1n, maxAmountName: 'a u64 (Solana)', tokenKind: 'Spl' },
  // No more than 21 million BTC will ever exist: 21e6 × 1e8 satoshis.
  bitcoin: { maxAmount: 2_100_000_000_000_000n, maxAmountName: '21 million BTC in satoshis', tokenKind: undefined },
};

/** Explains why `amount` (already a positive integer string) is too large for `network`, or returns undefined. */
export function amountBoundProblem(network: NetworkName, amount: string): string | undefined {
  const rules = FAMILY_RULES[NETWORKS[network].family];
  // 78 digits is more than any bound here can hold; checking length first keeps BigInt off huge inputs.
  return amount.length > 78 || BigInt(amount) > rules.maxAmount ? `is too large for ${rules.maxAmountName}` : undefined;
}

/** Explains why `address` is not an address (or token id) on `network`, or returns undefined when it is. */
export function addressProblem(network: NetworkName, address: string): string | undefined {
  switch (NETWORKS[network].family) {
    case 'evm':
      return evmAddressProblem(address);
    case 'tron':
      return tronAddressProblem(address);
    case 'solana':
      return solanaAddressProblem(address);
    case 'bitcoin':
      return bitcoinAddressProblem(address, network === 'Bitcoin' ? 'mainnet' : 'testnet');
  }
}
