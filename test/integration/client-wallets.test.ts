// Two clients, each with its own wallet, and a pool of A's, on the real stack (Temporal dev server, sandbox, worker
// and app over HTTP): B cannot pay from A's wallet or pool by the API, by a batch row, or by a workflow started
// directly in Temporal, and none of those attempts reaches the sandbox. Then each owner pays from what is its own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { mintApiKey, parseApiKeyEntry } from '../../src/api/api-keys';
import { createTemporalBatches } from '../../src/batches/temporal-batches';
import { paymentWorkflowInput } from '../../src/client/payment-client';
import { batchFinal, type BatchProgress } from '../../src/contracts/batch-messages';
import { FailureType } from '../../src/contracts/failure-types';
import type { PaymentOutcome } from '../../src/contracts/payment-messages';
import { paymentIdFor } from '../../src/contracts/payment-id';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import { poolWorkflowId } from '../../src/contracts/pool-messages';
import { PAYMENT_WORKFLOW_TYPE } from '../../src/contracts/workflow-types';
import { keepNewHistory } from '../support/run-histories';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const ALL = ['payments:write', 'payments:read', 'payments:operate'] as const;
const A_POOL = 'a-hot';

describe("a client cannot pay from another client's wallet or pool, on the real stack", { timeout: 300_000 }, () => {
  let stack: PaymentStack;
  const a = mintApiKey('a', [...ALL]);
  const b = mintApiKey('b', [...ALL]);
  /** A's wallet (the sandbox's funded one), B's wallet and the wallet of A's pool (two funded pool wallets). */
  const wallets = { a: '', b: '', aPool: '' };

  before(async () => {
    stack = await startPaymentStack({
      timeScale: 10,
      apiKeys: [a, b].map((key) => parseApiKeyEntry(key.entry)),
      pools: (bootstrap) => {
        const pooled = bootstrap.wallets.filter((w) => w.network === 'EthereumSepolia' && w.role === 'pool');
        assert.ok(pooled.length >= 2, 'the sandbox bootstrap has two pool wallets');
        wallets.a = bootstrap.walletId;
        wallets.b = (pooled[0] as { walletId: string }).walletId;
        wallets.aPool = (pooled[1] as { walletId: string }).walletId;
        const asset = { kind: 'Native' as const };
        return [
          { name: A_POOL, network: 'EthereumSepolia', asset, wallets: [wallets.aPool], lowBalanceThreshold: '0' },
        ];
      },
      // Real bindings, as a clients file: nothing is bound to payments without a client.
      clients: () => ({
        version: 1,
        clients: [
          { id: 'a', wallets: [wallets.a], pools: [A_POOL] },
          { id: 'b', wallets: [wallets.b] },
        ],
      }),
    });
  });
  after(async () => {
    await stack?.env.client.workflow
      .getHandle(poolWorkflowId(A_POOL))
      .terminate('test over')
      .catch(() => undefined);
    await stack?.stop();
  });

  type Body = Omit<PaymentRequest, 'idempotencyKey'>;
  const fromWallet = (walletId: string, amount = '1000'): Body => ({
    walletId,
    network: 'EthereumSepolia',
    asset: { kind: 'Native' },
    to: RECIPIENT,
    amount,
  });
  const fromPool = (amount = '1000'): Body => {
    const { walletId: _wallet, ...rest } = fromWallet('', amount);
    return { ...rest, pool: A_POOL };
  };
  const call = async (
    path: string,
    key: string,
    init: { idempotencyKey?: string; json?: unknown; csv?: string } = {},
  ) => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    if (init.csv !== undefined) headers['content-type'] = 'text/csv';
    const body = init.csv ?? (init.json === undefined ? undefined : JSON.stringify(init.json));
    const response = await fetch(`${stack.bridgeUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      ...(body === undefined ? {} : { body }),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies of known shape, asserted field by field
    return { status: response.status, json: (await response.json()) as Record<string, any> };
  };
  /** Every Dfns request the sandbox has counted, and every transfer it holds: what reached Dfns. */
  const sandboxSeen = async () => {
    const requests = (await (await fetch(`${stack.sandbox.url}/_sandbox/requests`)).json()) as { counts: unknown };
    return { requests: requests.counts, transfers: await stack.sandboxTransfers() };
  };
  /** Starts a payment workflow in Temporal directly, as anyone who can reach Temporal can, and awaits its outcome. */
  const startDirectly = async (key: string, request: Body, clientId?: string) => {
    const paymentId = paymentIdFor(key, clientId);
    const input = paymentWorkflowInput(
      paymentId,
      { ...request, idempotencyKey: key },
      {
        ...(clientId ? { clientId } : {}),
      },
    );
    const handle: WorkflowHandle = await stack.env.client.workflow.start(PAYMENT_WORKFLOW_TYPE, {
      workflowId: paymentId,
      taskQueue: stack.taskQueue,
      args: [input],
    });
    return { handle, outcome: (await handle.result()) as PaymentOutcome };
  };

  it("refuses B everything of A's by every way in, and nothing reaches the sandbox", async () => {
    const before = await sandboxSeen();
    assert.deepEqual(before.transfers, []);

    // The API: A's wallet and A's pool answer exactly as a wallet and a pool nobody has.
    const aWallet = await call('/v1/payments', b.key, { idempotencyKey: 'b-1', json: fromWallet(wallets.a) });
    const noWallet = await call('/v1/payments', b.key, { idempotencyKey: 'b-2', json: fromWallet('wa-nobody-0') });
    assert.equal(aWallet.status, 400);
    assert.deepEqual(aWallet.json.errors, [{ field: 'walletId', message: 'is not a wallet this client may pay from' }]);
    assert.deepEqual(aWallet.json, { ...noWallet.json });
    const aPool = await call('/v1/payments', b.key, { idempotencyKey: 'b-3', json: fromPool() });
    const noPool = await call('/v1/payments', b.key, {
      idempotencyKey: 'b-3',
      json: { ...fromPool(), pool: 'nobodys-hot' },
    });
    assert.equal(aPool.status, 400);
    assert.deepEqual(aPool.json.errors, [{ field: 'pool', message: 'is not a pool this client may pay from' }]);
    assert.deepEqual(aPool.json, noPool.json);

    // A batch row, as JSON and as CSV.
    const jsonBatch = await call('/v1/batches', b.key, {
      idempotencyKey: 'b-batch-1',
      json: {
        rows: [
          { key: 'mine', ...fromWallet(wallets.b) },
          { key: 'theirs', ...fromWallet(wallets.a) },
        ],
      },
    });
    assert.equal(jsonBatch.status, 400);
    assert.deepEqual(jsonBatch.json.errors, [
      { field: 'row 2.walletId', message: 'is not a wallet this client may pay from' },
    ]);
    const csvBatch = await call('/v1/batches', b.key, {
      idempotencyKey: 'b-batch-2',
      csv: `key,pool,network,asset,to,amount\nr1,${A_POOL},EthereumSepolia,native,${RECIPIENT},1000\n`,
    });
    assert.equal(csvBatch.status, 400);
    assert.deepEqual(csvBatch.json.errors, [
      { field: 'row 1.pool', message: 'is not a pool this client may pay from' },
    ]);

    // Listing by A's wallet or A's pool's wallet: refused as an unknown wallet is.
    for (const wallet of [wallets.a, wallets.aPool, 'wa-nobody-0']) {
      const listed = await call(`/v1/payments?wallet=${wallet}`, b.key);
      assert.equal(listed.status, 400, wallet);
      assert.deepEqual(listed.json.errors, [{ field: 'wallet', message: 'is not a wallet this client may pay from' }]);
    }
    // Nothing was started by any of these.
    assert.equal((await call('/v1/payments', b.key)).json.items.length, 0);

    // Temporal, the second way in: workflows started directly, past the API.
    const direct = await startDirectly('b-direct-wallet', fromWallet(wallets.a), 'b');
    assert.equal(direct.outcome.status, 'Failed');
    assert.equal(direct.outcome.failureType, FailureType.WalletNotBound);
    assert.match(direct.outcome.reason ?? '', /client "b" may not pay from wallet/);
    keepNewHistory('wallet-not-bound', await direct.handle.fetchHistory());
    const pooled = await startDirectly('b-direct-pool', fromPool(), 'b');
    assert.equal(pooled.outcome.status, 'Failed');
    assert.equal(pooled.outcome.failureType, FailureType.WalletNotBound);
    assert.match(pooled.outcome.reason ?? '', /pool a-hot: client "b" may not pay from pool a-hot/);
    keepNewHistory('pool-not-bound', await pooled.handle.fetchHistory());
    // Leaving the client out is no way around it: a payment without a client pays from what is bound to none.
    const anonymous = await startDirectly('anonymous', fromWallet(wallets.a));
    assert.equal(anonymous.outcome.failureType, FailureType.WalletNotBound);
    assert.match(anonymous.outcome.reason ?? '', /a payment without a client may not pay from wallet/);
    // A batch started in Temporal directly, for B, with a row of A's wallet.
    const batches = createTemporalBatches(stack.env.client, { taskQueue: stack.taskQueue });
    const batch = await batches.start('b', 'b-direct', [{ row: 1, key: 'r1', body: fromWallet(wallets.a) }]);
    assert.equal(batch.kind, 'started');
    let progress: BatchProgress | undefined;
    for (let i = 0; i < 600 && !(progress && batchFinal(progress.status)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      progress = await batches.progress('batch:b:b-direct');
    }
    const report = await batches.report('batch:b:b-direct');
    assert.deepEqual(
      report?.rows.map((row) => [row.status, row.failureType]),
      [['Failed', FailureType.WalletNotBound]],
    );

    // Nothing of all that reached Dfns: no request (no transfer, no signing, no balance read), and no pool started.
    assert.deepEqual(await sandboxSeen(), before);
    await assert.rejects(stack.env.client.workflow.getHandle(poolWorkflowId(A_POOL)).describe(), /not found/i);
  });

  it('lets each owner pay from its own wallet and pool, and list by them', async () => {
    const started = await Promise.all([
      call('/v1/payments', a.key, { idempotencyKey: 'a-wallet', json: fromWallet(wallets.a) }),
      call('/v1/payments', a.key, { idempotencyKey: 'a-pool', json: fromPool() }),
      call('/v1/payments', b.key, { idempotencyKey: 'b-wallet', json: fromWallet(wallets.b) }),
    ]);
    assert.deepEqual(
      started.map((answer) => answer.status),
      [201, 201, 201],
      JSON.stringify(started.map((answer) => answer.json)),
    );
    const outcomes = await Promise.all(
      started.map(
        async (answer) =>
          (await stack.env.client.workflow.getHandle(answer.json.paymentId as string).result()) as PaymentOutcome,
      ),
    );
    assert.deepEqual(
      outcomes.map((outcome) => outcome.status),
      ['Confirmed', 'Confirmed', 'Confirmed'],
      JSON.stringify(outcomes),
    );
    // Dfns's truth: each transfer left its owner's wallet (the pool's for A's pool payment).
    const transfers = await stack.sandboxTransfers();
    const walletOf = (paymentId: string) => transfers.find((t) => t.externalId?.startsWith(`${paymentId}:`))?.walletId;
    assert.deepEqual(
      outcomes.map((outcome) => walletOf(outcome.paymentId)),
      [wallets.a, wallets.aPool, wallets.b],
    );
    assert.equal(transfers.length, 3);

    // Visibility is eventually consistent: the pool's wallet is listed once its search attribute is indexed.
    let listed: string[] = [];
    for (let i = 0; i < 100 && listed.length === 0; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      const page = await call(`/v1/payments?wallet=${wallets.aPool}`, a.key);
      assert.equal(page.status, 200);
      listed = page.json.items.map((item: { paymentId: string }) => item.paymentId);
    }
    assert.deepEqual(listed, ['payment:a:a-pool']);
  });
});
