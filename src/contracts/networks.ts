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
  /** Whether Dfns fee sponsors can pay this network's fees (https://docs.dfns.co/networks: not on Tron or Bitcoin). */
  supportsFeeSponsor: boolean;
  /** Tokens with well-known ids (a TRC-20 contract, an SPL mint), so summaries show them with their decimals. */
  knownTokens?: readonly KnownToken[];
}

/** A token whose symbol and decimals the orchestrator knows without asking the caller. */
export interface KnownToken {
  /** The contract address or mint, as the chain writes it. */
  id: string;
  symbol: string;
  decimals: number;
}

const MINUTE = 60_000;

const SECOND = 1_000;

// EVM: Ethereum makes a block every 12 s; the rollups (Base, Optimism) every 2 s, Arbitrum about every 250 ms, Polygon
// PoS about every 2 s. Dfns reports Confirmed a couple of blocks after inclusion; reading from then on, once a block,
// finds it within a block time (an earlier first read only costs a read).
const evm = (label: string, stuckAfterMinutes: number, blockTimeMs: number, nativeSymbol = 'ETH'): NetworkInfo => ({
  family: 'evm',
  label,
  nativeSymbol,
  nativeDecimals: 18,
  stuckAfterMs: stuckAfterMinutes * MINUTE,
  supportsSpeedUp: true,
  emitsConfirmed: true,
  blockTimeMs,
  confirmationMs: 2 * blockTimeMs,
  supportsFeeSponsor: true,
});

// Tron: 3-second blocks, final after 19 blocks; no replace-by-fee. Dfns does not list Tron among its Tier-1 networks,
// and fee sponsors are not available there (TRON's resource delegation plays that role).
const tron = (label: string, usdt: string): NetworkInfo => ({
  family: 'tron',
  label,
  nativeSymbol: 'TRX',
  nativeDecimals: 6,
  stuckAfterMs: 10 * MINUTE,
  supportsSpeedUp: false,
  emitsConfirmed: false,
  blockTimeMs: 3 * SECOND,
  confirmationMs: 19 * 3 * SECOND,
  supportsFeeSponsor: false,
  knownTokens: [{ id: usdt, symbol: 'USDT', decimals: 6 }],
});

// Solana: a transaction whose blockhash expired (about 150 blocks, a minute or two) can never land, so one broadcast
// for minutes is stuck; there is no fee bump for a sent transaction. Tier-1 at Dfns. Slots are about 400 ms; a block
// is finalized 32 slots later.
const solana = (label: string, usdc: string): NetworkInfo => ({
  family: 'solana',
  label,
  nativeSymbol: 'SOL',
  nativeDecimals: 9,
  stuckAfterMs: 5 * MINUTE,
  supportsSpeedUp: false,
  emitsConfirmed: true,
  blockTimeMs: 400,
  confirmationMs: 32 * 400,
  supportsFeeSponsor: false,
  knownTokens: [{ id: usdc, symbol: 'USDC', decimals: 6 }],
});

// Bitcoin: 10-minute blocks with high variance, so a transfer is stuck only after hours; Dfns speeds it up by RBF, and
// counts a transfer confirmed after a couple of blocks.
const bitcoin = (label: string, stuckAfterMinutes: number, emitsConfirmed: boolean): NetworkInfo => ({
  family: 'bitcoin',
  label,
  nativeSymbol: 'BTC',
  nativeDecimals: 8,
  stuckAfterMs: stuckAfterMinutes * MINUTE,
  supportsSpeedUp: true,
  emitsConfirmed,
  blockTimeMs: 10 * MINUTE,
  confirmationMs: 2 * 10 * MINUTE,
  supportsFeeSponsor: false,
});

/** Dfns network names (their spelling) for the chains supported so far, with a stuck threshold sized to each. */
export const NETWORKS = {
  Ethereum: evm('Ethereum', 30, 12 * SECOND),
  EthereumSepolia: evm('Ethereum Sepolia', 30, 12 * SECOND),
  Base: evm('Base', 10, 2 * SECOND),
  // Whether Dfns indexes Base Sepolia (sends wallet.transfer.confirmed) is not documented; the sandbox models it as a
  // network without. Reading a transfer Dfns would also have announced costs a read, never a wrong state.
  BaseSepolia: { ...evm('Base Sepolia', 10, 2 * SECOND), emitsConfirmed: false },
  ArbitrumOne: evm('Arbitrum One', 10, 250),
  ArbitrumSepolia: evm('Arbitrum Sepolia', 10, 250),
  Optimism: evm('Optimism', 10, 2 * SECOND),
  OptimismSepolia: evm('Optimism Sepolia', 10, 2 * SECOND),
  Polygon: evm('Polygon', 15, 2 * SECOND, 'POL'),
  PolygonAmoy: evm('Polygon Amoy', 15, 2 * SECOND, 'POL'),
  Tron: tron('Tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'),
  TronNile: tron('Tron Nile', 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf'),
  Solana: solana('Solana', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'),
  SolanaDevnet: solana('Solana Devnet', '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU'),
  Bitcoin: bitcoin('Bitcoin', 120, true),
  BitcoinSignet: bitcoin('Bitcoin Signet', 60, true),
  BitcoinTestnet3: bitcoin('Bitcoin Testnet3', 60, false),
  BitcoinTestnet4: bitcoin('Bitcoin Testnet4', 60, false),
} as const satisfies Record<string, NetworkInfo>;

export type NetworkName = keyof typeof NETWORKS;

/** Every supported network name, for schemas and CLI help. */
export const NETWORK_NAMES = Object.keys(NETWORKS) as [NetworkName, ...NetworkName[]];

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
