import { decimalFromNumber, formatDecimal, fromMinimalUnits, multiply, parseDecimal, type Decimal } from './decimal';
import type { TransferRequest } from '../wallets/transfer-schema';

/** USD per whole unit by asset symbol when no `prices` option is given. */
export const DEFAULT_PRICES: Readonly<Record<string, number>> = { ETH: 3000, USDC: 1 };

/** Stored form of a price table: exact decimal text per symbol, never a float. */
export type PriceTable = Record<string, string>;

/** Converts caller-supplied numbers to exact decimal text (`0.1` stays one tenth). */
export function toPriceTable(prices: Readonly<Record<string, number>>): PriceTable {
  return Object.fromEntries(
    Object.entries(prices).map(([symbol, usd]) => [symbol, formatDecimal(decimalFromNumber(usd))]),
  );
}

/**
 * The exact USD value of a transfer: amount / 10^decimals × price. Undefined when the asset has no
 * price (or unknown decimals), which makes amount rules fail closed.
 */
export function usdValue(prices: PriceTable, transfer: TransferRequest): Decimal | undefined {
  const { symbol, decimals } = transfer.metadata.asset;
  const priceText = symbol === undefined ? undefined : prices[symbol];
  const price = priceText === undefined ? undefined : parseDecimal(priceText);
  if (!price || decimals === undefined) return undefined;
  return multiply(fromMinimalUnits(BigInt(transfer.requestBody.amount), decimals), price);
}
