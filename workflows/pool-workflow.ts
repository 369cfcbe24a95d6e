import { ActivityFailure } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  metricMeter,
  setCurrentDetails,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import {
  applyBalances,
  emptyBook,
  lowWallets,
  redefine,
  release,
  reserve,
  type PoolBook,
} from '../src/contracts/pool-book';
import {
  DEFAULT_POOL_TIMINGS,
  poolStateQuery,
  poolStateUpdate,
  releaseWalletSignal,
  reserveWalletUpdate,
  type PoolWorkflowInput,
  type ReserveRequest,
} from '../src/contracts/pool-messages';
import { WorkerMetric } from '../src/observability/metric-names';
import { readWalletBalances } from './pool-activities';
import { setReadHandler } from './read-handler';

/**
 * One wallet pool: the entity payments reserve a wallet from (Update) and release it to (Signal). It reads the
 * wallets' balances from Dfns on a timer and after payments end, and continues as new on an event budget, carrying
 * its reservations, so the pool's state lives in Temporal and nowhere else.
 */
export async function poolWorkflow(input: PoolWorkflowInput): Promise<void> {
  const timings = { ...DEFAULT_POOL_TIMINGS, ...input.timings };
  let book: PoolBook = input.carried?.book ?? emptyBook(input.pool);
  let refreshDue = false;
  const read = () => book.balancesAt !== undefined;
  const budgetUsed = () =>
    workflowInfo().historyLength >= timings.historyEventBudget || workflowInfo().continueAsNewSuggested;

  setHandler(
    reserveWalletUpdate,
    async (request) => {
      if (JSON.stringify(request.pool) !== JSON.stringify(book.pool)) {
        book = redefine(book, request.pool);
        refreshDue = true;
      }
      if (!read()) await condition(read, timings.firstReadWaitMs);
      let answer;
      [book, answer] = reserve(book, request, new Date().toISOString());
      describe(book);
      return answer;
    },
    {
      validator: (request: ReserveRequest) => {
        if (!/^[0-9]+$/.test(request.amount) || BigInt(request.amount) <= 0n)
          throw new Error('amount must be a positive integer string');
      },
      description: 'Reserve a wallet that can cover the amount after what is reserved in flight',
    },
  );
  setHandler(releaseWalletSignal, (request) => {
    book = release(book, request);
    refreshDue = true;
    describe(book);
  });
  setHandler(poolStateQuery, () => book);
  setReadHandler(poolStateUpdate, () => book, budgetUsed);

  for (;;) {
    if (budgetUsed()) {
      // Updates and signals in flight finish in this run; the next run starts with every reservation.
      await condition(allHandlersFinished);
      const run = (input.carried?.run ?? 1) + 1;
      await continueAsNew<typeof poolWorkflow>({ ...input, pool: book.pool, carried: { book, run } });
    }
    refreshDue = false;
    // A read that failed leaves the last balances in place; the next refresh tries again.
    const balances = await readWalletBalances({ pool: book.pool }).catch((error: unknown) => {
      if (error instanceof ActivityFailure) return undefined;
      throw error;
    });
    if (balances) {
      book = applyBalances(book, balances, new Date().toISOString());
      reportBalances(book);
    }
    describe(book);
    await condition(() => refreshDue || budgetUsed(), timings.refreshIntervalMs);
    if (refreshDue && !budgetUsed()) await sleep(timings.refreshDebounceMs);
  }
}

/** Balance and low-balance gauges, labelled by pool and wallet (never by payment). */
function reportBalances(book: PoolBook): void {
  const balance = metricMeter.createGauge(WorkerMetric.poolWalletBalance, 'float', '', 'pool wallet balance');
  const low = metricMeter.createGauge(WorkerMetric.poolWalletLow, 'int', '', 'pool wallet below its threshold');
  const lows = lowWallets(book);
  for (const wallet of book.pool.wallets) {
    const known = book.balances[wallet];
    if (known === undefined) continue;
    balance.set(Number(known), { pool: book.pool.name, wallet });
    low.set(lows.includes(wallet) ? 1 : 0, { pool: book.pool.name, wallet });
  }
}

/** The pool's current details in the Temporal UI: each wallet's balance, reservations and state. */
function describe(book: PoolBook): void {
  const { pool } = book;
  const lows = lowWallets(book);
  const lines = [`**pool ${pool.name}** — ${pool.network}, ${pool.asset.kind}`, ''];
  for (const wallet of pool.wallets) {
    const held = book.reservations.filter((r) => r.walletId === wallet);
    const reserved = held.reduce((sum, r) => sum + BigInt(r.amount), 0n);
    const notes = [lows.includes(wallet) ? '⚠ low' : '', book.dryBelow[wallet] ? 'dry' : ''].filter(Boolean);
    const balance = book.balances[wallet] ?? 'unread';
    lines.push(`- \`${wallet}\`: ${balance}, ${held.length} in flight (${reserved}) ${notes.join(' ')}`.trimEnd());
  }
  lines.push(`- balances read ${book.balancesAt ?? 'not yet'}; read the reservations with the \`poolState\` Update`);
  setCurrentDetails(lines.join('\n'));
}
