import { formatUnits } from './amount';
import { NETWORKS } from './networks';
import { assetIdentifier } from './asset-identifier';
import type { PaymentRequest } from './payment-request';

/** Shortens an address for one-line summaries ("0xabc1…9f2e"). */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/**
 * The symbol and decimals to show an amount with, when they are known: a known token's own (networks.ts), which a
 * caller cannot override, else what the request says. EVM contracts compare without their checksum case.
 */
export function displayAsset(request: PaymentRequest): { symbol: string; decimals?: number } {
  const network = NETWORKS[request.network];
  const { asset } = request;
  if (asset.kind === 'Native') return { symbol: network.nativeSymbol, decimals: network.nativeDecimals };
  const id = assetIdentifier(asset);
  const same = (a: string) => (network.family === 'evm' ? a.toLowerCase() === id.toLowerCase() : a === id);
  const known = network.knownTokens?.find((token) => same(token.id));
  if (known) return { symbol: known.symbol, decimals: known.decimals };
  return { symbol: asset.symbol ?? `token ${shortAddress(id)}`, decimals: asset.decimals };
}

/** The one-line summary operators see in the Temporal UI, e.g. "1.5 USDC → 0xabc1…9f2e on Base (payout 123)". */
export function paymentSummary(request: PaymentRequest): string {
  const { symbol, decimals } = displayAsset(request);
  const amount = decimals === undefined ? `${request.amount} base units of` : formatUnits(request.amount, decimals);
  const reference = request.reference ? ` (${request.reference})` : '';
  return `${amount} ${symbol} → ${shortAddress(request.to)} on ${NETWORKS[request.network].label}${reference}`;
}
