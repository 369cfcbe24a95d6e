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
