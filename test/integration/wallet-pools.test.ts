import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { transferExternalId } from '../../src/contracts/payment-id';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import type { PoolBook } from '../../src/contracts/pool-book';
import type { PoolDefinition } from '../../src/contracts/pool-definition';
import { poolStateQuery } from '../../src/contracts/pool-messages';
import { poolWorkflowId } from '../../src/contracts/pool-messages';
import { PaymentWalletKey } from '../../src/contracts/search-attributes';
import { WorkerMetric } from '../../src/observability/metric-names';
import { scrape, sumOf } from '../metrics/prometheus-text';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

/**
 * The sandbox's three EthereumSepolia wallets as one USDC pool: the gasless wallet (10M USDC, no ETH for gas: Dfns
 * fails its transfers for lack of funds), the fee sponsor's wallet (ETH, no USDC) and the funded wallet.
 */
function usdcPool(bootstrap: PaymentStack['sandbox']['bootstrap']): PoolDefinition {
  const byRole = (role: string) => {
    const found = bootstrap.wallets.find((w) => w.network === 'EthereumSepolia' && w.role === role);
    assert.ok(found, `the sandbox bootstrap has no ${role} wallet`);
    return found.walletId;
  };
  return {
    name: 'usdc-hot',
    network: 'EthereumSepolia',
    asset: { kind: 'Erc20', contract: bootstrap.erc20.contract, symbol: 'USDC', decimals: 6 },
    wallets: [byRole('gasless'), byRole('fee-sponsor'), bootstrap.walletId],
    lowBalanceThreshold: '1000000',
  };
}

describe('a three-wallet pool on the sandbox, one wallet dry', { timeout: 240_000 }, () => {
  let stack: PaymentStack;
  let pool: PoolDefinition;
  before(async () => {
    stack = await startPaymentStack({ timeScale: 10, pools: (bootstrap) => [usdcPool(bootstrap)] });
    pool = usdcPool(stack.sandbox.bootstrap);
  });
  after(async () => {
    await stack?.env.client.workflow
      .getHandle(poolWorkflowId('usdc-hot'))
      .terminate('test over')
      .catch(() => undefined);
    await stack?.stop();
  });

  const request = (key: string): PaymentRequest => ({
    idempotencyKey: key,
    pool: 'usdc-hot',
    network: 'EthereumSepolia',
    asset: pool.asset,
    to: RECIPIENT,
    amount: '2500000',
  });
  const walletAt = (i: number) => () => pool.wallets[i] as string;
  const [gasless, sponsorWallet, funded] = [walletAt(0), walletAt(1), walletAt(2)];
  const poolBook = (): Promise<PoolBook> =>
    stack.env.client.workflow.getHandle(poolWorkflowId('usdc-hot')).query(poolStateQuery);

  it('skips the wallet Dfns finds dry, pays from the next, and never sends the payment twice', async () => {
    const started = await stack.client.start(request('pool-1'));
    const outcome = await stack.client.waitForOutcome(started.paymentId);
    assert.equal(outcome.status, 'Confirmed', outcome.reason);
    assert.equal(outcome.externalId, transferExternalId(started.paymentId, 2));

    const state = await stack.client.getState(started.paymentId);
    assert.equal(state.wallet, funded());
    assert.deepEqual(
      state.previousAttempts.map((attempt) => attempt.walletId),
      [gasless()],
    );
    assert.match(state.previousAttempts[0]?.reason ?? '', /lacked the funds .*Insufficient balance/);
    const described = await stack.env.client.workflow.getHandle(started.paymentId).describe();
    assert.equal(described.typedSearchAttributes.get(PaymentWalletKey), funded());

    // Dfns's truth: the dry wallet's transfer failed, and exactly one transfer (from the funded wallet) paid.
    const transfers = (await stack.sandboxTransfers()).filter((t) => t.externalId?.startsWith(started.paymentId));
    assert.deepEqual(transfers.map((t) => `${t.externalId} ${t.status}`).sort(), [
      `${transferExternalId(started.paymentId, 1)} Failed`,
      `${transferExternalId(started.paymentId, 2)} Confirmed`,
    ]);
  });

  it('remembers the dry wallet: the next payment goes straight to a wallet that can pay', async () => {
    const started = await stack.client.start(request('pool-2'));
    const outcome = await stack.client.waitForOutcome(started.paymentId);
    assert.equal(outcome.status, 'Confirmed', outcome.reason);
    assert.equal(outcome.attempt, 1);
    assert.equal((await stack.client.getState(started.paymentId)).wallet, funded());

    // Every hold was given back, and the balances read from Dfns show what left the funded wallet.
    let book = await poolBook();
    for (let i = 0; i < 40 && book.reservations.length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      book = await poolBook();
    }
    assert.deepEqual(book.reservations, []);
    assert.equal(book.balances[sponsorWallet()], '0');
    assert.equal(book.dryBelow[gasless()], '2500000');
    assert.ok(BigInt(book.balances[funded()] ?? '0') <= 10_000_000n * 10n ** 6n - 5_000_000n);
  });

  it('reports the wallet below its threshold on the worker metrics endpoint', async () => {
    let samples = (await scrape(stack.workerMetricsUrl)).samples;
    for (let i = 0; i < 20 && sumOf(samples, WorkerMetric.poolWalletLow, { wallet: sponsorWallet() }) < 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      samples = (await scrape(stack.workerMetricsUrl)).samples;
    }
    assert.equal(sumOf(samples, WorkerMetric.poolWalletLow, { pool: 'usdc-hot', wallet: sponsorWallet() }), 1);
    assert.equal(sumOf(samples, WorkerMetric.poolWalletLow, { pool: 'usdc-hot', wallet: funded() }), 0);
    assert.ok(sumOf(samples, WorkerMetric.poolWalletBalance, { pool: 'usdc-hot', wallet: funded() }) > 1e12);
  });
});
