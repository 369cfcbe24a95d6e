import { findToken, getNetwork, type NetworkInfo } from '../chain/networks';
import type { Wallet } from '../state/sandbox-state';
import { tokenOf, type TransferBody } from './transfer-body';
import type { TransferRequest } from './transfer-schema';

const NATIVE_KEY = 'native';

function balanceKey(body: TransferBody): string {
  return tokenOf(body)?.toLowerCase() ?? NATIVE_KEY;
}

function balanceOf(wallet: Wallet, key: string): bigint {
  return BigInt(wallet.balances[key] ?? '0');
}

function addTo(wallet: Wallet, key: string, delta: bigint): void {
  wallet.balances[key] = (balanceOf(wallet, key) + delta).toString();
}

/** Funds a wallet's native coin or token (by contract or mint); bootstrap and reset use it. */
export function setBalance(wallet: Wallet, contract: string | undefined, amount: bigint): void {
  wallet.balances[contract ? contract.toLowerCase() : NATIVE_KEY] = amount.toString();
}

/** The wallet's native balance, in minimum units. */
export function nativeBalance(wallet: Wallet): bigint {
  return balanceOf(wallet, NATIVE_KEY);
}

/** The `assets` array of `GET /wallets/{id}/assets`: native first, then every known token held. */
export function listAssets(wallet: Wallet) {
  const network = getNetwork(wallet.network);
  const balance = nativeBalance(wallet).toString();
  const native = { kind: 'Native' as const, ...network.native, verified: true, balance };
  const tokens = network.tokens
    .filter((token) => wallet.balances[token.contract.toLowerCase()] !== undefined)
    .map((token) => ({
      kind: token.kind,
      ...(token.kind === 'Spl' || token.kind === 'Spl2022' ? { mint: token.contract } : { contract: token.contract }),
      symbol: token.symbol,
      decimals: token.decimals,
      verified: true,
      quotes: token.quotes,
      balance: balanceOf(wallet, token.contract.toLowerCase()).toString(),
    }));
  return [native, ...tokens];
}

/** `metadata.asset` of a transfer; undefined when a token contract or mint is unknown on the network. */
export function assetMetadata(
  network: NetworkInfo,
  body: TransferBody,
): TransferRequest['metadata']['asset'] | undefined {
  const token = tokenOf(body);
  if (token === undefined) return { ...network.native, verified: true };
  const info = findToken(network, token);
  return info && { symbol: info.symbol, decimals: info.decimals, verified: true, quotes: info.quotes };
}

/** Whether the wallet holds the amount, and the fee payer (the wallet, or its fee sponsor's wallet) the fee. */
export function canAfford(wallet: Wallet, body: TransferBody, fee: bigint, payer: Wallet = wallet): boolean {
  const amount = BigInt(body.amount);
  const assetKey = balanceKey(body);
  const nativeFromWallet = (payer === wallet ? fee : 0n) + (assetKey === NATIVE_KEY ? amount : 0n);
  if (nativeBalance(wallet) < nativeFromWallet) return false;
  if (payer !== wallet && nativeBalance(payer) < fee) return false;
  return assetKey === NATIVE_KEY || balanceOf(wallet, assetKey) >= amount;
}

/** Debits amount (from the wallet) and fee (from the payer) at broadcast; false, changing nothing, if short. */
export function debitTransfer(wallet: Wallet, body: TransferBody, fee: bigint, payer: Wallet = wallet): boolean {
  if (!canAfford(wallet, body, fee, payer)) return false;
  addTo(payer, NATIVE_KEY, -fee);
  addTo(wallet, balanceKey(body), -BigInt(body.amount));
  return true;
}

/** Gives back what a transfer that never executed took: the amount, and the fee (to its payer) if never mined. */
export function refundTransfer(wallet: Wallet, body: TransferBody, fee: bigint, feeToo: boolean, payer = wallet): void {
  addTo(wallet, balanceKey(body), BigInt(body.amount));
  if (feeToo) addTo(payer, NATIVE_KEY, fee);
}

/** Debits an extra native fee (speed-up bump, cancel replacement); false if the balance is short. */
export function debitNativeFee(wallet: Wallet, fee: bigint): boolean {
  if (nativeBalance(wallet) < fee) return false;
  addTo(wallet, NATIVE_KEY, -fee);
  return true;
}

/**
 * Adds `delta` (negative to take) to a wallet's native coin or token (by contract or mint); false, changing nothing,
 * when the balance would go below zero. Deposits and the admin's unexplained balance changes use it.
 */
export function changeBalance(wallet: Wallet, token: string | undefined, delta: bigint): boolean {
  const key = token === undefined ? NATIVE_KEY : token.toLowerCase();
  if (balanceOf(wallet, key) + delta < 0n) return false;
  addTo(wallet, key, delta);
  return true;
}

/** Gives back an extra native fee that was never spent (a replacement dropped for a later one). */
export function creditNativeFee(wallet: Wallet, fee: bigint): void {
  addTo(wallet, NATIVE_KEY, fee);
}
