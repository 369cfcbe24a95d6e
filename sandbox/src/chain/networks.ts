/** Fiat quotes Dfns attaches to asset metadata; display-only numbers, never used for balances. */
export type Quotes = Record<string, number>;

/** A fungible token the sandbox knows on one network. */
export interface TokenInfo {
  kind: 'Erc20';
  contract: string;
  symbol: string;
  decimals: number;
  quotes: Quotes;
}

/** What the simulated chain needs to know about one Dfns network. */
export interface NetworkInfo {
  name: string;
  family: 'evm';
  native: { symbol: string; decimals: number; quotes: Quotes };
  /**
   * Dfns sends `wallet.transfer.confirmed` only on Tier-1 chains. Elsewhere the sandbox still moves
   * the transfer to `Confirmed` (visible with GET) but sends no confirmed webhook.
   */
  emitsConfirmed: boolean;
  /** Simulated block time before `timeScale` divides it. */
  blockTimeMs: number;
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

// More networks (and non-EVM families) slot in here; nothing else hard-codes a network name.
const NETWORKS: readonly NetworkInfo[] = [
  {
    name: 'EthereumSepolia',
    family: 'evm',
    native: ETH,
    emitsConfirmed: true,
    blockTimeMs: 2000,
    tokens: [usdc('0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238')],
  },
  {
    name: 'BaseSepolia',
    family: 'evm',
    native: ETH,
    emitsConfirmed: false,
    blockTimeMs: 1000,
    tokens: [usdc('0x036CbD53842c5426634e7929541eC2318f3dCF7e')],
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

/** Finds a token on a network by contract address (case-insensitive, as EVM addresses are). */
export function findToken(network: NetworkInfo, contract: string): TokenInfo | undefined {
  return network.tokens.find((token) => token.contract.toLowerCase() === contract.toLowerCase());
}
