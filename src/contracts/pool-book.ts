import type { PoolDefinition } from './pool-definition';
import type { ReleaseRequest, ReserveAnswer, ReserveRequest } from './pool-messages';

/** One payment's hold on a wallet: the amount counts against the wallet's balance until the payment releases it. */
export interface Reservation {
  paymentId: string;
  walletId: string;
  amount: string;
  at: string;
}

/** A pool's view of its wallets: what Dfns last said they hold, and what payments in flight have reserved. */
export interface PoolBook {
  pool: PoolDefinition;
  /** Balance per wallet in minimum units, from the last read (less what paid since); absent until read. */
  balances: Record<string, string>;
  balancesAt?: string;
  reservations: Reservation[];
  /**
   * Per wallet, the smallest amount it refused for insufficient funds (Dfns counts fees the balance cannot show):
   * it is not chosen again for that amount or more until a read shows its balance grew.
   */
  dryBelow: Record<string, string>;
}

export const emptyBook = (pool: PoolDefinition): PoolBook => ({ pool, balances: {}, reservations: [], dryBelow: {} });

const reservedOn = (book: PoolBook, walletId: string): bigint =>
  book.reservations.filter((r) => r.walletId === walletId).reduce((sum, r) => sum + BigInt(r.amount), 0n);

const inFlight = (book: PoolBook, walletId: string): number =>
  book.reservations.filter((r) => r.walletId === walletId).length;

/** What a wallet can still pay: its balance less what is reserved on it; undefined before its balance is known. */
export function available(book: PoolBook, walletId: string): bigint | undefined {
  const balance = book.balances[walletId];
  return balance === undefined ? undefined : BigInt(balance) - reservedOn(book, walletId);
}

/** Why a wallet cannot take `amount` now, or undefined when it can. */
function walletProblem(book: PoolBook, walletId: string, amount: bigint, exclude: string[]): string | undefined {
  if (exclude.includes(walletId)) return 'refused this payment for insufficient funds';
  const dry = book.dryBelow[walletId];
  if (dry !== undefined && amount >= BigInt(dry)) return `refused ${dry} for insufficient funds`;
  const free = available(book, walletId);
  if (free === undefined) return 'balance not read yet';
  return free < amount ? `${free} available after ${inFlight(book, walletId)} reservation(s)` : undefined;
}

/**
 * Chooses the wallet for `amount`: among those that can cover it after what is already reserved, the least-loaded
 * (fewest payments in flight, which spreads nonce pressure), then the one with the most left, then file order.
 */
export function chooseWallet(book: PoolBook, amount: bigint, exclude: string[]): ReserveAnswer {
  const problems: string[] = [];
  let best: { walletId: string; load: number; free: bigint } | undefined;
  for (const walletId of book.pool.wallets) {
    const problem = walletProblem(book, walletId, amount, exclude);
    if (problem) {
      problems.push(`${walletId}: ${problem}`);
      continue;
    }
    const candidate = { walletId, load: inFlight(book, walletId), free: available(book, walletId) ?? 0n };
    if (!best || candidate.load < best.load || (candidate.load === best.load && candidate.free > best.free))
      best = candidate;
  }
  if (best) {
    const sponsor = book.pool.feeSponsorId;
    return sponsor ? { walletId: best.walletId, feeSponsorId: sponsor } : { walletId: best.walletId };
  }
  return { refused: `no wallet of pool ${book.pool.name} can cover ${amount} now (${problems.join('; ')})` };
}

/**
 * Reserves a wallet for a payment. Idempotent per payment: a payment that already holds a wallet it does not
 * exclude gets the same one back (a retried request must not reserve twice).
 */
export function reserve(book: PoolBook, request: ReserveRequest, now: string): [PoolBook, ReserveAnswer] {
  const held = book.reservations.find((r) => r.paymentId === request.paymentId);
  const keep = held && !request.exclude.includes(held.walletId) && book.pool.wallets.includes(held.walletId);
  if (held && keep) {
    const sponsor = book.pool.feeSponsorId;
    return [book, sponsor ? { walletId: held.walletId, feeSponsorId: sponsor } : { walletId: held.walletId }];
  }
  const others = book.reservations.filter((r) => r.paymentId !== request.paymentId);
  const without = { ...book, reservations: others };
  const answer = chooseWallet(without, BigInt(request.amount), request.exclude);
  if ('refused' in answer) return [without, answer];
  const reservation = { paymentId: request.paymentId, walletId: answer.walletId, amount: request.amount, at: now };
  return [{ ...without, reservations: [...others, reservation] }, answer];
}

/**
 * Ends a payment's reservation. A paid amount leaves the wallet's known balance at once (the next read confirms
 * it); a dry wallet is remembered as unable to pay that amount until a read shows it refilled.
 */
export function release(book: PoolBook, request: ReleaseRequest): PoolBook {
  const reservations = book.reservations.filter((r) => r.paymentId !== request.paymentId);
  const { walletId, amount } = request;
  const balances = { ...book.balances };
  const dryBelow = { ...book.dryBelow };
  const balance = balances[walletId];
  if (request.outcome === 'paid' && balance !== undefined) {
    const left = BigInt(balance) - BigInt(amount);
    balances[walletId] = (left > 0n ? left : 0n).toString();
  }
  if (request.outcome === 'dry') {
    const before = dryBelow[walletId];
    if (before === undefined || BigInt(amount) < BigInt(before)) dryBelow[walletId] = amount;
  }
  return { ...book, reservations, balances, dryBelow };
}

/** Takes a fresh read of the balances; a wallet whose balance grew (a refill) may be tried again for any amount. */
export function applyBalances(book: PoolBook, read: Record<string, string>, now: string): PoolBook {
  const dryBelow = { ...book.dryBelow };
  for (const [walletId, balance] of Object.entries(read)) {
    const before = book.balances[walletId];
    if (before === undefined || BigInt(balance) > BigInt(before)) delete dryBelow[walletId];
  }
  return { ...book, balances: { ...book.balances, ...read }, balancesAt: now, dryBelow };
}

/** Takes a changed pool definition; reservations and balances of wallets no longer in it are dropped. */
export function redefine(book: PoolBook, pool: PoolDefinition): PoolBook {
  const kept = (walletId: string) => pool.wallets.includes(walletId);
  const pick = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).filter(([w]) => kept(w)));
  return {
    ...book,
    pool,
    balances: pick(book.balances),
    dryBelow: pick(book.dryBelow),
    reservations: book.reservations.filter((r) => kept(r.walletId)),
  };
}

/** The pool's wallets whose known balance is below its low-balance threshold. */
export function lowWallets(book: PoolBook): string[] {
  const threshold = BigInt(book.pool.lowBalanceThreshold);
  return book.pool.wallets.filter((w) => book.balances[w] !== undefined && BigInt(book.balances[w]) < threshold);
}
