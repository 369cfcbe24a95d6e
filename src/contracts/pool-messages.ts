import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PoolBook } from './pool-book';
import type { PoolDefinition } from './pool-definition';

/** A payment asking its pool for a wallet that can cover `amount`. */
export interface ReserveRequest {
  paymentId: string;
  /** Minimum units, as an integer string. */
  amount: string;
  /** Wallets that refused this payment for insufficient funds: never chosen again for it until a refill. */
  exclude: string[];
  /** The pool as the worker's pools file declares it now; the pool adopts a changed definition. */
  pool: PoolDefinition;
}

/** The pool's answer: the wallet now reserved for the payment, or why none can pay it. */
export type ReserveAnswer = { walletId: string; feeSponsorId?: string } | { refused: string };

/** What the activity that asked the pool returns: the pool's answer, and the configured wait for a refill. */
export type ReserveResult = ReserveAnswer & { refillWaitMs: number };

/** How a payment's hold on a wallet ended. */
export type ReleaseOutcome = 'paid' | 'dry' | 'unused';

/** A payment giving its reservation back: it is final (`paid` or `unused`) or moves on from a dry wallet. */
export interface ReleaseRequest {
  paymentId: string;
  walletId: string;
  outcome: ReleaseOutcome;
  amount: string;
}

/** Reserve a wallet of the pool (Update: the answer is the chosen wallet, or a refusal). */
export const reserveWalletUpdate = defineUpdate<ReserveAnswer, [ReserveRequest]>('reserveWallet');
/** Give a reservation back (Signal: the payment never waits on it). */
export const releaseWalletSignal = defineSignal<[ReleaseRequest]>('releaseWallet');
/** The pool's balances and reservations, once the pool has closed (a running pool is read by poolStateUpdate). */
export const poolStateQuery = defineQuery<PoolBook>('poolState');
/** The pool's balances and reservations as it sees them now, read through an Update (src/contracts/workflow-reads.ts). */
export const poolStateUpdate = defineUpdate<PoolBook, []>('poolState');

/** How the pool workflow paces itself. All durations in milliseconds. */
export interface PoolTimings {
  /** Balances are read from Dfns this often, besides after each payment. */
  refreshIntervalMs: number;
  /** After a payment ends, the read waits this long so that payments ending together share one. */
  refreshDebounceMs: number;
  /** A reservation asked before the first balance read waits this long for it before it is refused. */
  firstReadWaitMs: number;
  /** A run continues as new once its history holds this many events. */
  historyEventBudget: number;
}

export const DEFAULT_POOL_TIMINGS: PoolTimings = {
  refreshIntervalMs: 5 * 60_000,
  refreshDebounceMs: 5_000,
  firstReadWaitMs: 60_000,
  historyEventBudget: 2_000,
};

/** What the pool workflow starts with; `carried` when a run continues an earlier one. */
export interface PoolWorkflowInput {
  pool: PoolDefinition;
  timings?: Partial<PoolTimings>;
  carried?: { book: PoolBook; run: number };
}

/** The pool workflow's id: one entity workflow per pool name, in every namespace that runs payments. */
export function poolWorkflowId(pool: string): string {
  return `pool:${pool}`;
}
