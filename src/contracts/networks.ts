/** The Dfns networks this orchestrator can pay on, with what the workflow and the summary need to know of each. */
export interface NetworkInfo {
  /** Address and asset rules follow the chain family. */
  family: 'evm' | 'tron' | 'solana' | 'bitcoin';
  /** Human name used in summaries ("on Base"). */
  label: string;
  nativeSymbol: string;
  nativeDecimals: number;
  /** A broadcast transfer not confirmed after this long is stuck: flagged for operators and sped up. */
  stuckAfterMs: number;
  /**
   * Whether Dfns can rebroadcast a transfer with a higher fee on this network (EVM and Bitcoin, by replace-by-fee,
   * can). Where it cannot (Tron, Solana), a stuck transfer is escalated to a person instead.
   */
  supportsSpeedUp: boolean;
  /**
   * Whether Dfns sends `wallet.transfer.confirmed` here: only on its Tier-1 (indexed) networks. Elsewhere a transfer
   * reaches Confirmed only when the workflow reads it, so following it relies on polling.
   */
  emitsConfirmed: boolean;
  /** The chain's usual time between blocks. */
  blockTimeMs: number;
  /**
   * How long after the broadcast Dfns usually reports the transfer Confirmed (its confirmation depth times the block
   * time). Where Dfns sends no confirmed webhook, the workflow starts reading the transfer then, once a block.
   */
  confirmationMs: number;
  /**
   * Whether Dfns fee sponsors can pay this network's fees: only the networks Dfns's Fee Sponsors page lists (see
   * FEE_SPONSOR_NETWORKS).
   */
  supportsFeeSponsor: boolean;
  /** Tokens with well-known ids (a contract, an SPL mint), so summaries show them with their own decimals. */
  knownTokens?: readonly KnownToken[];
}

/** What the table below states per network; whether Dfns sponsors fees there comes from FEE_SPONSOR_NETWORKS. */
type NetworkFacts = Omit<NetworkInfo, 'supportsFeeSponsor'>;

/** A token whose kind, symbol and decimals the orchestrator knows without asking the caller. */
export interface KnownToken {
  /** The Dfns transfer kind the token moves with (a Token-2022 mint is `Spl2022`, not `Spl`). */
  kind: 'Erc20' | 'Trc20' | 'Spl' | 'Spl2022';
  /** The contract address or mint, as the chain writes it. */
  id: string;
  symbol: string;
  decimals: number;
}

/**
 * The networks, among those supported here, on which Dfns offers fee sponsors: the union of the lists on its Fee
 * Sponsors page (https://docs.dfns.co/d/api-docs/fee-sponsors: Base, Bsc, Ethereum, Optimism, Solana, Stellar and
 * their testnets; https://docs-legacy.dfns.co/d/api-docs/fee-sponsors adds ArbitrumOne and ArbitrumSepolia). Solana
 * was the first sponsored network (https://dfns.co/article/introducing-fee-sponsors). No Dfns list names Polygon,
 * Tron or Bitcoin, so a payment there may not name a sponsor.
 */
export const FEE_SPONSOR_NETWORKS = [
  'Ethereum',
  'EthereumSepolia',
  'Base',
  'BaseSepolia',
  'ArbitrumOne',
  'ArbitrumSepolia',
  'Optimism',
  'OptimismSepolia',
  'Solana',
  'SolanaDevnet',
] as const satisfies readonly NetworkName[];

// Circle's USDC contracts (https://developers.circle.com/stablecoins/usdc-contract-addresses): 6 decimals everywhere.
const usdc = (id: string): KnownToken => ({ kind: 'Erc20', id, symbol: 'USDC', decimals: 6 });

const MINUTE = 60_000;

const SECOND = 1_000;

// EVM: Ethereum makes a block every 12 s; the rollups (Base, Optimism) every 2 s, Arbitrum about every 250 ms, Polygon
// PoS about every 2 s. Dfns reports Confirmed a couple of blocks after inclusion; reading from then on, once a block,
// finds it within a block time (an earlier first read only costs a read).
const evm = (
  label: string,
  stuckAfterMinutes: number,
  blockTimeMs: number,
  usdcContract: string,
  nativeSymbol = 'ETH',
): NetworkFacts => ({
  family: 'evm',
  label,
  nativeSymbol,
  nativeDecimals: 18,
  stuckAfterMs: stuckAfterMinutes * MINUTE,
  supportsSpeedUp: true,
  emitsConfirmed: true,
  blockTimeMs,
  confirmationMs: 2 * blockTimeMs,
  knownTokens: [usdc(usdcContract)],
});

// Tron: 3-second blocks, final after 19 blocks; no replace-by-fee. Dfns does not list Tron among its Tier-1 networks,
// nor among its fee-sponsor networks (TRON's resource delegation plays that role).
const tron = (label: string, usdt: string): NetworkFacts => ({
  family: 'tron',
  label,
  nativeSymbol: 'TRX',
  nativeDecimals: 6,
  stuckAfterMs: 10 * MINUTE,
  supportsSpeedUp: false,
  emitsConfirmed: false,
  blockTimeMs: 3 * SECOND,
  confirmationMs: 19 * 3 * SECOND,
  knownTokens: [{ kind: 'Trc20', id: usdt, symbol: 'USDT', decimals: 6 }],
});

// Solana: a transaction whose blockhash expired (about 150 blocks, a minute or two) can never land, so one broadcast
// for minutes is stuck; there is no fee bump for a sent transaction. Tier-1 at Dfns, and Dfns's first fee-sponsor
// network. Slots are about 400 ms; a block is finalized 32 slots later.
const solana = (label: string, tokens: readonly KnownToken[]): NetworkFacts => ({
  family: 'solana',
  label,
  nativeSymbol: 'SOL',
  nativeDecimals: 9,
  stuckAfterMs: 5 * MINUTE,
  supportsSpeedUp: false,
  emitsConfirmed: true,
  blockTimeMs: 400,
  confirmationMs: 32 * 400,
  knownTokens: tokens,
});

// Bitcoin: 10-minute blocks with high variance, so a transfer is stuck only after hours; Dfns speeds it up by RBF, and
// counts a transfer confirmed after a couple of blocks.
const bitcoin = (label: string, stuckAfterMinutes: number, emitsConfirmed: boolean): NetworkFacts => ({
  family: 'bitcoin',
  label,
  nativeSymbol: 'BTC',
  nativeDecimals: 8,
  stuckAfterMs: stuckAfterMinutes * MINUTE,
  supportsSpeedUp: true,
  emitsConfirmed,
  blockTimeMs: 10 * MINUTE,
  confirmationMs: 2 * 10 * MINUTE,
});

const TABLE = {
  Ethereum: evm('Ethereum', 30, 12 * SECOND, '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48'),
  EthereumSepolia: evm('Ethereum Sepolia', 30, 12 * SECOND, '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238'),
  Base: evm('Base', 10, 2 * SECOND, '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913'),
  // Whether Dfns indexes Base Sepolia (sends wallet.transfer.confirmed) is not documented; the sandbox models it as a
  // network without. Reading a transfer Dfns would also have announced costs a read, never a wrong state.
  BaseSepolia: {
    ...evm('Base Sepolia', 10, 2 * SECOND, '0x036CbD53842c5426634e7929541eC2318f3dCF7e'),
    emitsConfirmed: false,
  },
  ArbitrumOne: evm('Arbitrum One', 10, 250, '0xaf88d065e77c8cC2239327C5EDb3A432268e5831'),
  ArbitrumSepolia: evm('Arbitrum Sepolia', 10, 250, '0x75faf114eafb1BDbe2F0316DF893fd58CE46AA4d'),
  Optimism: evm('Optimism', 10, 2 * SECOND, '0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85'),
  OptimismSepolia: evm('Optimism Sepolia', 10, 2 * SECOND, '0x5fd84259d66Cd46123540766Be93DFE6D43130D7'),
  Polygon: evm('Polygon', 15, 2 * SECOND, '0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359', 'POL'),
  PolygonAmoy: evm('Polygon Amoy', 15, 2 * SECOND, '0x41E94Eb019C0762f9Bfcf9Fb1E58725BfB0e7582', 'POL'),
  Tron: tron('Tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'),
  TronNile: tron('Tron Nile', 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf'),
  Solana: solana('Solana', [
    { kind: 'Spl', id: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', symbol: 'USDC', decimals: 6 },
    // PayPal USD is a Token-2022 mint (https://developer.paypal.com/community/blog/pyusd-solana/).
    { kind: 'Spl2022', id: '2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo', symbol: 'PYUSD', decimals: 6 },
  ]),
  SolanaDevnet: solana('Solana Devnet', [
    { kind: 'Spl', id: '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU', symbol: 'USDC', decimals: 6 },
    { kind: 'Spl2022', id: 'CXk2AMBfi3TwaEL2468s6zP8xq9NxTXjp9gjMgzeUynM', symbol: 'PYUSD', decimals: 6 },
  ]),
  Bitcoin: bitcoin('Bitcoin', 120, true),
  BitcoinSignet: bitcoin('Bitcoin Signet', 60, true),
  BitcoinTestnet3: bitcoin('Bitcoin Testnet3', 60, false),
  BitcoinTestnet4: bitcoin('Bitcoin Testnet4', 60, false),
} as const satisfies Record<string, NetworkFacts>;

/** A Dfns network name supported here. */
export type NetworkName = keyof typeof TABLE;

/** Dfns network names (their spelling) for the chains supported so far, with a stuck threshold sized to each. */
export const NETWORKS = Object.fromEntries(
  Object.entries(TABLE).map(([name, facts]) => [
    name,
    { ...facts, supportsFeeSponsor: (FEE_SPONSOR_NETWORKS as readonly string[]).includes(name) },
  ]),
) as Record<NetworkName, NetworkInfo>;

/** Every supported network name, for schemas and CLI help. */
export const NETWORK_NAMES = Object.keys(TABLE) as [NetworkName, ...NetworkName[]];

/** How an overdue broadcast escalates on a network (workflows/stuck-escalation.ts takes the steps). */
export interface StuckEscalationPolicy {
  /** Overdue after this long broadcast: flagged stuck, first step. */
  afterMs: number;
  /** Still overdue this long after a step: the next step. */
  repeatAfterMs: number;
  /** Speed-ups before the escalation moves on to cancel or a person. */
  maxSpeedUps: number;
  supportsSpeedUp: boolean;
  /** Whether Dfns can cancel a broadcast transfer by replacement here (EVM only, and not guaranteed to work). */
  supportsCancel: boolean;
}

/** Per-network departures from the defaults below; a slow, expensive chain gets fewer, later steps. */
const ESCALATION: Partial<Record<NetworkName, Partial<StuckEscalationPolicy>>> = {
  Ethereum: { repeatAfterMs: 60 * MINUTE },
};

/** The escalation rules of a network: by default a step every stuck threshold, two speed-ups, cancel on EVM. */
export function stuckEscalationPolicy(network: NetworkName): StuckEscalationPolicy {
  const info: NetworkInfo = NETWORKS[network];
  return {
    afterMs: info.stuckAfterMs,
    repeatAfterMs: info.stuckAfterMs,
    maxSpeedUps: info.supportsSpeedUp ? 2 : 0,
    supportsSpeedUp: info.supportsSpeedUp,
    supportsCancel: info.family === 'evm',
    ...ESCALATION[network],
  };
}
