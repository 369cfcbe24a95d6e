import { MAX_UINT256 } from './amount';
import { bitcoinAddressProblem, bitcoinOutputOf, type BitcoinChain } from './bitcoin-address';
import { dustThreshold } from './bitcoin-dust';
import { evmAddressProblem } from './evm-address';
import { NETWORKS, type KnownToken, type NetworkInfo, type NetworkName } from './networks';
import { solanaAddressProblem } from './solana-address';
import { tronAddressProblem } from './tron-address';

/** A Dfns fungible-token transfer kind. */
export type TokenKind = KnownToken['kind'];

/** The Dfns transfer kinds for each family's fungible tokens (https://docs.dfns.co/api-reference/wallets/transfer-asset). */
export const TOKEN_KINDS: Record<NetworkInfo['family'], readonly TokenKind[]> = {
  evm: ['Erc20'],
  tron: ['Trc20'],
  // Solana's two token programs: SPL Token, and Token-2022 (Token Extensions), which Dfns sends as `Spl2022`.
  solana: ['Spl', 'Spl2022'],
  bitcoin: [],
};

/** The largest amount one transfer of a kind can carry on a family, and what the bound is called in messages. */
export interface AmountBound {
  max: bigint;
  name: string;
}

const UINT256 = (standard: string): AmountBound => ({ max: MAX_UINT256, name: `a uint256 (${standard})` });
const U64 = (what: string): AmountBound => ({ max: (1n << 64n) - 1n, name: `a u64 (${what})` });

/**
 * Each amount's own type, from the standard that defines it:
 * - EVM: wei are a 256-bit word, and EIP-20's `transfer(address _to, uint256 _value)` takes a uint256.
 * - Tron: TRX moves in sun as the `int64 amount` of a TransferContract (https://developers.tron.network/docs/trx);
 *   TIP-20, Tron's ERC-20, takes a uint256, and tokens with 18 decimals (USDD, JST, SUN, BTT) need it.
 * - Solana: the System Program's `Transfer { lamports: u64 }`, and the token programs' `Transfer { amount: u64 }`
 *   (https://solana.com/docs/core/tokens).
 * - Bitcoin: no more than 21 million BTC can exist, `MAX_MONEY` in Bitcoin Core's src/consensus/amount.h.
 */
export function amountBound(family: NetworkInfo['family'], kind: 'Native' | TokenKind): AmountBound {
  switch (family) {
    case 'evm':
      return UINT256(kind === 'Native' ? 'wei' : 'EIP-20');
    case 'tron':
      return kind === 'Native' ? { max: (1n << 63n) - 1n, name: 'an int64 (TRX in sun)' } : UINT256('TIP-20');
    case 'solana':
      return U64(kind === 'Native' ? 'lamports' : 'SPL token amount');
    case 'bitcoin':
      return { max: 2_100_000_000_000_000n, name: '21 million BTC in satoshis' };
  }
}

/** Explains why `amount` (already a positive integer string) is too large for `kind` on `network`, or undefined. */
export function amountBoundProblem(
  network: NetworkName,
  kind: 'Native' | TokenKind,
  amount: string,
): string | undefined {
  const bound = amountBound(NETWORKS[network].family, kind);
  // 78 digits is more than any bound here can hold; checking length first keeps BigInt off huge inputs.
  return amount.length > 78 || BigInt(amount) > bound.max ? `is too large for ${bound.name}` : undefined;
}

const bitcoinChain = (network: NetworkName): BitcoinChain => (network === 'Bitcoin' ? 'mainnet' : 'testnet');

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
      return bitcoinAddressProblem(address, bitcoinChain(network));
  }
}

/**
 * Explains why `amount` satoshis to `to` would be a dust output that Bitcoin Core nodes refuse to relay, or returns
 * undefined (also for a network that is not Bitcoin, or an address that is not valid there).
 */
export function dustProblem(network: NetworkName, to: string, amount: string): string | undefined {
  if (NETWORKS[network].family !== 'bitcoin') return undefined;
  const output = bitcoinOutputOf(to, bitcoinChain(network));
  if (!output) return undefined;
  const threshold = dustThreshold(output);
  return amount.length <= 16 && BigInt(amount) < BigInt(threshold)
    ? `must be at least ${threshold} satoshis to a ${output.type} address: a smaller output is dust, which Bitcoin Core nodes do not relay`
    : undefined;
}

/** Whether two addresses are the same account: EVM hex compares without its checksum case, Base58 exactly. */
export function sameAddress(network: NetworkName, a: string, b: string): boolean {
  return NETWORKS[network].family === 'evm' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** The token the orchestrator knows by this contract or mint on `network`, if any. */
export function findKnownToken(network: NetworkName, id: string): KnownToken | undefined {
  return NETWORKS[network].knownTokens?.find((token) => sameAddress(network, token.id, id));
}
