import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { tallyHistory, type Balances, type HistoryHead, type HistoryTally } from '../src/contracts/balance-drift';
import { FailureType } from '../src/contracts/failure-types';
import { matchTransfers, paymentIdsOf, type TransferMatch } from '../src/contracts/reconcile-transfers';
import type { HistoryFact, TransferFact } from '../src/contracts/reconciliation-facts';
import type { DfnsGateway } from '../src/dfns/dfns-gateway';
import { toDfnsFailure } from '../src/dfns/dfns-failure';
import {
  dfnsHistoryPageSchema,
  dfnsTransferPageSchema,
  toBalances,
  toHistoryFact,
  toTransferFact,
} from '../src/dfns/reconciliation-schemas';
import { dfnsWalletAssetsSchema } from '../src/dfns/wallet-assets-schema';
import { readPaymentFacts } from '../src/reconciliation/payment-facts';

/** One page of a wallet's transfers to reconcile. */
export interface TransferPageInput {
  walletId: string;
  pageSize: number;
  paginationToken?: string;
  /** The look-back's edge: once a page reaches transfers asked for before this, the reading stops. */
  stopBefore?: string;
}

/** What the page showed, matched to payments; `done` when no further page is needed. */
export interface TransferPageResult {
  match: TransferMatch;
  transfers: number;
  /** The newest transfer's requestedAt on the page. */
  newest?: string;
  nextPageToken?: string;
  done: boolean;
}

/** One page of a wallet's history, folded into the tally carried from the pages before it. */
export interface HistoryPageInput {
  walletId: string;
  pageSize: number;
  paginationToken?: string;
  /** The newest event the checkpoint counted: events from it on are already in the checkpoint's balances. */
  stopAt?: HistoryHead;
  tally: HistoryTally;
  /** Only where the history stands (its newest event) is wanted: one event is read. */
  headOnly?: boolean;
}

export interface HistoryPageResult {
  tally: HistoryTally;
  /** The newest event on this page (the history's head, on the first page). */
  head?: HistoryHead;
  nextPageToken?: string;
  done: boolean;
}

/** The reconciliation activities' dependencies: the Dfns SDK client and Temporal (to read the payments). */
export interface ReconciliationActivityDeps {
  dfns: DfnsGateway;
  temporal: Client;
}

const unreadable = (operation: string, walletId: string) =>
  ApplicationFailure.retryable(
    `${operation}: Dfns returned an answer the orchestrator cannot read (wallet ${walletId})`,
    FailureType.DfnsUnavailable,
  );

async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toDfnsFailure(error, operation);
  }
}

/** Whether a list's dates never increase down the page (newest first, as Dfns lists); else no early stop is safe. */
const newestFirst = (dates: readonly string[]): boolean => dates.every((date, i) => i === 0 || date <= dates[i - 1]!);

/**
 * The reconciliation's reads. Each makes exactly one Dfns request (a list page, or a balance read), so the read
 * queue's rate, which counts activities, is also its rate in Dfns requests.
 */
export function createReconciliationActivities({ dfns, temporal }: ReconciliationActivityDeps) {
  return {
    /**
     * Reads one page of the wallet's transfers with the SDK's pagination and matches it to payments through their
     * externalId, reading those payments from Temporal visibility (a running one is never queried).
     */
    async reconcileTransferPage(input: TransferPageInput): Promise<TransferPageResult> {
      const { walletId } = input;
      const query = {
        limit: input.pageSize,
        ...(input.paginationToken ? { paginationToken: input.paginationToken } : {}),
      };
      const raw = await call('listTransfers', () => dfns.wallets.listTransfers({ walletId, query }));
      const page = dfnsTransferPageSchema.safeParse(raw);
      if (!page.success) throw unreadable('listTransfers', walletId);
      const transfers: TransferFact[] = [];
      for (const item of page.data.items) {
        const fact = toTransferFact(item);
        if (!fact) throw unreadable('listTransfers', walletId);
        transfers.push(fact);
      }
      const dates = transfers.map((transfer) => transfer.requestedAt);
      const oldest = dates.at(-1);
      const reachedEdge = input.stopBefore !== undefined && oldest !== undefined && oldest < input.stopBefore;
      const payments = await readPaymentFacts(temporal, paymentIdsOf(transfers));
      const next = page.data.nextPageToken;
      return {
        match: matchTransfers(transfers, payments),
        transfers: transfers.length,
        ...(dates[0] ? { newest: dates[0] } : {}),
        ...(next ? { nextPageToken: next } : {}),
        done: !next || (reachedEdge && newestFirst(dates)),
      };
    },

    /**
     * Reads one page of the wallet's history (confirmed on-chain events, in and out) and folds the events newer than
     * the checkpoint's head into the tally.
     */
    async readHistoryPage(input: HistoryPageInput): Promise<HistoryPageResult> {
      const { walletId } = input;
      const query = {
        limit: input.headOnly ? 1 : input.pageSize,
        ...(input.paginationToken ? { paginationToken: input.paginationToken } : {}),
      };
      const raw = await call('getWalletHistory', () => dfns.wallets.getWalletHistory({ walletId, query }));
      const page = dfnsHistoryPageSchema.safeParse(raw);
      if (!page.success) throw unreadable('getWalletHistory', walletId);
      const events: HistoryFact[] = [];
      let head: HistoryHead | undefined;
      let reachedHead = false;
      const dates: string[] = [];
      for (const item of page.data.items) {
        const fact = toHistoryFact(item);
        if (fact === 'unreadable') throw unreadable('getWalletHistory', walletId);
        const timestamp = (item as { timestamp?: unknown }).timestamp;
        if (typeof timestamp === 'string') dates.push(timestamp);
        if (!fact) continue;
        head ??= { key: fact.key, timestamp: fact.timestamp };
        const stop = input.stopAt;
        if (stop && (fact.key === stop.key || fact.timestamp < stop.timestamp)) {
          reachedHead = true;
          break;
        }
        events.push(fact);
      }
      const next = page.data.nextPageToken;
      const done = input.headOnly === true || !next || (reachedHead && newestFirst(dates));
      return {
        tally: input.headOnly ? input.tally : tallyHistory(input.tally, events),
        ...(head ? { head } : {}),
        ...(next ? { nextPageToken: next } : {}),
        done,
      };
    },

    /** The wallet's fungible balances per asset, as Dfns reports them. */
    async readReconciliationBalances({ walletId }: { walletId: string }): Promise<Balances> {
      const raw = await call('getWalletAssets', () => dfns.wallets.getWalletAssets({ walletId }));
      const parsed = dfnsWalletAssetsSchema.safeParse(raw);
      if (!parsed.success) throw unreadable('getWalletAssets', walletId);
      return toBalances(parsed.data);
    },
  };
}

export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;
