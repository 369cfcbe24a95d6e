import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { admin, RECIPIENT, startTestSandbox, waitForStatus, type Json, type TestSandbox } from '../helpers';

/**
 * The wallet history (GET /wallets/{id}/history) through the real SDK: confirmed chain events, in and out, newest
 * first, paged like every Dfns list; and the admin knobs that make money records disagree with an orchestrator.
 */
describe('wallet history and the ledger admin knobs', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ timeScale: 100 });
  });
  after(async () => t?.close());
  beforeEach(async () => {
    await admin(t.sandbox.url, 'POST', '/reset');
  });

  const walletId = () => t.bootstrap.walletId;
  const history = async (query: Record<string, string | number> = {}) =>
    (await t.dfns.wallets.getWalletHistory({ walletId: walletId(), query })) as Json;
  const balances = async () =>
    Object.fromEntries(
      (await t.dfns.wallets.getWalletAssets({ walletId: walletId() })).assets.map((a) => [a.symbol, BigInt(a.balance)]),
    ) as Record<string, bigint>;
  const pay = async (amount: string, externalId?: string) => {
    const body = { kind: 'Native' as const, to: RECIPIENT, amount, ...(externalId ? { externalId } : {}) };
    const created = await t.dfns.wallets.transferAsset({ walletId: walletId(), body });
    return waitForStatus(t.dfns, walletId(), created.id, 'Confirmed', 10_000);
  };

  it('lists a confirmed transfer once mined, with its value and fee, and explains the balance exactly', async () => {
    const before = await balances();
    assert.deepEqual((await history()).items, [], 'nothing before anything is mined');
    const confirmed = (await pay('12345')) as Json;
    const { items } = await history();
    assert.equal(items.length, 1);
    const [event] = items;
    assert.equal(event.direction, 'Out');
    assert.equal(event.kind, 'NativeTransfer');
    assert.equal(event.txHash, confirmed.txHash);
    assert.equal(event.value, '12345');
    assert.equal(event.fee, confirmed.fee);
    assert.equal(event.to, RECIPIENT);
    assert.equal(event.walletId, walletId());
    assert.ok(Number.isInteger(event.blockNumber));
    const after = await balances();
    assert.equal(before.ETH! - after.ETH!, 12345n + BigInt(confirmed.fee));
  });

  it('records a deposit from outside as an In event and a higher balance', async () => {
    const before = await balances();
    const deposit = await admin(t.sandbox.url, 'POST', `/wallets/${walletId()}/deposits`, {
      asset: t.bootstrap.erc20.contract,
      amount: '2500000',
      from: RECIPIENT,
    });
    assert.equal(deposit.status, 200);
    const { items } = await history({ direction: 'In' });
    assert.equal(items.length, 1);
    assert.equal(items[0].kind, 'Erc20Transfer');
    assert.equal(items[0].contract.toLowerCase(), t.bootstrap.erc20.contract.toLowerCase());
    assert.equal(items[0].value, '2500000');
    assert.equal(items[0].fee, undefined, "an incoming transfer's fee is the sender's");
    assert.equal((await balances()).USDC! - before.USDC!, 2_500_000n);
  });

  it('pages newest first with limit and paginationToken', async () => {
    for (const amount of ['1', '2', '3']) {
      await admin(t.sandbox.url, 'POST', `/wallets/${walletId()}/deposits`, { amount });
    }
    const first = await history({ limit: 2 });
    assert.deepEqual(
      first.items.map((e: Json) => e.value),
      ['3', '2'],
    );
    assert.ok(first.nextPageToken);
    const second = await history({ limit: 2, paginationToken: first.nextPageToken });
    assert.deepEqual(
      second.items.map((e: Json) => e.value),
      ['1'],
    );
    assert.equal(second.nextPageToken, undefined);
  });

  it('records a revert as an event that moved nothing but burned its fee', async () => {
    await admin(t.sandbox.url, 'POST', '/faults/chain', { mode: 'fail-on-chain', count: 1 });
    const created = await t.dfns.wallets.transferAsset({
      walletId: walletId(),
      body: { kind: 'Native', to: RECIPIENT, amount: '777' },
    });
    const failed = (await waitForStatus(t.dfns, walletId(), created.id, 'Failed', 10_000)) as Json;
    const [event] = (await history()).items;
    assert.equal(event.value, '0');
    assert.equal(event.fee, failed.fee);
    assert.equal(event.txHash, failed.txHash);
  });

  it('sends a transfer outside the orchestrator, as a person in the dashboard', async () => {
    const outside = await admin(t.sandbox.url, 'POST', `/wallets/${walletId()}/transfers`, {
      kind: 'Native',
      to: RECIPIENT,
      amount: '4242',
    });
    assert.equal(outside.status, 200, JSON.stringify(outside.body));
    assert.equal(outside.body.requester.userId, t.bootstrap.approvers[0]?.userId);
    assert.equal(outside.body.externalId, undefined);
    await waitForStatus(t.dfns, walletId(), outside.body.id, 'Confirmed', 10_000);
    const listed = await t.dfns.wallets.listTransfers({ walletId: walletId() });
    assert.deepEqual(
      listed.items.map((transfer) => transfer.id),
      [outside.body.id],
    );
    assert.equal((await history()).items[0].value, '4242');
  });

  it("rewrites a settled transfer's recorded outcome, leaving balances and history alone", async () => {
    const confirmed = (await pay('500', 'payment:ledger-1:a1')) as Json;
    const balance = await balances();
    const events = (await history()).items;
    const refused = await admin(t.sandbox.url, 'POST', `/transfers/${confirmed.id}/outcome`, {});
    assert.equal(refused.status, 400);
    const rewritten = await admin(t.sandbox.url, 'POST', `/transfers/${confirmed.id}/outcome`, {
      status: 'Failed',
      txHash: '0xfeed',
      reason: 'reorged out',
    });
    assert.equal(rewritten.status, 200);
    const read = (await t.dfns.wallets.getTransfer({ walletId: walletId(), transferId: confirmed.id })) as Json;
    assert.equal(read.status, 'Failed');
    assert.equal(read.txHash, '0xfeed');
    assert.equal(read.reason, 'reorged out');
    assert.deepEqual(await balances(), balance);
    assert.deepEqual((await history()).items, events);
  });

  it('changes a balance with no history event to explain it, and never below zero', async () => {
    const before = await balances();
    const taken = await admin(t.sandbox.url, 'POST', `/wallets/${walletId()}/balance-adjustments`, { delta: '-1000' });
    assert.equal(taken.status, 200);
    assert.equal(before.ETH! - (await balances()).ETH!, 1000n);
    assert.deepEqual((await history()).items, []);
    const tooMuch = await admin(t.sandbox.url, 'POST', `/wallets/${walletId()}/balance-adjustments`, {
      delta: `-${before.ETH! * 2n}`,
    });
    assert.equal(tooMuch.status, 400);
    assert.match(tooMuch.body.error.message, /below zero/);
  });
});
