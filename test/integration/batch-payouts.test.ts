// Batch payouts through everything real: the HTTP API (CSV upload), the batch and payment workflows on a Temporal
// dev server, the worker with the real @dfns/sdk, and the sandbox playing Dfns (its chain sped up 100×).
import { DfnsApiClient } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { mintApiKey, parseApiKeyEntry } from '../../src/api/api-keys';
import type { BatchProgress, BatchRowResult } from '../../src/contracts/batch-messages';
import { applyPolicyPlan } from '../../src/policies/apply-policy-plan';
import { loadPolicyFile, policyFilePath } from '../../src/policies/load-policy-file';
import { listActivePolicies } from '../../src/policies/org-policies';
import { computePolicyPlan } from '../../src/policies/policy-plan';
import { resolvePolicyFile } from '../../src/policies/resolve-placeholders';
import type { PoolDefinition } from '../../src/contracts/pool-definition';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const USDC = 1_000_000n; // minimum units of one USDC

describe('batch payouts on the real stack', { timeout: 480_000 }, () => {
  let stack: PaymentStack;
  const acme = mintApiKey('acme', ['payments:write', 'payments:read', 'payments:operate']);

  before(async () => {
    stack = await startPaymentStack({
      timeScale: 100,
      rateLimitPerMinute: 0,
      timings: { firstPollAfterMs: 3_000, maxPollIntervalMs: 10_000 },
      apiKeys: [parseApiKeyEntry(acme.entry)],
      pools: (bootstrap) => [hotPool(bootstrap)],
    });
  });
  after(async () => stack?.stop());

  /** The bootstrap's funded EthereumSepolia wallet and its two pool wallets, all holding USDC and ETH. */
  const hotPool = (bootstrap: PaymentStack['sandbox']['bootstrap']): PoolDefinition => ({
    name: 'payroll-hot',
    network: 'EthereumSepolia',
    asset: { kind: 'Erc20', contract: bootstrap.erc20.contract, symbol: 'USDC', decimals: 6 },
    wallets: [
      bootstrap.walletId,
      ...bootstrap.wallets.filter((w) => w.network === 'EthereumSepolia' && w.role === 'pool').map((w) => w.walletId),
    ],
    lowBalanceThreshold: '1000000',
  });
  const poolCsvOf = (amounts: bigint[]) => {
    const { erc20 } = stack.sandbox.bootstrap;
    const lines = amounts.map(
      (amount, i) => `r${i + 1},payroll-hot,EthereumSepolia,erc20:${erc20.contract},${RECIPIENT},${amount}`,
    );
    return ['key,pool,network,asset,to,amount', ...lines].join('\n');
  };
  const csvOf = (amounts: bigint[]) => {
    const { walletId, erc20 } = stack.sandbox.bootstrap;
    const lines = amounts.map(
      (amount, i) => `r${i + 1},${walletId},EthereumSepolia,erc20:${erc20.contract},${RECIPIENT},${amount}`,
    );
    return ['key,walletId,network,asset,to,amount', ...lines].join('\n');
  };
  const post = async (batchKey: string, csv: string, concurrency: number) => {
    const response = await fetch(`${stack.bridgeUrl}/v1/batches?concurrency=${concurrency}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${acme.key}`, 'idempotency-key': batchKey, 'content-type': 'text/csv' },
      body: csv,
    });
    return { status: response.status, body: (await response.json()) as BatchProgress };
  };
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${stack.bridgeUrl}${path}`, { headers: { authorization: `Bearer ${acme.key}` } });
    assert.equal(response.status, 200, path);
    return (await response.json()) as T;
  };
  const batchPath = (batchId: string) => `/v1/batches/${encodeURIComponent(batchId)}`;
  /** Follows the batch through the API until it is final (bounded). */
  async function untilFinal(batchId: string, limitMs: number): Promise<BatchProgress> {
    const until = Date.now() + limitMs;
    let progress = await get<BatchProgress>(batchPath(batchId));
    while (progress.status !== 'Completed' && progress.status !== 'Cancelled') {
      if (Date.now() > until) throw new Error(`batch not final in time: ${JSON.stringify(progress.byStatus)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      progress = await get<BatchProgress>(batchPath(batchId));
    }
    return progress;
  }

  it('pays a 200-row CSV batch across a three-wallet pool: every row final, one Dfns transfer per row', async () => {
    const amounts = Array.from({ length: 200 }, (_, i) => USDC + BigInt(i));
    const csv = poolCsvOf(amounts);
    const started = Date.now();
    const first = await post('payroll-200', csv, 50);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const batchId = first.body.batchId;
    assert.equal(batchId, 'batch:acme:payroll-200');
    const final = await untilFinal(batchId, 240_000);
    console.log(`200-row batch final after ${((Date.now() - started) / 1000).toFixed(1)} s, run ${final.run}`);

    assert.equal(final.status, 'Completed');
    assert.equal(final.byStatus.Confirmed.count, 200, JSON.stringify(final.byStatus));
    const sum = amounts.reduce((total, amount) => total + amount, 0n).toString();
    assert.deepEqual(Object.values(final.byStatus.Confirmed.amounts), [sum]);
    const report = await get<{ rows: BatchRowResult[] }>(`${batchPath(batchId)}/report`);
    assert.equal(report.rows.length, 200);
    for (const row of report.rows) {
      assert.equal(row.status, 'Confirmed', `row ${row.row}: ${row.reason ?? ''}`);
      assert.match(row.txHash ?? '', /^0x[0-9a-f]{64}$/);
    }

    // Dfns's ground truth: one transfer per row, under the row's own payment id.
    const held = (await stack.sandboxTransfers()).filter((t) => t.externalId?.startsWith('payment:acme:payroll-200.'));
    assert.equal(held.length, 200);
    const perRow = new Map<string, number>();
    for (const transfer of held) {
      const paymentId = (transfer.externalId as string).replace(/:a\d+$/, '');
      perRow.set(paymentId, (perRow.get(paymentId) ?? 0) + 1);
    }
    assert.deepEqual(new Set(perRow.values()), new Set([1]));
    assert.deepEqual([...perRow.keys()].sort(), report.rows.map((row) => row.paymentId).sort());
    // The pool spread the rows: every one of its three wallets paid some.
    const payers = new Set(held.map((transfer) => transfer.walletId));
    assert.deepEqual([...payers].sort(), [...hotPool(stack.sandbox.bootstrap).wallets].sort());

    // Re-submitting the batch finds it; nothing is paid again.
    const again = await post('payroll-200', csv, 50);
    assert.equal(again.status, 200);
    assert.equal(
      (await stack.sandboxTransfers()).filter((t) => t.externalId?.startsWith(`payment:acme:payroll-200.`)).length,
      200,
    );
  });

  it('a row is the single payment under <batch>.<row>: another request refuses the batch, the same one is reported', async () => {
    const { walletId, erc20 } = stack.sandbox.bootstrap;
    const OTHER = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
    const line = (key: string, to: string, amount: string) =>
      `${key},${walletId},EthereumSepolia,erc20:${erc20.contract},${to},${amount}`;
    const csv = (...lines: string[]) => ['key,walletId,network,asset,to,amount', ...lines].join('\n');
    const payAlone = async (key: string, to: string, amount: string) => {
      const response = await fetch(`${stack.bridgeUrl}/v1/payments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${acme.key}`, 'idempotency-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({
          walletId,
          network: 'EthereumSepolia',
          asset: { kind: 'Erc20', contract: erc20.contract },
          to,
          amount,
        }),
      });
      assert.equal(response.status, 201, await response.text());
      const paymentId = `payment:acme:${key}`;
      const until = Date.now() + 60_000;
      for (;;) {
        const state = await get<{ status: string; txHash?: string }>(`/v1/payments/${encodeURIComponent(paymentId)}`);
        if (state.status === 'Confirmed') return { paymentId, txHash: state.txHash };
        if (Date.now() > until) throw new Error(`${paymentId} not confirmed in time: ${state.status}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    const transfersOf = async (paymentId: string) =>
      (await stack.sandboxTransfers()).filter((t) => t.externalId?.startsWith(`${paymentId}:`));

    // sk.r2 was paid alone: 999 to one address. Batch sk's row r2 asks 222 to another: refused, nothing starts.
    await payAlone('sk.r2', RECIPIENT, '999');
    const refused = await fetch(`${stack.bridgeUrl}/v1/batches?concurrency=5`, {
      method: 'POST',
      headers: { authorization: `Bearer ${acme.key}`, 'idempotency-key': 'sk', 'content-type': 'text/csv' },
      body: csv(line('r1', RECIPIENT, '111'), line('r2', OTHER, '222')),
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.headers.get('content-type'), 'application/problem+json');
    const problem = (await refused.json()) as {
      type: string;
      detail: string;
      errors: { field: string; message: string }[];
    };
    assert.equal(problem.type, 'urn:problem:payments:invalid_rows');
    assert.match(problem.detail, /nothing was started/);
    assert.deepEqual(
      problem.errors.map((e) => e.field),
      ['row 2.amount', 'row 2.to'],
    );
    assert.match(
      problem.errors[0]?.message ?? '',
      /payment:acme:sk\.r2 already holds this row's key \(sk\.r2\) with amount 999/,
    );
    assert.match(problem.errors[1]?.message ?? '', new RegExp(`with to ${RECIPIENT}`));
    const batch = await fetch(`${stack.bridgeUrl}${batchPath('batch:acme:sk')}`, {
      headers: { authorization: `Bearer ${acme.key}` },
    });
    assert.equal(batch.status, 404, 'no batch');
    assert.deepEqual(await transfersOf('payment:acme:sk.r1'), [], 'row 1 was not paid either');
    // The CLI (here through the API) reports it as it reports any bad row: by row, line and column, exit 1.
    const file = join(await mkdtemp(join(tmpdir(), 'batch-sk-')), 'sk.csv');
    await writeFile(file, csv(line('r1', RECIPIENT, '111'), line('r2', OTHER, '222')));
    const cli = await new Promise<{ code: number; stderr: string }>((resolve) => {
      const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PAYMENTS_API_KEY: acme.key };
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'batch', file, '--key', 'sk', '--api', stack.bridgeUrl],
        { cwd: fileURLToPath(new URL('../..', import.meta.url)), env },
        (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
      );
    });
    assert.equal(cli.code, 1, cli.stderr);
    assert.match(cli.stderr, /^payments: 1 row\(s\) of .*sk\.csv are invalid; nothing was started:$/m);
    assert.match(cli.stderr, /^ {2}row 2 \(line 3\) amount: payment payment:acme:sk\.r2 already holds this row's key/m);
    assert.match(cli.stderr, /^ {2}row 2 \(line 3\) to: /m);
    assert.equal((await transfersOf('payment:acme:sk.r2')).length, 1, '222 was paid to no one');

    // sk2.r2 was paid alone with exactly row r2's request: the row is that payment, Confirmed with its txHash.
    const alone = await payAlone('sk2.r2', RECIPIENT, '333');
    const started = await post('sk2', csv(line('r1', RECIPIENT, '444'), line('r2', RECIPIENT, '333')), 2);
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const final = await untilFinal(started.body.batchId, 60_000);
    assert.equal(final.byStatus.Confirmed.count, 2, JSON.stringify(final.byStatus));
    assert.deepEqual(final.byStatus.Confirmed.amounts, { [`EthereumSepolia:${erc20.contract}`]: '777' });
    assert.equal(final.byStatus.Skipped.count, 0);
    const report = await get<{ rows: BatchRowResult[] }>(`${batchPath(started.body.batchId)}/report`);
    const r2 = report.rows.find((row) => row.key === 'r2');
    assert.deepEqual([r2?.status, r2?.paymentId, r2?.txHash], ['Confirmed', alone.paymentId, alone.txHash]);
    assert.equal((await transfersOf(alone.paymentId)).length, 1, 'paid once');
  });

  it('has the surplus of a batch crossing the high-volume $2M/hour cap blocked by policy, row by row, once', async () => {
    const { bootstrap } = stack.sandbox;
    const signer = new AsymmetricKeySigner({ credId: bootstrap.credId, privateKey: bootstrap.privateKey });
    const dfns = new DfnsApiClient({
      baseUrl: stack.sandbox.url,
      authToken: bootstrap.authToken,
      orgId: bootstrap.orgId,
      signer,
    });
    // The shipped policy file, applied by the same plan/apply code as `npm run policies -- apply --set high-volume`.
    const { desired } = resolvePolicyFile(loadPolicyFile(policyFilePath('high-volume')), {
      approverIds: bootstrap.approvers.map((approver) => approver.userId),
      recipientWhitelist: [],
      walletIds: [bootstrap.walletId],
      autoRejectTimeout: 60,
      sources: { approverIds: 'test', recipientWhitelist: 'test', walletIds: 'test' },
    });
    await applyPolicyPlan(computePolicyPlan(desired, await listActivePolicies(dfns.policies)), dfns.policies);

    // $450k rows stay under the $500k approval threshold; four fill the hour to $1.8M (plus the $500 of the test
    // above), the fifth and sixth would cross $2M, and a $100k row still fits. One at a time, so the order is known.
    const usd = (dollars: number) => BigInt(dollars) * USDC;
    const amounts = [450_000, 450_000, 450_000, 450_000, 450_000, 450_000, 100_000].map(usd);
    const first = await post('high-volume-1', csvOf(amounts), 1);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const final = await untilFinal(first.body.batchId, 90_000);
    const report = await get<{ rows: BatchRowResult[] }>(`${batchPath(first.body.batchId)}/report`);
    const statuses = report.rows.map((row) => row.status);
    assert.deepEqual(statuses, [
      'Confirmed',
      'Confirmed',
      'Confirmed',
      'Confirmed',
      'Rejected',
      'Rejected',
      'Confirmed',
    ]);
    for (const row of report.rows.filter((r) => r.status === 'Rejected'))
      assert.match(row.reason ?? '', /high-volume: hourly cap|above limit/i, `row ${row.row}: ${row.reason}`);
    assert.equal(final.byStatus.Rejected.count, 2);
    assert.deepEqual(Object.values(final.byStatus.Rejected.amounts), [usd(900_000).toString()]);

    // Never retried into a loop: each blocked row holds exactly one transfer in Dfns (attempt 1), Rejected.
    const held = (await stack.sandboxTransfers()).filter((t) =>
      t.externalId?.startsWith('payment:acme:high-volume-1.'),
    );
    assert.equal(held.length, 7);
    for (const row of report.rows.filter((r) => r.status === 'Rejected')) {
      const transfers = held.filter((t) => t.externalId?.startsWith(`${row.paymentId}:`));
      assert.deepEqual(
        transfers.map((t) => [t.externalId, t.status]),
        [[`${row.paymentId}:a1`, 'Rejected']],
      );
    }
  });
});
