import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { createPoolActivities } from '../../activities/pool-activities';
import { clientBindings } from '../../src/clients/client-bindings';
import { FailureType } from '../../src/contracts/failure-types';
import {
  paymentStateQuery,
  type PaymentOutcome,
  type PaymentWorkflowInput,
} from '../../src/contracts/payment-messages';
import type { PaymentState } from '../../src/contracts/payment-state';
import type { PoolBook } from '../../src/contracts/pool-book';
import type { PoolDefinition } from '../../src/contracts/pool-definition';
import { poolStateQuery, type PoolTimings } from '../../src/contracts/pool-messages';
import { poolWorkflowId } from '../../src/contracts/pool-messages';
import { PaymentWaitingForFundsKey, PaymentWalletKey } from '../../src/contracts/search-attributes';
import { PAYMENT_WORKFLOW_TYPE } from '../../src/contracts/workflow-types';
import { dfnsRefusal, FakeDfns } from '../support/fake-dfns';
import { keepHistory } from '../support/histories';
import { startTimeSkipping, testInput, withWorker } from '../support/time-skipping';

const TX = `0x${'a'.repeat(64)}`;
const MINUTE = 60_000;
const USDC = {
  kind: 'Erc20',
  contract: '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238',
  symbol: 'USDC',
  decimals: 6,
} as const;

/** A pool of `wallets` paying USDC on EthereumSepolia; each test uses its own name, so its own pool workflow. */
const poolOf = (name: string, wallets: string[]): PoolDefinition => ({
  name,
  network: 'EthereumSepolia',
  asset: USDC,
  wallets,
  lowBalanceThreshold: '1000',
});

/** The balances Dfns reports, per wallet; a wallet not listed holds nothing. */
class FakeBalances {
  readonly balances = new Map<string, string>();
  reads = 0;
  readonly activities = {
    readWalletBalances: async ({ pool }: { pool: PoolDefinition }) => {
      this.reads++;
      return Object.fromEntries(pool.wallets.map((w) => [w, this.balances.get(w) ?? '0']));
    },
  };
}

describe('wallet pools (time-skipping test server, scripted Dfns)', { timeout: 300_000 }, () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  before(async () => ({ env, bundle } = await startTimeSkipping()));
  after(async () => env?.teardown());

  type Handle = WorkflowHandle<(input: PaymentWorkflowInput) => Promise<PaymentOutcome>>;
  const poolTimings: Partial<PoolTimings> = { refreshIntervalMs: 5 * MINUTE, refreshDebounceMs: 1_000 };

  /** Runs `fn` with a worker serving payments, the pools `pools` and the balances `balances`. */
  function withPools<T>(
    fake: FakeDfns,
    balances: FakeBalances,
    pools: PoolDefinition[],
    fn: (taskQueue: string, activities: ReturnType<typeof createPoolActivities>) => Promise<T>,
    timings: Partial<PoolTimings> = poolTimings,
  ): Promise<T> {
    const make = (taskQueue: string) =>
      createPoolActivities({
        temporal: env.client,
        pools,
        // The payments here name no client: those without one may name every pool of the test.
        clients: clientBindings({
          version: 1,
          clients: [],
          withoutClient: { wallets: [], pools: pools.map((p) => p.name) },
        }),
        taskQueue,
        refillWaitMs: 60 * MINUTE,
        poolTimings: timings,
      });
    // Pool workflows never end by themselves: each test ends its own, so that their timers, once no worker serves
    // their queue, do not hold back the server's time skipping in the tests after it.
    const run = async (taskQueue: string) => {
      try {
        return await fn(taskQueue, make(taskQueue));
      } finally {
        for (const pool of pools)
          await env.client.workflow
            .getHandle(poolWorkflowId(pool.name))
            .terminate('test over')
            .catch(() => undefined);
      }
    };
    return withWorker(env, bundle, fake, run, (taskQueue) => ({ ...balances.activities, ...make(taskQueue) }));
  }

  async function startPayment(taskQueue: string, key: string, pool: string, amount: string, extra = {}) {
    const input = testInput(key, { firstPollAfterMs: MINUTE, ...extra }, { pool, amount });
    delete (input.request as { walletId?: string }).walletId;
    const handle: Handle = await env.client.workflow.start(PAYMENT_WORKFLOW_TYPE, {
      workflowId: input.paymentId,
      taskQueue,
      args: [input],
    });
    return { handle, input };
  }

  /** Polls the query (no time passes on the test server) until the payment satisfies `ok`. */
  async function waitFor(handle: Handle, ok: (state: PaymentState) => boolean): Promise<PaymentState> {
    for (let i = 0; i < 400; i++) {
      const state = await handle.query(paymentStateQuery);
      if (ok(state)) return state;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const state = await handle.query(paymentStateQuery);
    throw new Error(`condition not reached; payment is ${state.status}: ${JSON.stringify(state.timeline.at(-1))}`);
  }

  const poolBook = (name: string) => env.client.workflow.getHandle(poolWorkflowId(name)).query(poolStateQuery);

  /** Polls the pool's state until `ok`: a payment's release is a signal the pool applies after the payment ends. */
  async function waitForPool(name: string, ok: (book: PoolBook) => boolean): Promise<PoolBook> {
    for (let i = 0; i < 400; i++) {
      const book = await poolBook(name);
      if (ok(book)) return book;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`pool ${name}: condition not reached: ${JSON.stringify(await poolBook(name))}`);
  }
  let asked = 0;

  it('routes to the least-loaded wallet that can cover the amount after what is reserved in flight', async () => {
    const fake = new FakeDfns();
    const balances = new FakeBalances();
    balances.balances.set('wa-a', '1000').set('wa-b', '1000').set('wa-c', '300');
    const pool = poolOf('route', ['wa-a', 'wa-b', 'wa-c']);
    await withPools(fake, balances, [pool], async (_queue, activities) => {
      const ask = (paymentId: string, amount: string, exclude: string[] = []) =>
        activities.reservePoolWallet({
          paymentId,
          request: { pool: 'route', network: 'EthereumSepolia', asset: USDC, amount },
          exclude,
          updateId: `${paymentId}:${++asked}`,
        });
      // Nothing in flight: a and b tie on load and on what they hold; the file's order decides.
      assert.deepEqual(await ask('p1', '400'), { walletId: 'wa-a', refillWaitMs: 60 * MINUTE });
      // a carries one payment now: b is less loaded.
      assert.equal(((await ask('p2', '400')) as { walletId: string }).walletId, 'wa-b');
      // c is the least loaded but 300 cannot cover 400; a and b carry one each and have 600 left: a, by order.
      assert.equal(((await ask('p3', '400')) as { walletId: string }).walletId, 'wa-a');
      // a has 200 left after two reservations, b 600: only b covers 400.
      assert.equal(((await ask('p4', '400')) as { walletId: string }).walletId, 'wa-b');
      // c (idle, 300) is now the least loaded that covers 250.
      assert.equal(((await ask('p5', '250')) as { walletId: string }).walletId, 'wa-c');
      // 1000 - 800 reserved on a, 200 on b, 50 on c: nobody covers 300, and the refusal says why for each.
      const refused = (await ask('p6', '300')) as { refused: string };
      assert.match(refused.refused, /no wallet of pool route can cover 300/);
      assert.match(refused.refused, /wa-a: 200 available after 2 reservation\(s\)/);
      // Asking again for a payment that holds a wallet answers the same wallet, never a second reservation.
      assert.equal(((await ask('p1', '400')) as { walletId: string }).walletId, 'wa-a');
      const book = await poolBook('route');
      assert.deepEqual(
        book.reservations.map((r) => `${r.paymentId}@${r.walletId}`),
        ['p1@wa-a', 'p2@wa-b', 'p3@wa-a', 'p4@wa-b', 'p5@wa-c'],
      );
    });
  });

  it('refuses a pool the worker does not know, or of another network, naming the pool', async () => {
    const pool = poolOf('known', ['wa-a']);
    // Bound to "nope" too: a worker whose pools file lost a pool its clients file still names (a start-up refuses
    // that pair; here the activity's own check is what is tested). Nothing is asked of Temporal.
    const activities = createPoolActivities({
      temporal: env.client,
      pools: [pool],
      clients: clientBindings({ version: 1, clients: [], withoutClient: { wallets: [], pools: ['known', 'nope'] } }),
      taskQueue: 'unused',
      refillWaitMs: MINUTE,
    });
    const ask = (request: Parameters<typeof activities.reservePoolWallet>[0]['request']) =>
      activities.reservePoolWallet({ paymentId: 'x', request, exclude: [], updateId: 'x' });
    await assert.rejects(ask({ pool: 'nope', network: 'EthereumSepolia', asset: USDC, amount: '1' }), (error) => {
      assert.match(String(error), /pool: no pool named "nope" \(known: known\)/);
      return true;
    });
    await assert.rejects(
      ask({ pool: 'known', network: 'BaseSepolia', asset: USDC, amount: '1' }),
      /pays on EthereumSepolia, not BaseSepolia/,
    );
    // A pool the payer may not name is refused before anything else, whether the worker knows it or not.
    await assert.rejects(ask({ pool: 'other', network: 'EthereumSepolia', asset: USDC, amount: '1' }), (error) => {
      assert.ok(error instanceof ApplicationFailure);
      assert.equal(error.type, FailureType.WalletNotBound);
      assert.match(error.message, /a payment without a client may not pay from pool other/);
      return true;
    });
  });

  it('moves on from a wallet that reports insufficient funds, as a new attempt with a new externalId', async () => {
    const fake = new FakeDfns();
    const balances = new FakeBalances();
    // The dry wallet's balance covers the amount, but Dfns refuses it (the fee counts too).
    balances.balances.set('wa-dry', '5000').set('wa-ok', '5000');
    const submitted: string[] = [];
    fake.onSubmit = (input) => {
      submitted.push(`${input.request.walletId}:${input.externalId}`);
      return input.request.walletId === 'wa-dry' ? dfnsRefusal(400, 'Insufficient funds to pay the fee') : {};
    };
    const pool = poolOf('dry', ['wa-dry', 'wa-ok']);
    await withPools(fake, balances, [pool], async (taskQueue) => {
      const { handle, input } = await startPayment(taskQueue, 'pool-dry', 'dry', '1000');
      await waitFor(handle, (s) => s.status === 'Submitted');
      await handle.signal('paymentUpdate', fake.set(`${input.paymentId}:a2`, { status: 'Confirmed', txHash: TX }));
      const outcome = await handle.result();
      assert.equal(outcome.status, 'Confirmed');
      assert.equal(outcome.externalId, 'payment:pool-dry:a2');
      assert.deepEqual(submitted, ['wa-dry:payment:pool-dry:a1', 'wa-ok:payment:pool-dry:a2']);
      const state = await handle.query(paymentStateQuery);
      assert.equal(state.wallet, 'wa-ok');
      assert.deepEqual(state.dryWallets, ['wa-dry']);
      assert.equal(state.previousAttempts[0]?.walletId, 'wa-dry');
      assert.match(state.previousAttempts[0]?.reason ?? '', /wa-dry lacked the funds for 1000 \(.*Insufficient funds/);
      const described = await handle.describe();
      assert.equal(described.typedSearchAttributes.get(PaymentWalletKey), 'wa-ok');
      // Both holds were given back: the dry one when the payment moved on, the paying one once it confirmed.
      const book = await waitForPool('dry', (b) => b.reservations.length === 0);
      await keepHistory('pool-dry-wallet', handle);
      assert.equal(book.dryBelow['wa-dry'], '1000');
    });
  });

  it('moves on when Dfns fails the transfer before broadcast for lack of funds, not retrying the same wallet', async () => {
    const fake = new FakeDfns();
    const balances = new FakeBalances();
    balances.balances.set('wa-gasless', '5000').set('wa-ok', '5000');
    const pool = poolOf('gasless', ['wa-gasless', 'wa-ok']);
    await withPools(fake, balances, [pool], async (taskQueue) => {
      const { handle, input } = await startPayment(taskQueue, 'pool-gasless', 'gasless', '1000');
      await waitFor(handle, (s) => s.status === 'Submitted');
      const failed = { status: 'Failed' as const, reason: 'Insufficient balance' };
      await handle.signal('paymentUpdate', fake.set(`${input.paymentId}:a1`, failed));
      await waitFor(handle, (s) => s.attempt === 2 && s.status === 'Submitted');
      await handle.signal('paymentUpdate', fake.set(`${input.paymentId}:a2`, { status: 'Confirmed', txHash: TX }));
      const outcome = await handle.result();
      assert.equal(outcome.status, 'Confirmed');
      const state = await handle.query(paymentStateQuery);
      assert.equal(state.wallet, 'wa-ok');
      assert.deepEqual(
        state.previousAttempts.map((a) => [a.walletId, a.transferId]),
        [['wa-gasless', 'xfr-1']],
      );
      assert.match(state.previousAttempts[0]?.reason ?? '', /wa-gasless lacked the funds .*Insufficient balance/);
    });
  });

  it('waits visibly for a refill when no wallet can pay, then pays from the refilled wallet', async () => {
    const fake = new FakeDfns();
    fake.onRead = () => ({ status: 'Confirmed', txHash: TX });
    const balances = new FakeBalances();
    balances.balances.set('wa-a', '10').set('wa-b', '20');
    const pool = poolOf('refill', ['wa-a', 'wa-b']);
    await withPools(fake, balances, [pool], async (taskQueue) => {
      const { handle } = await startPayment(taskQueue, 'pool-refill', 'refill', '500');
      const waiting = await waitFor(handle, (s) => s.waitingForFunds !== undefined);
      assert.equal(waiting.status, 'Accepted');
      assert.equal((await handle.describe()).typedSearchAttributes.get(PaymentWaitingForFundsKey), true);
      assert.match(waiting.timeline.at(-1)?.note ?? '', /no wallet of pool refill can cover 500/);
      // An operator refills wallet b; the pool sees it at its next read, the payment at its next question.
      balances.balances.set('wa-b', '100000');
      const outcome = await handle.result();
      assert.equal(outcome.status, 'Confirmed');
      const state = await handle.query(paymentStateQuery);
      assert.equal(state.wallet, 'wa-b');
      assert.equal(state.waitingForFunds, undefined);
      const described = await handle.describe();
      assert.equal(described.typedSearchAttributes.get(PaymentWaitingForFundsKey), false);
      assert.equal(described.typedSearchAttributes.get(PaymentWalletKey), 'wa-b');
      assert.deepEqual(fake.calls.filter((c) => c === 'submitTransfer').length, 1);
      await keepHistory('pool-refill-wait', handle);
    });
  });

  it('fails with a clear reason once the refill window closes', async () => {
    const fake = new FakeDfns();
    const balances = new FakeBalances();
    balances.balances.set('wa-a', '10');
    const pool = poolOf('empty', ['wa-a']);
    await withPools(fake, balances, [pool], async (taskQueue) => {
      const { handle } = await startPayment(taskQueue, 'pool-empty', 'empty', '500', { refillWaitMs: 30 * MINUTE });
      const outcome = await handle.result();
      assert.equal(outcome.status, 'Failed');
      assert.equal(outcome.failureType, FailureType.PoolFundsExhausted);
      assert.match(outcome.reason ?? '', /no wallet of pool empty could pay 500 before the refill window closed/);
      const state = await handle.query(paymentStateQuery);
      const waited = Date.parse(state.updatedAt) - Date.parse(state.waitingForFunds?.since ?? '');
      assert.ok(waited >= 30 * MINUTE && waited < 35 * MINUTE, `waited ${waited} ms`);
      assert.equal(fake.count('submitTransfer'), 0);
      // The payment's final release leaves nothing reserved.
      await waitForPool('empty', (b) => b.reservations.length === 0);
    });
  });

  it('continues the pool workflow as new on its event budget, carrying the reservations', async () => {
    const fake = new FakeDfns();
    const balances = new FakeBalances();
    balances.balances.set('wa-a', '1000').set('wa-b', '1000');
    const pool = poolOf('long', ['wa-a', 'wa-b']);
    const timings = { ...poolTimings, historyEventBudget: 40, refreshIntervalMs: MINUTE };
    await withPools(
      fake,
      balances,
      [pool],
      async (_queue, activities) => {
        const ask = (paymentId: string) =>
          activities.reservePoolWallet({
            paymentId,
            request: { pool: 'long', network: 'EthereumSepolia', asset: USDC, amount: '100' },
            exclude: [],
            updateId: paymentId,
          });
        await ask('p1');
        await ask('p2');
        const handle = env.client.workflow.getHandle(poolWorkflowId('long'));
        const first = (await handle.describe()).runId;
        await env.sleep(30 * MINUTE); // a read a minute: far more events than the budget
        const later = await handle.describe();
        assert.notEqual(later.runId, first);
        assert.equal(later.status.name, 'RUNNING');
        const book: PoolBook = await handle.query(poolStateQuery);
        assert.deepEqual(
          book.reservations.map((r) => `${r.paymentId}@${r.walletId}`),
          ['p1@wa-a', 'p2@wa-b'],
        );
        // The new run still routes: a third payment goes to the least-loaded wallet.
        assert.equal(((await ask('p3')) as { walletId: string }).walletId, 'wa-a');
        assert.ok(balances.reads >= 10, `${balances.reads} reads`);
        await keepHistory(
          'pool-continued-as-new-first-run',
          env.client.workflow.getHandle(poolWorkflowId('long'), first),
        );
      },
      timings,
    );
  });
});
