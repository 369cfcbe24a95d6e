/** Fiat quotes Dfns attaches to asset metadata; display-only numbers, never used for balances. */
export type Quotes = Record<string, number>;

/** A fungible token the sandbox knows on one network. */
export interface TokenInfo {
  kind: 'Erc20' | 'Trc20' | 'Spl' | 'Spl2022';
  /** The token's contract address (ERC-20, TRC-20) or mint (SPL, Token-2022). */
  contract: string;
  symbol: string;
  decimals: number;
  quotes: Quotes;
}

/** What the simulated chain needs to know about one Dfns network. */
export interface NetworkInfo {
  name: string;
  family: 'evm' | 'tron' | 'solana' | 'bitcoin';
  native: { symbol: string; decimals: number; quotes: Quotes };
  /**
   * Dfns sends `wallet.transfer.confirmed` only on Tier-1 chains. Elsewhere the sandbox still moves
   * the transfer to `Confirmed` (visible with GET) but sends no confirmed webhook.
   */
  emitsConfirmed: boolean;
  /** Simulated block time before `timeScale` divides it. */
  blockTimeMs: number;
  /** Blocks after inclusion before Dfns reports Confirmed; unset: the sandbox's `confirmations` option (EVM). */
  confirmations?: number;
  /**
   * Whether Dfns offers fee sponsors here: the networks its Fee Sponsors page lists
   * (https://docs.dfns.co/d/api-docs/fee-sponsors, "Supported networks": the EVM ones in beta over EIP-7702, Solana
   * and SolanaDevnet, Stellar). Tron and Bitcoin are not listed.
   */
  feeSponsors: boolean;
  tokens: TokenInfo[];
}

const ETH = { symbol: 'ETH', decimals: 18, quotes: { USD: 3000, EUR: 2760 } };
const usdc = (contract: string): TokenInfo => ({
  kind: 'Erc20',
  contract,
  symbol: 'USDC',
  decimals: 6,
  quotes: { USD: 1, EUR: 0.92 },
});

const stable = (kind: TokenInfo['kind'], contract: string, symbol: string): TokenInfo => ({
  kind,
  contract,
  symbol,
  decimals: 6,
  quotes: { USD: 1, EUR: 0.92 },
});

// More networks slot in here; nothing else hard-codes a network name. Block times and depths are each chain's own:
// Tron produces a block every 3 s and a block is irreversible ("solidified") 19 blocks later
// (https://developers.tron.network/docs/tron-protocol); Solana slots are about 400 ms and a block is finalized after
// 32 confirmed slots (https://solana.com/docs/core/transactions); Bitcoin averages 10 minutes a block and Dfns counts
// a transfer confirmed after a couple of blocks.
const NETWORKS: readonly NetworkInfo[] = [
  {
    name: 'EthereumSepolia',
    feeSponsors: true,
    family: 'evm',
    native: ETH,
    emitsConfirmed: true,
    blockTimeMs: 2000,
    tokens: [usdc('0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238')],
  },
  {
    name: 'BaseSepolia',
    feeSponsors: true,
    family: 'evm',
    native: ETH,
    emitsConfirmed: false,
    blockTimeMs: 1000,
    tokens: [usdc('0x036CbD53842c5426634e7929541eC2318f3dCF7e')],
  },
  {
    name: 'TronNile',
    feeSponsors: false,
    family: 'tron',
    native: { symbol: 'TRX', decimals: 6, quotes: { USD: 0.25, EUR: 0.23 } },
    emitsConfirmed: false,
    blockTimeMs: 3000,
    confirmations: 19,
    tokens: [stable('Trc20', 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf', 'USDT')],
  },
  {
    name: 'SolanaDevnet',
    feeSponsors: true,
    family: 'solana',
    native: { symbol: 'SOL', decimals: 9, quotes: { USD: 150, EUR: 138 } },
    emitsConfirmed: true,
    blockTimeMs: 400,
    confirmations: 32,
    // USDC is an SPL Token mint; PayPal USD's devnet mint is a Token-2022 (Token Extensions) one, sent as `Spl2022`.
    tokens: [
      stable('Spl', '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU', 'USDC'),
      stable('Spl2022', 'CXk2AMBfi3TwaEL2468s6zP8xq9NxTXjp9gjMgzeUynM', 'PYUSD'),
    ],
  },
  {
    name: 'BitcoinSignet',
    feeSponsors: false,
    family: 'bitcoin',
    native: { symbol: 'BTC', decimals: 8, quotes: { USD: 90_000, EUR: 83_000 } },
    emitsConfirmed: true,
    blockTimeMs: 600_000,
    confirmations: 2,
    tokens: [],
  },
  {
    name: 'BitcoinTestnet4',
    feeSponsors: false,
    family: 'bitcoin',
    native: { symbol: 'BTC', decimals: 8, quotes: { USD: 90_000, EUR: 83_000 } },
    emitsConfirmed: false,
    blockTimeMs: 600_000,
    confirmations: 2,
    tokens: [],
  },
];

/** Looks a network up by its Dfns name. */
export function findNetwork(name: string): NetworkInfo | undefined {
  return NETWORKS.find((network) => network.name === name);
}

/** Looks a network up by its Dfns name, throwing when the state refers to an unknown one. */
export function getNetwork(name: string): NetworkInfo {
  const network = findNetwork(name);
  if (!network) throw new Error(`Unknown network in sandbox state: ${name}`);
  return network;
}

/** Finds a token by contract or mint: case-insensitive on EVM (hex), exact elsewhere (Base58 is case-sensitive). */
export function findToken(network: NetworkInfo, contract: string): TokenInfo | undefined {
  const same = (a: string) => (network.family === 'evm' ? a.toLowerCase() === contract.toLowerCase() : a === contract);
  return network.tokens.find((token) => same(token.contract));
}
