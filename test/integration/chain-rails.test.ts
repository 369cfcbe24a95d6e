import { DfnsApiClient } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { PaymentClient, paymentWorkflowInput } from '../../src/client/payment-client';
import { paymentIdFor } from '../../src/contracts/payment-id';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import type { PaymentState } from '../../src/contracts/payment-state';
import { PAYMENT_WORKFLOW_TYPE } from '../../src/contracts/workflow-types';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';

const TRON_TO = 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL';
const SOL_TO = '14grJpemFaf88c8tiVb77W7TYg2W3ir6pfkKz3YjhhZ5';
const BTC_TO = 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7';
const EVM_TO = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

/**
 * The rails beyond EVM, and gasless EVM payouts, end to end: Temporal dev server, worker, bridge and the sandbox over
 * HTTP with the real SDK. The sandbox clock runs 100,000 times fast, so a Bitcoin block takes 6 ms.
 */
describe('Tron, Solana, Bitcoin and fee-sponsored payments', { timeout: 300_000 }, () => {
  let stack: PaymentStack;
  let stuckClient: PaymentClient;
  let dfns: DfnsApiClient;
  const timings = { firstPollAfterMs: 1_000, maxPollIntervalMs: 2_000 };

  before(async () => {
    stack = await startPaymentStack({ timeScale: 100_000, timings });
    // Payments whose broadcast counts as stuck after 2 s instead of the network's minutes.
    stuckClient = new PaymentClient(stack.env.client, {
      taskQueue: stack.taskQueue,
      timings: { ...timings, stuckAfterMs: 2_000 },
    });
    const b = stack.sandbox.bootstrap;
    const signer = new AsymmetricKeySigner({ credId: b.credId, privateKey: b.privateKey });
    dfns = new DfnsApiClient({ baseUrl: stack.sandbox.url, authToken: b.authToken, orgId: b.orgId, signer });
  });
  after(async () => stack?.stop());
  beforeEach(async () => adminPost('/_sandbox/reset', {}));

  async function adminPost(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${stack.sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.ok(response.ok, `${path}: ${response.status} ${await response.text()}`);
  }

  const wallet = (network: string, role?: string) => {
    const found = stack.sandbox.bootstrap.wallets.find((entry) => entry.network === network && entry.role === role);
    assert.ok(found, `no bootstrap wallet on ${network}`);
    return found;
  };
  const usdt = (key: string): PaymentRequest => ({
    idempotencyKey: key,
    walletId: wallet('TronNile').walletId,
    network: 'TronNile',
    asset: { kind: 'Trc20', contract: wallet('TronNile').token?.id ?? '' },
    to: TRON_TO,
    amount: '2500000',
  });
  const sol = (key: string): PaymentRequest => ({
    idempotencyKey: key,
    walletId: wallet('SolanaDevnet').walletId,
    network: 'SolanaDevnet',
    asset: { kind: 'Spl', mint: wallet('SolanaDevnet').token?.id ?? '', createDestinationAccount: true },
    to: SOL_TO,
    amount: '1000000',
  });
  const btc = (key: string): PaymentRequest => ({
    idempotencyKey: key,
    walletId: wallet('BitcoinSignet').walletId,
    network: 'BitcoinSignet',
    asset: { kind: 'Native' },
    to: BTC_TO,
    amount: '25000',
  });

  async function until(client: PaymentClient, paymentId: string, ok: (s: PaymentState) => boolean, what: string) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const state = await client.getState(paymentId);
      if (ok(state)) return state;
      if (Date.now() > deadline) throw new Error(`${paymentId}: ${what} not reached; it is ${state.status}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const transfersOf = async (paymentId: string) =>
    (await stack.sandboxTransfers()).filter((t) => t.externalId?.startsWith(`${paymentId}:`));
  const requestCounts = async (): Promise<Record<string, number>> =>
    ((await (await fetch(`${stack.sandbox.url}/_sandbox/requests`)).json()) as { counts: Record<string, number> })
      .counts;

  it('pays USDT on Tron, USDC on Solana and BTC on Bitcoin to Confirmed, summarised in each asset’s decimals', async () => {
    const started = await Promise.all(
      [usdt('rail-tron'), sol('rail-sol'), btc('rail-btc')].map((r) => stack.client.start(r)),
    );
    const outcomes = await Promise.all(started.map(({ paymentId }) => stack.client.waitForOutcome(paymentId)));
    assert.deepEqual(
      outcomes.map((o) => [o.status, o.attempt]),
      [
        ['Confirmed', 1],
        ['Confirmed', 1],
        ['Confirmed', 1],
      ],
    );
    for (const outcome of outcomes) assert.ok(outcome.txHash, outcome.paymentId);
    const summaries = await Promise.all(
      started.map(async ({ paymentId }) =>
        (await stack.env.client.workflow.getHandle(paymentId).describe()).staticSummary(),
      ),
    );
    assert.deepEqual(summaries, [
      '2.5 USDT → TNPeea…YqeL on Tron Nile',
      '1 USDC → 14grJp…hhZ5 on Solana Devnet',
      '0.00025 BTC → tb1qrp…l5k7 on Bitcoin Signet',
    ]);
  });

  it('a Solana transfer whose blockhash expired (nothing on chain) is retried as a new attempt', async () => {
    await adminPost('/_sandbox/faults/chain', { mode: 'expire-blockhash', count: 1 });
    const { paymentId } = await stack.client.start(sol('rail-sol-expired'));
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Confirmed');
    assert.equal(outcome.attempt, 2);
    const transfers = await transfersOf(paymentId);
    assert.deepEqual(
      transfers.map((t) => [t.externalId, t.status]),
      [
        [`${paymentId}:a1`, 'Failed'],
        [`${paymentId}:a2`, 'Confirmed'],
      ],
    );
    const state = await stack.client.getState(paymentId);
    assert.ok(
      state.timeline.some((entry) => /blockhash not found/.test(entry.note ?? '')),
      'the reason is in the timeline',
    );
  });

  it('a stuck Tron transfer is escalated to a person, and no speed-up is attempted', async () => {
    await adminPost('/_sandbox/faults/chain', { mode: 'stall', count: 1 });
    const { paymentId } = await stuckClient.start(usdt('rail-tron-stuck'));
    const state = await until(stuckClient, paymentId, (s) => s.stuck && s.needsAttention === true, 'escalation');
    assert.equal(state.status, 'Broadcasted');
    assert.ok(
      state.timeline.some(
        (entry) => entry.event === 'stuck: escalated to a person' && /cannot speed up/.test(entry.note ?? ''),
      ),
    );
    // Give a (wrong) automatic speed-up time to show up, then check none was sent.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const counts = await requestCounts();
    assert.equal(Object.keys(counts).filter((route) => /speed-up/.test(route)).length, 0, JSON.stringify(counts));
    await stack.env.client.workflow.getHandle(paymentId).terminate('test over: the transfer stays stalled');
  });

  it('a stuck Bitcoin transfer is sped up by replace-by-fee and confirms with the replacement', async () => {
    await adminPost('/_sandbox/faults/chain', { mode: 'stall', count: 1 });
    const { paymentId } = await stuckClient.start(btc('rail-btc-stuck'));
    const broadcast = await until(
      stuckClient,
      paymentId,
      (s) => s.status === 'Broadcasted' && s.txHash !== undefined,
      'broadcast',
    );
    const outcome = await stuckClient.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Confirmed');
    const state = await stuckClient.getState(paymentId);
    assert.equal(state.stuck, false, 'no longer stuck once confirmed');
    assert.ok(
      state.timeline.some((entry) => entry.event === 'stuck'),
      'it was flagged stuck first',
    );
    assert.ok(
      state.timeline.some((entry) => /speedUp/i.test(`${entry.event} ${entry.source}`)),
      'the speed-up is in the timeline',
    );
    // On chain, the replacement (a new transaction spending the same inputs at a higher fee) is what confirmed.
    const [onChain] = (await transfersOf(paymentId)) as unknown as { txHash?: string; fee?: string; status: string }[];
    assert.equal(onChain?.status, 'Confirmed');
    assert.notEqual(onChain?.txHash, broadcast.txHash);
    assert.equal(onChain?.fee, String(141 * 10), 'paid at the bumped fee rate');
    const counts = await requestCounts();
    assert.equal(counts['POST /wallets/:walletId/transfers/:transferId/speed-up'], 1, JSON.stringify(counts));
  });

  it('pays a Token-2022 mint as Spl2022, in its own decimals, with a Solana fee sponsor paying the fees', async () => {
    const sol = wallet('SolanaDevnet');
    const sponsor = stack.sandbox.bootstrap.feeSponsors.find((entry) => entry.network === 'SolanaDevnet');
    assert.ok(sponsor, 'the sandbox has a Solana fee sponsor');
    const assets = async (walletId: string) =>
      Object.fromEntries((await dfns.wallets.getWalletAssets({ walletId })).assets.map((a) => [a.kind, a]));
    const pyusd = (await assets(sol.walletId)).Spl2022 as { mint: string; balance: string };
    const solBefore = (await assets(sol.walletId)).Native?.balance;
    const request: PaymentRequest = {
      idempotencyKey: 'rail-pyusd',
      walletId: sol.walletId,
      network: 'SolanaDevnet',
      asset: { kind: 'Spl2022', mint: pyusd.mint, createDestinationAccount: true },
      to: SOL_TO,
      amount: '2500000',
      feeSponsorId: sponsor.feeSponsorId,
    };
    const { paymentId } = await stack.client.start(request);
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Confirmed');
    const summary = await (await stack.env.client.workflow.getHandle(paymentId).describe()).staticSummary();
    assert.equal(summary, '2.5 PYUSD → 14grJp…hhZ5 on Solana Devnet');
    const [sent] = (await transfersOf(paymentId)) as unknown as { requestBody: Record<string, unknown> }[];
    assert.deepEqual([sent?.requestBody.kind, sent?.requestBody.feeSponsorId], ['Spl2022', sponsor.feeSponsorId]);
    const after = await assets(sol.walletId);
    assert.equal((after.Spl2022 as { balance: string }).balance, String(BigInt(pyusd.balance) - 2_500_000n));
    assert.equal(after.Native?.balance, solBefore, 'the sponsor paid the signature fee and the rent');
  });

  it('a transfer that slips past validation (started straight in Temporal) is refused by Dfns and ends Failed as InvalidTransfer', async () => {
    // 293 satoshis to a P2WPKH address is dust (Bitcoin Core's GetDustThreshold: 294), and 2^63 sun is beyond a
    // TRX amount (int64): the orchestrator refuses both at its edge, the chain (and the sandbox) refuse them too.
    const btcWallet = wallet('BitcoinSignet');
    const slipped: PaymentRequest[] = [
      { ...btc('rail-dust'), to: btcWallet.address, amount: '293' },
      { ...usdt('rail-trx-int64'), asset: { kind: 'Native' }, amount: (1n << 63n).toString() },
    ];
    const ids = await Promise.all(
      slipped.map(async (request) => {
        const paymentId = paymentIdFor(request.idempotencyKey);
        await stack.env.client.workflow.start(PAYMENT_WORKFLOW_TYPE, {
          workflowId: paymentId,
          taskQueue: stack.taskQueue,
          args: [paymentWorkflowInput(paymentId, request, { timings })],
        });
        return paymentId;
      }),
    );
    const outcomes = await Promise.all(ids.map((paymentId) => stack.client.waitForOutcome(paymentId)));
    assert.deepEqual(
      outcomes.map((o) => [o.status, o.failureType]),
      [
        ['Failed', 'InvalidTransfer'],
        ['Failed', 'InvalidTransfer'],
      ],
    );
    assert.match(outcomes[0]?.reason ?? '', /dust/);
    assert.match(outcomes[1]?.reason ?? '', /int64/);
    for (const paymentId of ids) assert.deepEqual(await transfersOf(paymentId), [], 'Dfns created no transfer');
  });

  it('a sponsored USDC transfer from a wallet with no ETH confirms; a sponsor that cannot pay fails with its own type', async () => {
    const gasless = wallet('EthereumSepolia', 'gasless');
    const feeSponsorId = stack.sandbox.bootstrap.feeSponsors[0]?.feeSponsorId ?? '';
    const nativeOf = async (walletId: string) =>
      (await dfns.wallets.getWalletAssets({ walletId })).assets.find((a) => a.kind === 'Native')?.balance;
    assert.equal(await nativeOf(gasless.walletId), '0');
    const request: PaymentRequest = {
      idempotencyKey: 'rail-sponsored',
      walletId: gasless.walletId,
      network: 'EthereumSepolia',
      asset: { kind: 'Erc20', contract: stack.sandbox.bootstrap.erc20.contract, symbol: 'USDC', decimals: 6 },
      to: EVM_TO,
      amount: '1500000',
      feeSponsorId,
    };
    const sponsored = await stack.client.waitForOutcome((await stack.client.start(request)).paymentId);
    assert.equal(sponsored.status, 'Confirmed');
    assert.equal(await nativeOf(gasless.walletId), '0', 'the sponsor paid the gas');

    await dfns.feeSponsors.deactivateFeeSponsor({ feeSponsorId });
    const refused = await stack.client.waitForOutcome(
      (await stack.client.start({ ...request, idempotencyKey: 'rail-sponsor-off' })).paymentId,
    );
    assert.equal(refused.status, 'Failed');
    assert.equal(refused.failureType, 'FeeSponsorUnavailable');
    assert.match(refused.reason ?? '', /the fee sponsor is Deactivated/);
  });
});
