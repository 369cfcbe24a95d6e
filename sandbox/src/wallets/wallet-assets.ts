import { findToken, getNetwork, type NetworkInfo } from '../chain/networks';
import type { Wallet } from '../state/sandbox-state';
import type { TransferBody } from './transfer-body';
import type { TransferRequest } from './transfer-schema';

const NATIVE_KEY = 'native';

// Simulated EVM gas: a plain value transfer costs 21k gas, a token transfer about 65k.
const GAS_UNITS: Record<TransferBody['kind'], bigint> = { Native: 21_000n, Erc20: 65_000n };
const GWEI = 1_000_000_000n;
const GAS_PRICE: Record<NonNullable<TransferBody['priority']>, bigint> = {
  Slow: 1n * GWEI,
  Standard: 2n * GWEI,
  Fast: 3n * GWEI,
};

function balanceKey(body: TransferBody): string {
  return body.kind === 'Erc20' ? body.contract.toLowerCase() : NATIVE_KEY;
}

function balanceOf(wallet: Wallet, key: string): bigint {
  return BigInt(wallet.balances[key] ?? '0');
}

function addTo(wallet: Wallet, key: string, delta: bigint): void {
  wallet.balances[key] = (balanceOf(wallet, key) + delta).toString();
}

/** Funds a wallet's native coin or token (by contract); bootstrap and reset use it. */
export function setBalance(wallet: Wallet, contract: string | undefined, amount: bigint): void {
  wallet.balances[contract ? contract.toLowerCase() : NATIVE_KEY] = amount.toString();
}

/** The `assets` array of `GET /wallets/{id}/assets`: native first, then every known token held. */
export function listAssets(wallet: Wallet) {
  const network = getNetwork(wallet.network);
  const nativeBalance = balanceOf(wallet, NATIVE_KEY).toString();
  const native = { kind: 'Native' as const, ...network.native, verified: true, balance: nativeBalance };
  const tokens = network.tokens
    .filter((token) => wallet.balances[token.contract.toLowerCase()] !== undefined)
    .map((token) => ({
      kind: token.kind,
      contract: token.contract,
      symbol: token.symbol,
      decimals: token.decimals,
      verified: true,
      quotes: token.quotes,
      balance: balanceOf(wallet, token.contract.toLowerCase()).toString(),
    }));
  return [native, ...tokens];
}

/** `metadata.asset` of a transfer; undefined when an Erc20 contract is unknown on the network. */
export function assetMetadata(
  network: NetworkInfo,
  body: TransferBody,
): TransferRequest['metadata']['asset'] | undefined {
  if (body.kind === 'Native') return { ...network.native, verified: true };
  const token = findToken(network, body.contract);
  return token && { symbol: token.symbol, decimals: token.decimals, verified: true, quotes: token.quotes };
}

/** The gas price a priority pays, in wei. */
export function gasPrice(body: TransferBody): bigint {
  return GAS_PRICE[body.priority ?? 'Standard'];
}

/** The gas price of the `Fast` priority, the floor of a speed-up. */
export const FAST_GAS_PRICE = GAS_PRICE.Fast;

/** The simulated gas a transfer's transaction uses. */
export function gasUnits(body: TransferBody): bigint {
  return GAS_UNITS[body.kind];
}

/** The simulated network fee, in minimum units of the native coin. */
export function simulatedFee(body: TransferBody): bigint {
  return gasUnits(body) * gasPrice(body);
}

/** Whether the wallet holds the amount plus the fee (checked before a transfer reaches the chain). */
export function canAfford(wallet: Wallet, body: TransferBody, fee: bigint): boolean {
  const amount = BigInt(body.amount);
  const assetKey = balanceKey(body);
  const nativeNeeded = fee + (assetKey === NATIVE_KEY ? amount : 0n);
  if (balanceOf(wallet, NATIVE_KEY) < nativeNeeded) return false;
  return assetKey === NATIVE_KEY || balanceOf(wallet, assetKey) >= amount;
}

/** Debits amount and fee at broadcast; returns false (and changes nothing) if either is short. */
export function debitTransfer(wallet: Wallet, body: TransferBody, fee: bigint): boolean {
  if (!canAfford(wallet, body, fee)) return false;
  addTo(wallet, NATIVE_KEY, -fee);
  addTo(wallet, balanceKey(body), -BigInt(body.amount));
  return true;
}

/** Gives back what a transfer that never executed took: the amount, and the fee if it was never mined. */
export function refundTransfer(wallet: Wallet, body: TransferBody, fee: bigint, feeToo: boolean): void {
  addTo(wallet, balanceKey(body), BigInt(body.amount));
  if (feeToo) addTo(wallet, NATIVE_KEY, fee);
}

/** Debits an extra native fee (speed-up bump, cancel replacement); false if the balance is short. */
export function debitNativeFee(wallet: Wallet, fee: bigint): boolean {
  if (balanceOf(wallet, NATIVE_KEY) < fee) return false;
  addTo(wallet, NATIVE_KEY, -fee);
  return true;
}
