import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  admin,
  deliveries,
  dfnsFailure,
  groundTruth,
  RECIPIENT,
  sendNative,
  startTestSandbox,
  waitFor,
  waitForStatus,
  type Json,
  type TestSandbox,
} from '../helpers';
import { approvalBy, createSignPolicy, resetSandbox, usdc } from '../policy-support';

const OTHER = '0x0000000000000000000000000000000000000001';

describe('v2 policies through the real SDK', () => {
  let t: TestSandbox;
  let walletId: string;
  before(async () => {
    t = await startTestSandbox({ timeScale: 1000 });
    walletId = t.bootstrap.walletId;
  });
  beforeEach(async () => {
    await resetSandbox(t);
  });
  after(async () => {
    await t.close();
  });

  it('creates, reads, lists (status filter, pagination), updates and archives policies', async () => {
    const rule = { kind: 'TransactionAmountLimit' as const, configuration: { limit: 10, currency: 'USD' as const } };
    const created = await createSignPolicy(t.dfns, 'cap', rule, { kind: 'Block' });
    assert.match(created.id, /^plc-[a-z0-9]{5}-[a-z0-9]{5}-[a-z0-9]{16}$/);
    assert.equal(created.status, 'Active');
    assert.equal(created.activityKind, 'Wallets:Sign');
    assert.deepEqual(created.rule, rule);
    assert.ok(created.dateCreated && created.dateUpdated);
    const other = await createSignPolicy(t.dfns, 'always', { kind: 'AlwaysTrigger' }, { kind: 'NoAction' });

    const read = await t.dfns.policies.getPolicy({ policyId: created.id });
    assert.deepEqual(read, created);
    const body = { name: 'cap v2', activityKind: 'Wallets:Sign' as const, rule, action: { kind: 'NoAction' as const } };
    const updated = await t.dfns.policies.updatePolicy({ policyId: created.id, body });
    assert.equal(updated.id, created.id);
    assert.equal(updated.name, 'cap v2');
    assert.deepEqual(updated.action, { kind: 'NoAction' });

    const archived = await t.dfns.policies.archivePolicy({ policyId: other.id });
    assert.equal(archived.status, 'Archived');
    const active = await t.dfns.policies.listPolicies({ query: { status: 'Active' } });
    assert.deepEqual(
      active.items.map((p) => p.id),
      [created.id],
    );
    const all = await t.dfns.policies.listPolicies();
    assert.deepEqual(
      all.items.map((p) => p.id),
      [other.id, created.id],
      'newest first',
    );
    const first = await t.dfns.policies.listPolicies({ query: { limit: '1' } });
    assert.equal(first.items.length, 1);
    const second = await t.dfns.policies.listPolicies({ query: { limit: '1', paginationToken: first.nextPageToken } });
    assert.deepEqual(
      second.items.map((p) => p.id),
      [created.id],
    );

    const archivedUpdate = await dfnsFailure(t.dfns.policies.updatePolicy({ policyId: other.id, body }));
    assert.equal(archivedUpdate.httpStatus, 400);
    assert.equal((await dfnsFailure(t.dfns.policies.getPolicy({ policyId: 'plc-nope' }))).httpStatus, 404);
    const unsupported = await dfnsFailure(
      t.dfns.policies.createPolicy({
        body: {
          name: 'x',
          activityKind: 'Policies:Modify',
          rule: { kind: 'AlwaysTrigger' },
          action: { kind: 'RequestApproval', approvalGroups: [{ quorum: 1, approvers: {} }] },
        },
      }),
    );
    assert.equal(unsupported.httpStatus, 400);
    assert.match(unsupported.message, /activityKind/);
    const badQuorum = await dfnsFailure(
      createSignPolicy(t.dfns, 'q', { kind: 'AlwaysTrigger' }, approvalBy('anyone', 0)),
    );
    assert.equal(badQuorum.httpStatus, 400);
  });

  it('Block: 200 with a Rejected transfer naming the policy, policy.triggered + rejected; walletId filter', async () => {
    const filters = { walletId: { in: [walletId] } };
    const policy = await createSignPolicy(t.dfns, 'freeze', { kind: 'AlwaysTrigger' }, { kind: 'Block' }, filters);
    const blocked = await sendNative(t.dfns, walletId, '5');
    assert.equal(blocked.status, 'Rejected');
    assert.equal(blocked.reason, `Blocked by policy "freeze" (${policy.id}): The rule always triggers.`);
    assert.ok(blocked.datePolicyResolved);
    assert.equal(blocked.approvalId, undefined);

    const mine = (kind: string) =>
      deliveries(t.receiver, kind).filter((r) => JSON.stringify(r.json.data).includes(blocked.id));
    await waitFor(() => (mine('wallet.transfer.rejected').length === 1 ? true : undefined), 5000, 'rejected webhook');
    assert.equal(mine('wallet.transfer.requested').length, 1);
    const [triggered] = mine('policy.triggered');
    const evaluation = (triggered?.json.data as Json).policyEvaluation;
    assert.match(evaluation.id, /^pe-/);
    assert.equal(evaluation.policy.id, policy.id);
    assert.equal(evaluation.reason, 'The rule always triggers.');
    assert.equal(evaluation.activity.kind, 'Wallets:Sign');
    assert.equal(evaluation.activity.transferRequest.id, blocked.id);
    assert.equal((mine('wallet.transfer.rejected')[0]?.json.data as Json).transferRequest.reason, blocked.reason);

    // The filter names only the EthereumSepolia wallet: the BaseSepolia one is unaffected.
    const base = t.bootstrap.wallets[1];
    assert.ok(base);
    const free = await sendNative(t.dfns, base.walletId, '5');
    assert.equal(free.status, 'Pending');
    await waitForStatus(t.dfns, base.walletId, free.id, 'Confirmed');
  });

  it('NoAction triggers (policy.triggered) but lets the transfer through', async () => {
    await createSignPolicy(t.dfns, 'observe', { kind: 'AlwaysTrigger' }, { kind: 'NoAction' });
    const created = await sendNative(t.dfns, walletId, '6');
    assert.equal(created.approvalId, undefined);
    await waitForStatus(t.dfns, walletId, created.id, 'Confirmed');
    await waitFor(
      () => (deliveries(t.receiver, 'policy.triggered').length === 1 ? true : undefined),
      5000,
      'policy.triggered',
    );
  });

  it('TransactionAmountLimit: at the limit passes, above it requests approval (exact USDC math)', async () => {
    const limit = { kind: 'TransactionAmountLimit' as const, configuration: { limit: 10, currency: 'USD' as const } };
    const policy = await createSignPolicy(t.dfns, 'large', limit, approvalBy([t.bootstrap.approvers[0]?.userId ?? '']));
    const at = await t.dfns.wallets.transferAsset({ walletId, body: usdc(t, '10000000', RECIPIENT) });
    assert.equal(at.approvalId, undefined);
    await waitForStatus(t.dfns, walletId, at.id, 'Confirmed');
    const above = await t.dfns.wallets.transferAsset({ walletId, body: usdc(t, '10000001', RECIPIENT) });
    assert.equal(above.status, 'Pending');
    assert.match(above.approvalId ?? '', /^ap-/);
    const approval = await t.dfns.policies.getApproval({ approvalId: above.approvalId ?? '' });
    assert.deepEqual(approval.policyEvaluations, [
      { policyId: policy.id, triggered: true, reason: 'Transaction amount (USD 10.000001) is above limit (USD 10).' },
    ]);
  });

  it('TransactionRecipientWhitelist: a listed recipient (any case) passes, another is blocked', async () => {
    const rule = {
      kind: 'TransactionRecipientWhitelist' as const,
      configuration: { addresses: [RECIPIENT.toLowerCase()] },
    };
    await createSignPolicy(t.dfns, 'known recipients', rule, { kind: 'Block' });
    const listed = await sendNative(t.dfns, walletId, '7');
    assert.equal(listed.status, 'Pending');
    const other = await t.dfns.wallets.transferAsset({ walletId, body: { kind: 'Native', to: OTHER, amount: '7' } });
    assert.equal(other.status, 'Rejected');
    assert.match(other.reason ?? '', /is not in the whitelist/);
  });

  it('TransactionCountVelocity per wallet over a trailing window, the current transfer included', async () => {
    await admin(t.sandbox.url, 'POST', '/time', { timeScale: 1 }); // a 1-minute window lasts a minute
    try {
      const rule = { kind: 'TransactionCountVelocity' as const, configuration: { limit: 2, timeframe: 1 } };
      await createSignPolicy(t.dfns, 'two per minute', rule, { kind: 'Block' });
      assert.equal((await sendNative(t.dfns, walletId, '1')).status, 'Pending');
      assert.equal((await sendNative(t.dfns, walletId, '2')).status, 'Pending');
      const third = await sendNative(t.dfns, walletId, '3');
      assert.equal(third.status, 'Rejected');
      assert.match(third.reason ?? '', /Number of transactions \(3\) is above limit \(2\)/);
      // Another wallet has its own count.
      const base = t.bootstrap.wallets[1]?.walletId ?? '';
      assert.equal((await sendNative(t.dfns, base, '4')).status, 'Pending');
      // Shrink the minute to 6 ms: the earlier transfers fall out of the window.
      await admin(t.sandbox.url, 'POST', '/time', { timeScale: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.equal((await sendNative(t.dfns, walletId, '5')).status, 'Pending');
    } finally {
      await admin(t.sandbox.url, 'POST', '/time', { timeScale: 1000 });
    }
  });

  it('TransactionAmountVelocity: a cumulative total equal to the limit passes, above it blocks', async () => {
    await admin(t.sandbox.url, 'POST', '/time', { timeScale: 1 });
    try {
      const configuration = { limit: 100, currency: 'USD' as const, timeframe: 60 };
      const rule = { kind: 'TransactionAmountVelocity' as const, configuration };
      await createSignPolicy(t.dfns, '100 per hour', rule, { kind: 'Block' });
      const send = (amount: string) => t.dfns.wallets.transferAsset({ walletId, body: usdc(t, amount, RECIPIENT) });
      assert.equal((await send('60000000')).status, 'Pending');
      assert.equal((await send('40000000')).status, 'Pending');
      const over = await send('1');
      assert.equal(over.status, 'Rejected');
      assert.match(over.reason ?? '', /Cumulative transfer amount \(USD 100\.000001\) is above limit \(USD 100\)/);
    } finally {
      await admin(t.sandbox.url, 'POST', '/time', { timeScale: 1000 });
    }
  });

  it('uses the admin price table, and fails closed without a price', async () => {
    const rule = { kind: 'TransactionAmountLimit' as const, configuration: { limit: 10, currency: 'USD' as const } };
    await createSignPolicy(t.dfns, 'ten dollars', rule, { kind: 'Block' });
    const quarterCentEth = '2500000000000000'; // 0.0025 ETH: USD 7.5 at 3000, USD 10 at 4000, USD 10.0025 at 4001
    assert.equal((await sendNative(t.dfns, walletId, quarterCentEth)).status, 'Pending');
    assert.deepEqual((await admin(t.sandbox.url, 'POST', '/prices', { ETH: 4000 })).body.prices.ETH, '4000');
    assert.equal((await sendNative(t.dfns, walletId, quarterCentEth)).status, 'Pending');
    await admin(t.sandbox.url, 'POST', '/prices', { ETH: 4001 });
    assert.equal((await sendNative(t.dfns, walletId, quarterCentEth)).status, 'Rejected');
    await admin(t.sandbox.url, 'POST', '/prices', { ETH: null });
    const unpriced = await sendNative(t.dfns, walletId, '1');
    assert.equal(unpriced.status, 'Rejected');
    assert.match(unpriced.reason ?? '', /No USD price for ETH/);
  });

  it('walletTags filters: hasAny and hasAll (ANDed), with tags set and removed by signed calls', async () => {
    const hot = { walletTags: { hasAny: ['hot', 'warm'] } };
    await createSignPolicy(t.dfns, 'hot', { kind: 'AlwaysTrigger' }, { kind: 'Block' }, hot);
    await createSignPolicy(
      t.dfns,
      'a+b',
      { kind: 'AlwaysTrigger' },
      { kind: 'Block' },
      { walletTags: { hasAll: ['a', 'b'] } },
    );
    const status = async () => (await sendNative(t.dfns, walletId, '1')).status;
    assert.equal(await status(), 'Pending');
    assert.deepEqual(await t.dfns.wallets.tagWallet({ walletId, body: { tags: ['warm'] } }), {});
    assert.deepEqual((await t.dfns.wallets.getWallet({ walletId })).tags, ['warm']);
    assert.equal(await status(), 'Rejected');
    await t.dfns.wallets.untagWallet({ walletId, body: { tags: ['warm'] } });
    await t.dfns.wallets.tagWallet({ walletId, body: { tags: ['a'] } });
    assert.equal(await status(), 'Pending');
    await t.dfns.wallets.tagWallet({ walletId, body: { tags: ['b'] } });
    const blocked = await sendNative(t.dfns, walletId, '1');
    assert.match(blocked.reason ?? '', /"a\+b"/);
  });

  it('aggregates every triggered RequestApproval policy into one approval; Block wins over approval', async () => {
    const [a1, a2] = t.bootstrap.approvers;
    const p1 = await createSignPolicy(t.dfns, 'p1', { kind: 'AlwaysTrigger' }, approvalBy([a1?.userId ?? '']));
    const p2 = await createSignPolicy(t.dfns, 'p2', { kind: 'AlwaysTrigger' }, approvalBy([a2?.userId ?? '']));
    const oneDollar = {
      kind: 'TransactionAmountLimit' as const,
      configuration: { limit: 1, currency: 'USD' as const },
    };
    const p3 = await createSignPolicy(t.dfns, 'p3', oneDollar, { kind: 'Block' });
    const created = await sendNative(t.dfns, walletId, '1');
    const approvals = (await admin(t.sandbox.url, 'GET', '/approvals')).body.items;
    assert.equal(approvals.length, 1);
    assert.equal(approvals[0].id, created.approvalId);
    assert.deepEqual(
      approvals[0].policyEvaluations.map((e: Json) => [e.policyId, e.triggered]),
      [
        [p1.id, true],
        [p2.id, true],
        [p3.id, false],
      ],
    );
    const blocked = await sendNative(t.dfns, walletId, '1000000000000000000'); // USD 3000
    assert.equal(blocked.status, 'Rejected');
    assert.equal(blocked.approvalId, undefined);
    assert.equal((await groundTruth(t.sandbox.url)).length, 2);
  });
});

describe('blockMode http-403', () => {
  it('answers 403 with the Dfns error shape and keeps no transfer', async () => {
    const t = await startTestSandbox({ timeScale: 1000, blockMode: 'http-403' });
    try {
      const policy = await createSignPolicy(t.dfns, 'freeze', { kind: 'AlwaysTrigger' }, { kind: 'Block' });
      const err = await dfnsFailure(sendNative(t.dfns, t.bootstrap.walletId, '1', 'blocked-403'));
      assert.equal(err.httpStatus, 403);
      const body = (err.context as Json).body.error;
      assert.equal(body.status, 403);
      assert.match(body.message, /Blocked by policy "freeze"/);
      assert.equal(body.details.policyId, policy.id);
      assert.deepEqual(await groundTruth(t.sandbox.url), []);
    } finally {
      await t.close();
    }
  });
});
