import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { mintApiKey, parseApiKeyEntry } from '../../src/api/api-keys';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import type { Finding, FindingKind } from '../../src/contracts/reconciliation-findings';
import type { ReconciliationScope, ReconciliationState } from '../../src/contracts/reconciliation-messages';
import { createDfnsGateway } from '../../src/dfns/dfns-gateway';
import { dfnsTaskQueue } from '../../src/contracts/task-queues';
import { ReconciliationOpenFindingsKey } from '../../src/contracts/search-attributes';
import { paymentGaugeQueries } from '../../src/observability/payment-gauges';
import { ensureReconciliationSchedules } from '../../src/reconciliation/reconciliation-schedules';
import { keepHistory } from '../support/histories';
import {
  createTemporalReconciliations,
  type ReconciliationService,
} from '../../src/reconciliation/temporal-reconciliations';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const root = fileURLToPath(new URL('../..', import.meta.url));

/** An operator key for client acme (payments and reconciliations), and one for globex. */
const ACME = mintApiKey('acme', ['payments:write', 'payments:read', 'reconciliations:read', 'reconciliations:operate']);
const GLOBEX = mintApiKey('globex', ['payments:write', 'payments:read', 'reconciliations:read']);

/** What the sandbox's admin API answers. */
async function admin(stack: PaymentStack, method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.sandbox.url}/_sandbox${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  const json = (await response.json()) as Record<string, unknown>;
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** Waits for a sandbox transfer to reach a status (the sandbox's own ground truth). */
async function settled(stack: PaymentStack, transferId: string, status: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found = (await stack.sandboxTransfers()).find((transfer) => transfer.id === transferId);
    if (found?.status === status) return;
    if (Date.now() > deadline) throw new Error(`${transferId} did not reach ${status} (is ${found?.status})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const byKind = (state: ReconciliationState, kind: FindingKind): Finding[] =>
  state.book.findings.filter((finding) => finding.kind === kind);

/**
 * Reconciliation on the real stack: Temporal dev server, the worker (payments and reconciliation), the sandbox over
 * HTTP with the real SDK. A clean day (payments of every ending, a retried attempt, a revert, a deposit from
 * outside) reports nothing; then each of the four findings is planted in the sandbox and reported exactly once.
 */
describe('reconciliation against the sandbox', { timeout: 600_000 }, () => {
  let stack: PaymentStack;
  let service: ReconciliationService;
  let walletId: string;
  let scope: ReconciliationScope;
  const confirmed: { paymentId: string; transferId: string }[] = [];

  before(async () => {
    // Reconciled: a wallet no other test in this process pays from (one of the sandbox's pool wallets), acme's.
    const reconciled = (bootstrap: PaymentStack['sandbox']['bootstrap']) => {
      const wallet = bootstrap.wallets.find((w) => w.role === 'pool');
      assert.ok(wallet, 'the sandbox has a pool wallet');
      return wallet.walletId;
    };
    stack = await startPaymentStack({
      timeScale: 20,
      apiKeys: [ACME.entry, GLOBEX.entry].map(parseApiKeyEntry),
      // The clients file: acme may pay from the reconciled wallet and the funded one, globex from the funded one only;
      // the payments this file starts on Temporal (no client) from every wallet.
      clients: (bootstrap) => ({
        version: 1,
        clients: [
          { id: 'acme', wallets: [reconciled(bootstrap), bootstrap.walletId] },
          { id: 'globex', wallets: [bootstrap.walletId] },
        ],
        withoutClient: { wallets: bootstrap.wallets.map((wallet) => wallet.walletId) },
      }),
    });
    walletId = reconciled(stack.sandbox.bootstrap);
    scope = { kind: 'wallet', walletId };
    service = createTemporalReconciliations(stack.env.client, { taskQueue: stack.taskQueue, pools: [] });
  });
  after(async () => {
    await stack?.env.client.workflow
      .getHandle(`reconciliation:wallet:${walletId}`)
      .terminate('test over')
      .catch(() => undefined);
    await stack?.stop();
  });

  const pay = async (key: string, request: Partial<PaymentRequest> = {}) => {
    const started = await stack.client.start({
      idempotencyKey: key,
      walletId,
      network: 'EthereumSepolia',
      asset: { kind: 'Native' },
      to: RECIPIENT,
      amount: '1000',
      ...request,
    });
    return { paymentId: started.paymentId, outcome: await stack.client.waitForOutcome(started.paymentId) };
  };
  const run = async () => {
    const outcome = await service.run(scope, { requestedBy: 'test' }, 120_000);
    assert.ok(outcome.finished, `run ${outcome.run} finished within the wait`);
    return outcome;
  };

  it('takes the wallet as it is on its first run: a baseline, no findings', async () => {
    const { state, run: number } = await run();
    assert.equal(number, 1);
    assert.deepEqual(state.book.findings, []);
    const walletRun = state.runs.at(-1)?.wallets[0];
    assert.equal(walletRun?.balance, 'baseline');
    assert.ok(state.checkpoints[walletId]?.balances?.Native, 'the checkpoint holds the native balance');
  });

  it('reports nothing for a clean day of payments, a retried attempt, a revert and a deposit', async () => {
    const native = await pay('recon-native');
    assert.equal(native.outcome.status, 'Confirmed');
    const usdc = stack.sandbox.bootstrap.erc20;
    const token = await pay('recon-usdc', {
      asset: { kind: 'Erc20', contract: usdc.contract, symbol: usdc.symbol, decimals: usdc.decimals },
      amount: '2500000',
    });
    assert.equal(token.outcome.status, 'Confirmed');
    await admin(stack, 'POST', '/faults/chain', { mode: 'fail-before-broadcast', count: 1 });
    const retried = await pay('recon-retried');
    assert.equal(retried.outcome.status, 'Confirmed');
    assert.equal(retried.outcome.attempt, 2, 'the first attempt failed before broadcast');
    await admin(stack, 'POST', '/faults/chain', { mode: 'fail-on-chain', count: 1 });
    const reverted = await pay('recon-reverted');
    assert.equal(reverted.outcome.status, 'Failed', 'reverted on chain: the fee was spent');
    await admin(stack, 'POST', `/wallets/${walletId}/deposits`, { amount: '5000000000', from: RECIPIENT });
    await keepHistory('ledger-memo-retried-payment', stack.env.client.workflow.getHandle(retried.paymentId));
    for (const paid of [native, token, retried]) {
      confirmed.push({ paymentId: paid.paymentId, transferId: paid.outcome.transferId ?? '' });
    }

    const { state } = await run();
    assert.deepEqual(state.book.findings, [], JSON.stringify(state.book.findings, null, 2));
    const walletRun = state.runs.at(-1)?.wallets[0];
    assert.equal(walletRun?.balance, 'checked');
    assert.equal(walletRun?.transfers, 5, 'four payments, one with two attempts');
    assert.equal(walletRun?.historyEvents, 5, 'three confirmed, one revert, one deposit');
  });

  it('reports each planted finding exactly once, then nothing new', async () => {
    // 1. A transfer asked for outside the orchestrator (a person in the Dfns dashboard).
    const outside = await admin(stack, 'POST', `/wallets/${walletId}/transfers`, {
      kind: 'Native',
      to: RECIPIENT,
      amount: '4242',
    });
    await settled(stack, outside.id as string, 'Confirmed');
    // 2. Dfns's record of a settled payment's transfer changed afterwards (a manual fix).
    const [changed, doubled] = confirmed;
    assert.ok(changed && doubled);
    await admin(stack, 'POST', `/transfers/${changed.transferId}/outcome`, { fee: '1' });
    // 3. A second transfer for a confirmed payment, under its next attempt's externalId, by someone else.
    const dfns = createDfnsGateway({ ...stack.sandbox.bootstrap, baseUrl: stack.sandbox.url, source: 'test' });
    const duplicate = await dfns.wallets.transferAsset({
      walletId,
      body: { kind: 'Native', to: RECIPIENT, amount: '1000', externalId: `${doubled.paymentId}:a2` },
    });
    await settled(stack, duplicate.id, 'Confirmed');
    // 4. The balance moved with nothing in the history to explain it.
    await admin(stack, 'POST', `/wallets/${walletId}/balance-adjustments`, { delta: '-1000' });

    const { state, run: number } = await run();
    const summary = state.book.findings.map((f) => `${f.kind}: ${f.summary}`).join('\n');
    assert.equal(state.book.findings.length, 4, summary);
    const [unmatched] = byKind(state, 'unmatched_transfer');
    assert.deepEqual(unmatched?.transferIds, [outside.id]);
    const [mismatch] = byKind(state, 'outcome_mismatch');
    assert.equal(mismatch?.paymentId, changed.paymentId);
    assert.deepEqual(
      mismatch?.differences?.map((d) => d.field),
      ['fee'],
    );
    assert.equal(mismatch?.differences?.[0]?.dfns, '1');
    const [doubledFinding] = byKind(state, 'duplicate_transfer');
    assert.equal(doubledFinding?.paymentId, doubled.paymentId);
    assert.deepEqual(doubledFinding?.transferIds, [doubled.transferId, duplicate.id].sort());
    const [drift] = byKind(state, 'balance_drift');
    assert.equal(drift?.asset, 'Native');
    const [difference] = drift?.differences ?? [];
    assert.equal(BigInt(difference?.dfns ?? '0') - BigInt(difference?.orchestrator ?? '0'), -1000n);
    for (const finding of state.book.findings) assert.equal(finding.run, number);

    const again = await run();
    assert.equal(again.state.runs.at(-1)?.newFindings, 0, 'the next run finds the same facts and adds nothing');
    assert.equal(again.state.book.findings.length, 4);
  });

  it('records who acknowledged a finding and why, keeps it listed, and refuses a second acknowledgement', async () => {
    const state = await service.view(scope);
    const finding = state?.book.findings.find((f) => f.kind === 'balance_drift');
    assert.ok(finding);
    const request = { findingId: finding.id, operator: 'treasury-anna', reason: 'gas refund booked by hand' };
    const done = await service.acknowledge(scope, request);
    assert.equal(done.kind, 'done');
    const after = await service.view(scope);
    const kept = after?.book.findings.find((f) => f.id === finding.id);
    assert.equal(kept?.acknowledged?.by, 'treasury-anna');
    assert.equal(kept?.acknowledged?.reason, 'gas refund booked by hand');
    const twice = await service.acknowledge(scope, request);
    assert.equal(twice.kind, 'refused');
    assert.deepEqual(await service.acknowledge(scope, { ...request, findingId: 'nope' }), { kind: 'not-found' });
    const invalid = await service.acknowledge(scope, { ...request, reason: ' ' });
    assert.equal(invalid.kind, 'invalid');
  });

  it('starts again from where a terminated reconciliation stood: no checkpoint or finding is lost', async () => {
    const handle = stack.env.client.workflow.getHandle(`reconciliation:wallet:${walletId}`);
    const before = await service.view(scope);
    await handle.terminate('an operator stopped it');
    const { state } = await run();
    assert.deepEqual(
      state.book.findings.map((f) => [f.id, f.acknowledged?.by]),
      before?.book.findings.map((f) => [f.id, f.acknowledged?.by]),
    );
    assert.equal(state.runs.at(-1)?.newFindings, 0);
    assert.equal(state.runs.at(-1)?.wallets[0]?.balance, 'checked', 'from the carried checkpoint, not a new baseline');
  });

  // Asynchronous on purpose: the worker runs in this process and must keep working while the CLI waits.
  const cli = (
    args: string[],
    extra: Record<string, string> = {},
  ): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const env = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        // The stack's Temporal and its codec keys: the CLI reads memos and reconciliation state, which are encrypted.
        ...stack.temporalEnv,
        TEMPORAL_ADDRESS: stack.env.address,
        TEMPORAL_TASK_QUEUE: stack.taskQueue,
        DFNS_CREDENTIALS_FILE: '/nonexistent/credentials.json',
        ...extra,
      };
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', ...args],
        { cwd: root, env, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  const api = (path: string, key: string, init: { method?: string; accept?: string; body?: unknown } = {}) =>
    fetch(`${stack.bridgeUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${key}`,
        ...(init.accept ? { accept: init.accept } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });

  it('shows the findings with `payments reconcile` (exit 2 while open, CSV with --csv) and acknowledges with `ack`', async () => {
    const shown = await cli(['reconcile', walletId]);
    assert.equal(shown.code, 2, shown.stderr);
    assert.match(shown.stdout, /open findings: 3/);
    assert.match(shown.stdout, /unmatched_transfer +unmatched_transfer:xfr-/);
    const csv = await cli(['reconcile', walletId, '--csv']);
    const [header, ...rows] = csv.stdout.trim().split('\n');
    assert.match(header ?? '', /^id,kind,status,/);
    assert.equal(rows.length, 4);
    const mismatch = (await service.view(scope))?.book.findings.find((f) => f.kind === 'outcome_mismatch');
    assert.ok(mismatch);
    const acked = await cli([
      'reconcile',
      'ack',
      walletId,
      '--finding',
      mismatch.id,
      '--reason',
      'fee fixed by Dfns support',
      '--operator',
      'bob',
      '--json',
    ]);
    assert.equal(acked.code, 0, acked.stderr);
    assert.equal((JSON.parse(acked.stdout) as Finding).acknowledged?.by, 'bob');
    const twice = await cli(['reconcile', 'ack', walletId, '--finding', mismatch.id, '--reason', 'again']);
    assert.equal(twice.code, 3);
    assert.match(twice.stderr, /already acknowledged by bob/);
    const unknown = await cli(['reconcile', 'wa-nothing-here']);
    assert.equal(unknown.code, 3);
  });

  it("serves the reconciliation over the API to its wallet's client only, as JSON and CSV", async () => {
    const id = encodeURIComponent(`reconciliation:wallet:${walletId}`);
    const mine = await api(`/v1/reconciliations/${id}`, ACME.key);
    assert.equal(mine.status, 200);
    const view = (await mine.json()) as { findings: Finding[] };
    // The wallet's own findings; the mismatch and the duplicate concern payments started without a client (on
    // Temporal), which are no client's: acme does not see them.
    assert.deepEqual(view.findings.map((f) => f.kind).sort(), ['balance_drift', 'unmatched_transfer']);
    const csv = await api(`/v1/reconciliations/${id}`, ACME.key, { accept: 'text/csv' });
    assert.equal((await csv.text()).trim().split('\n').length, 3);
    assert.equal((await api(`/v1/reconciliations/${id}`, GLOBEX.key)).status, 404, "not globex's wallet");
    const ran = await api(`/v1/reconciliations/${id}/runs`, ACME.key, { method: 'POST' });
    assert.equal(ran.status, 200);
    assert.equal(((await ran.json()) as { runs: { newFindings: number }[] }).runs.at(-1)?.newFindings, 0);
    const drift = view.findings.find((f) => f.kind === 'unmatched_transfer');
    const ack = await api(`/v1/reconciliations/${id}/acknowledgements`, ACME.key, {
      method: 'POST',
      body: { findingId: drift?.id, reason: 'a person paid the supplier by hand' },
    });
    assert.equal(ack.status, 200);
    assert.match(((await ack.json()) as Finding).acknowledged?.by ?? '', /^acme\//);
  });

  it("exports each client's money-moving payments, the same bytes every time, through the API and the CLI", async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    const start = async (key: string, idempotencyKey: string, amount: string) => {
      const response = await fetch(`${stack.bridgeUrl}/v1/payments`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify({
          walletId: stack.sandbox.bootstrap.walletId,
          network: 'EthereumSepolia',
          asset: { kind: 'Native' },
          to: RECIPIENT,
          amount,
        }),
      });
      assert.equal(response.status, 201);
      return ((await response.json()) as { paymentId: string }).paymentId;
    };
    const acmePayments = [
      await start(ACME.key, 'export-1', '1500000000000000'),
      await start(ACME.key, 'export-2', '7'),
    ];
    for (const paymentId of acmePayments) await stack.client.waitForOutcome(paymentId);
    await admin(stack, 'POST', '/faults/chain', { mode: 'fail-on-chain', count: 1 });
    acmePayments.push(await start(ACME.key, 'export-3', '9'));
    await stack.client.waitForOutcome(acmePayments[2] as string);
    const globexPayment = await start(GLOBEX.key, 'export-4', '11');
    await stack.client.waitForOutcome(globexPayment);
    const to = new Date(Date.now() + 1000).toISOString();

    const window = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const csvOnce = await (await api(`/v1/exports?${window}`, ACME.key, { accept: 'text/csv' })).text();
    const csvTwice = await (await api(`/v1/exports?${window}`, ACME.key, { accept: 'text/csv' })).text();
    assert.equal(csvTwice, csvOnce, 'a re-export gives identical bytes');
    const lines = csvOnce.trim().split('\n');
    assert.equal(lines.length, 4, csvOnce);
    assert.ok(
      lines.slice(1).every((line) => line.startsWith('payment:acme:')),
      "acme's payments only",
    );
    const big = lines.find((line) => line.startsWith(acmePayments[0] as string)) ?? '';
    assert.match(
      big,
      /,EthereumSepolia,Native,ETH,18,1500000000000000,0\.0015,ETH,\d+,0\.\d+,,0x[0-9a-f]{64},20\d\d-.*,Confirmed,xfr-/,
    );
    const failed = lines.find((line) => line.startsWith(acmePayments[2] as string)) ?? '';
    assert.match(failed, /,Native,ETH,18,0,0,ETH,\d+,.*,Failed,/, 'a revert moved nothing and paid its fee');

    const page = (await (await api(`/v1/exports?${window}&limit=2`, ACME.key)).json()) as {
      items: { paymentId: string }[];
      nextCursor?: string;
    };
    assert.equal(page.items.length, 2);
    assert.ok(page.nextCursor);
    const rest = (await (await api(`/v1/exports?${window}&limit=2&cursor=${page.nextCursor}`, ACME.key)).json()) as {
      items: { paymentId: string }[];
    };
    assert.deepEqual(
      [...page.items, ...rest.items].map((row) => row.paymentId),
      lines.slice(1).map((line) => line.split(',')[0]),
    );
    const globex = await (await api(`/v1/exports?${window}`, GLOBEX.key, { accept: 'text/csv' })).text();
    assert.equal(globex.trim().split('\n').length, 2);
    assert.ok(globex.includes(globexPayment));

    const onTemporal = await cli(['export', '--from', from, '--to', to, '--client', 'acme', '--json']);
    assert.equal(onTemporal.code, 0, onTemporal.stderr);
    assert.equal(onTemporal.stdout, csvOnce, 'the CLI on Temporal writes the same bytes as the API');
    assert.equal(
      (JSON.parse(onTemporal.stderr) as { queried: number }).queried,
      0,
      'every payment published its ledger',
    );
    const throughApi = await cli(['export', '--from', from, '--to', to, '--api', stack.bridgeUrl], {
      PAYMENTS_API_KEY: ACME.key,
    });
    assert.equal(throughApi.stdout, csvOnce);
    const bad = await cli(['export', '--from', to, '--to', from]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /to must be after from/);
  });

  it('runs on its Temporal Schedule, its reads on the Dfns read queue at the lowest priority', async () => {
    const wallet = stack.sandbox.bootstrap.wallets.find((w) => w.network === 'BaseSepolia');
    assert.ok(wallet);
    const scheduled: ReconciliationScope = { kind: 'wallet', walletId: wallet.walletId };
    const [scheduleId] = await ensureReconciliationSchedules(stack.env.client, stack.taskQueue, {
      scopes: [scheduled],
      intervalMs: 2_000,
    });
    assert.equal(scheduleId, `reconciliation:wallet:${wallet.walletId}:schedule`);
    // Ensuring again (every worker does at start) updates the same Schedule.
    await ensureReconciliationSchedules(stack.env.client, stack.taskQueue, { scopes: [scheduled], intervalMs: 2_000 });
    const handle = stack.env.client.workflow.getHandle(`reconciliation:wallet:${wallet.walletId}`);
    const deadline = Date.now() + 60_000;
    let state: ReconciliationState | undefined;
    while (Date.now() < deadline) {
      state = await service.view(scheduled);
      if (state && state.runCount >= 1) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await stack.env.client.schedule.getHandle(scheduleId).delete();
    for await (const tick of stack.env.client.workflow.list({ query: `WorkflowType = 'reconciliationTickWorkflow'` })) {
      if (tick.status.name !== 'COMPLETED') continue;
      await keepHistory('reconciliation-tick', stack.env.client.workflow.getHandle(tick.workflowId, tick.runId));
      break;
    }
    assert.equal(state?.runs[0]?.trigger, 'schedule');
    assert.equal(state?.runs[0]?.wallets[0]?.balance, 'baseline');
    const history = await handle.fetchHistory();
    const reads = (history.events ?? []).flatMap((event) => {
      const scheduledRead = event.activityTaskScheduledEventAttributes;
      return scheduledRead ? [scheduledRead] : [];
    });
    assert.ok(reads.length >= 3, 'a transfer page, a balance read, a history page, a balance read');
    for (const read of reads) {
      assert.equal(read.taskQueue?.name, dfnsTaskQueue(stack.taskQueue, 'read'), read.activityType?.name ?? '');
      assert.equal(read.priority?.priorityKey, 5, read.activityType?.name ?? '');
    }
    await handle.terminate('test over');
  });

  it('hands a long run over to a new workflow run (continue-as-new) and finishes it there', async () => {
    const long = createTemporalReconciliations(stack.env.client, {
      taskQueue: stack.taskQueue,
      pools: [],
      timings: { pageSize: 2, historyEventBudget: 40 },
    });
    const funded: ReconciliationScope = { kind: 'wallet', walletId: stack.sandbox.bootstrap.walletId };
    const transfers = (await stack.sandboxTransfers()).filter((t) => t.walletId === stack.sandbox.bootstrap.walletId);
    assert.ok(transfers.length >= 4, `${transfers.length} transfers to read two at a time`);
    const first = await long.run(funded, { requestedBy: 'test' }, 120_000);
    assert.ok(first.finished);
    assert.equal(first.state.runs.at(-1)?.wallets[0]?.transfers, transfers.length);
    assert.equal(first.state.runs.at(-1)?.wallets[0]?.dfnsReads, Math.ceil(transfers.length / 2) + 3);
    const handle = stack.env.client.workflow.getHandle(`reconciliation:wallet:${stack.sandbox.bootstrap.walletId}`);
    const described = await handle.describe();
    assert.notEqual(described.runId, described.raw.workflowExecutionInfo?.firstRunId, 'it continued as new');
    const firstRunId = described.raw.workflowExecutionInfo?.firstRunId ?? '';
    await keepHistory(
      'reconciliation-continued-first-run',
      stack.env.client.workflow.getHandle(handle.workflowId, firstRunId),
    );
    const second = await long.run(funded, { requestedBy: 'test' }, 120_000);
    assert.equal(second.state.runs.at(-1)?.wallets[0]?.balance, 'checked');
    assert.deepEqual(second.state.book.findings, [], 'the payments of this file, every one reconciled');
    await handle.terminate('test over');
  });

  it('counts reconciliations with open findings in visibility, for the gauge and the alert', async () => {
    const queries = paymentGaugeQueries({
      count: () => Promise.resolve(0),
      approvalTimeoutMinutes: 60,
      approvalWarningMinutes: 30,
    });
    const described = await stack.env.client.workflow.getHandle(`reconciliation:wallet:${walletId}`).describe();
    assert.equal(
      described.typedSearchAttributes.get(ReconciliationOpenFindingsKey),
      1,
      'the duplicate is the one finding nobody acknowledged',
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      const counts = await Promise.all(
        ['unmatched_transfer', 'balance_drift', 'outcome_mismatch', 'duplicate_transfer'].map(
          async (kind) => (await stack.env.client.workflow.count(queries[`findings:${kind}`] ?? '')).count,
        ),
      );
      if (counts.join() === '0,0,0,1') break;
      assert.ok(Date.now() < deadline, `visibility counts ${counts.join()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await keepHistory(
      'reconciliation-findings',
      stack.env.client.workflow.getHandle(`reconciliation:wallet:${walletId}`),
    );
  });
});
