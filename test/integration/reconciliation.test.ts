import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import type { Finding, FindingKind } from '../../src/contracts/reconciliation-findings';
import type { ReconciliationScope, ReconciliationState } from '../../src/contracts/reconciliation-messages';
import { createDfnsGateway } from '../../src/dfns/dfns-gateway';
import {
  createTemporalReconciliations,
  type ReconciliationService,
} from '../../src/reconciliation/temporal-reconciliations';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

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
    stack = await startPaymentStack({ timeScale: 20 });
    // A wallet no other test in this process pays from: one of the sandbox's pool wallets.
    const wallet = stack.sandbox.bootstrap.wallets.find((w) => w.role === 'pool');
    assert.ok(wallet, 'the sandbox has a pool wallet');
    walletId = wallet.walletId;
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
});
