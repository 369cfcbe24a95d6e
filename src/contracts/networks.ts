/** The Dfns networks this orchestrator can pay on, with what the workflow and the summary need to know of each. */
export interface NetworkInfo {
  /** Address and asset rules follow the chain family. */
  family: 'evm';
  /** Human name used in summaries ("on Base"). */
  label: string;
  nativeSymbol: string;
  nativeDecimals: number;
}

const evm = (label: string, nativeSymbol = 'ETH', nativeDecimals = 18): NetworkInfo => ({
  family: 'evm',
  label,
  nativeSymbol,
  nativeDecimals,
});

/** Dfns network names (their spelling) for the EVM chains supported so far. */
export const NETWORKS = {
  Ethereum: evm('Ethereum'),
  EthereumSepolia: evm('Ethereum Sepolia'),
  Base: evm('Base'),
  BaseSepolia: evm('Base Sepolia'),
  ArbitrumOne: evm('Arbitrum One'),
  ArbitrumSepolia: evm('Arbitrum Sepolia'),
  Optimism: evm('Optimism'),
  OptimismSepolia: evm('Optimism Sepolia'),
  Polygon: evm('Polygon', 'POL'),
  PolygonAmoy: evm('Polygon Amoy', 'POL'),
} as const satisfies Record<string, NetworkInfo>;

export type NetworkName = keyof typeof NETWORKS;

/** Every supported network name, for schemas and CLI help. */
export const NETWORK_NAMES = Object.keys(NETWORKS) as [NetworkName, ...NetworkName[]];
