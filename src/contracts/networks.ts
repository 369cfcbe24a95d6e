/** The Dfns networks this orchestrator can pay on, with what the workflow and the summary need to know of each. */
export interface NetworkInfo {
  /** Address and asset rules follow the chain family. */
  family: 'evm';
  /** Human name used in summaries ("on Base"). */
  label: string;
  nativeSymbol: string;
  nativeDecimals: number;
  /** A broadcast transfer not confirmed after this long is stuck: flagged for operators and sped up. */
  stuckAfterMs: number;
  /** Whether Dfns can rebroadcast a transfer with a higher fee on this network (EVM and Bitcoin can). */
  supportsSpeedUp: boolean;
}

const MINUTE = 60_000;

const evm = (label: string, stuckAfterMinutes: number, nativeSymbol = 'ETH'): NetworkInfo => ({
  family: 'evm',
  label,
  nativeSymbol,
  nativeDecimals: 18,
  stuckAfterMs: stuckAfterMinutes * MINUTE,
  supportsSpeedUp: true,
});

/** Dfns network names (their spelling) for the EVM chains supported so far, with a stuck threshold sized to each. */
export const NETWORKS = {
  Ethereum: evm('Ethereum', 30),
  EthereumSepolia: evm('Ethereum Sepolia', 30),
  Base: evm('Base', 10),
  BaseSepolia: evm('Base Sepolia', 10),
  ArbitrumOne: evm('Arbitrum One', 10),
  ArbitrumSepolia: evm('Arbitrum Sepolia', 10),
  Optimism: evm('Optimism', 10),
  OptimismSepolia: evm('Optimism Sepolia', 10),
  Polygon: evm('Polygon', 15, 'POL'),
  PolygonAmoy: evm('Polygon Amoy', 15, 'POL'),
} as const satisfies Record<string, NetworkInfo>;

export type NetworkName = keyof typeof NETWORKS;

/** Every supported network name, for schemas and CLI help. */
export const NETWORK_NAMES = Object.keys(NETWORKS) as [NetworkName, ...NetworkName[]];
