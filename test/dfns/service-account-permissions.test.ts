import { ApplicationFailure } from '@temporalio/common';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { createDfnsActivities } from '../../activities/dfns-activities';
import { createReconciliationActivities } from '../../activities/reconciliation-activities';
import { emptyTally } from '../../src/contracts/balance-drift';
import { sandboxPayers } from '../support/sandbox-payers';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import { ALL_OPERATIONS } from '../../sandbox/src/auth/permissions';
import { SERVICE_ACCOUNT_OPERATIONS } from '../../src/dfns/service-account-permissions';
import { admin, RECIPIENT, startTestSandbox, waitForStatus, type TestSandbox } from '../sandbox/helpers';

/**
 * The real activities, through the real SDK, against a sandbox that enforces exactly the permission set the project
 * ships for its service account: every call the worker makes passes the permission check, and a set with one
 * operation removed fails the way the README says (403, failure type Forbidden, the permission named).
 */
describe('the service account permission set, enforced by the sandbox', () => {
  let t: TestSandbox;
  const grant = (operations: string[] | null) =>
    admin(t.sandbox.url, 'PUT', `/permissions/${t.bootstrap.userId}`, { operations });
  const request = (key: string): PaymentRequest => ({
    idempotencyKey: key,
    walletId: t.bootstrap.walletId,
    network: 'EthereumSepolia',
    asset: { kind: 'Native' },
    to: RECIPIENT,
    amount: '5000',
  });

  // A 10-minute block at scale 1000 is 600 ms: long enough to speed up or cancel a stalled broadcast.
  before(async () => {
    t = await startTestSandbox({ timeScale: 1000, blockTimeMs: 600_000 });
  });
  after(async () => t?.close());

  it('allows every call the worker makes with exactly that set', async () => {
    assert.equal((await grant(SERVICE_ACCOUNT_OPERATIONS)).status, 200);
    const activities = createDfnsActivities({ dfns: t.dfns, payers: sandboxPayers(t.bootstrap) });
    const walletId = t.bootstrap.walletId;
    await admin(t.sandbox.url, 'POST', '/faults/chain', { mode: 'stall', count: 2 });
    const first = await activities.submitTransfer({ request: request('perm-1'), externalId: 'payment:perm-1:a1' });
    const second = await activities.submitTransfer({ request: request('perm-2'), externalId: 'payment:perm-2:a1' });
    await waitForStatus(t.dfns, walletId, first.transferId, 'Broadcasted');
    await waitForStatus(t.dfns, walletId, second.transferId, 'Broadcasted');
    assert.equal((await activities.getTransfer({ walletId, transferId: first.transferId })).status, 'Broadcasted');
    const sped = await activities.speedUpTransfer({ walletId, transferId: first.transferId });
    assert.notEqual(sped.txHash, undefined);
    const cancelled = await activities.cancelTransfer({ walletId, transferId: second.transferId });
    assert.match(cancelled.replacement?.id ?? '', /^tx-/, 'the replacement transaction was read');
    // Allowed through the permission check, refused by Dfns's own rules (not found, already broadcast): not 403.
    const notForbidden = (error: unknown) => error instanceof ApplicationFailure && error.type !== 'Forbidden';
    await assert.rejects(activities.getApproval({ approvalId: 'ap-none' }), notForbidden);
    await assert.rejects(activities.denyApproval({ approvalId: 'ap-none' }), notForbidden);
    await assert.rejects(activities.abortTransfer({ walletId, transferId: first.transferId }), notForbidden);
  });

  for (const missing of ['Wallets:Transfers:Create', 'Wallets:Transactions:Create', 'Policies:Approvals:Read']) {
    it(`without ${missing}, the call that needs it fails 403 Forbidden naming the permission`, async () => {
      await grant(SERVICE_ACCOUNT_OPERATIONS.filter((operation) => operation !== missing));
      const activities = createDfnsActivities({ dfns: t.dfns, payers: sandboxPayers(t.bootstrap) });
      const walletId = t.bootstrap.walletId;
      const call =
        missing === 'Wallets:Transfers:Create'
          ? () => activities.submitTransfer({ request: request('perm-x'), externalId: 'payment:perm-x:a1' })
          : missing === 'Policies:Approvals:Read'
            ? () => activities.getApproval({ approvalId: 'ap-none' })
            : () => activities.speedUpTransfer({ walletId, transferId: 'xfr-none' });
      await assert.rejects(call(), (error: unknown) => {
        assert.ok(error instanceof ApplicationFailure);
        assert.equal(error.type, 'Forbidden');
        assert.match(error.message, new RegExp(`missing permission ${missing}`));
        return true;
      });
    });
  }

  it("the org owner's role (every operation, restored by a null grant) may do everything", async () => {
    await grant(null);
    const granted = (await admin(t.sandbox.url, 'GET', '/permission-grants')).body as Record<string, string[]>;
    assert.deepEqual(granted[t.bootstrap.userId], [...ALL_OPERATIONS], 'held through an explicit grant');
    const activities = createDfnsActivities({ dfns: t.dfns, payers: sandboxPayers(t.bootstrap) });
    const created = await activities.submitTransfer({
      request: request('perm-owner'),
      externalId: 'payment:perm-owner:a1',
    });
    assert.equal(created.externalId, 'payment:perm-owner:a1');
  });

  describe('the reconciliation reads', () => {
    // A wallet with no transfers of payments: the reads never need Temporal, which this test does not run.
    const noTemporal = new Proxy({} as Client, {
      get: () => {
        throw new Error('Temporal is not needed for a wallet without payments');
      },
    });
    const reads = () => createReconciliationActivities({ dfns: t.dfns, temporal: noTemporal });
    const walletId = () => t.bootstrap.wallets[1]?.walletId ?? '';

    it('list transfers, read the history and the balances with exactly that set', async () => {
      assert.equal((await grant(SERVICE_ACCOUNT_OPERATIONS)).status, 200);
      const page = await reads().reconcileTransferPage({ walletId: walletId(), pageSize: 100 });
      assert.deepEqual(page.match.findings, []);
      const history = await reads().readHistoryPage({ walletId: walletId(), pageSize: 100, tally: emptyTally() });
      assert.equal(history.done, true);
      const balances = await reads().readReconciliationBalances({ walletId: walletId() });
      assert.ok(BigInt(balances.Native ?? '0') > 0n);
    });

    it('fail 403 Forbidden naming Wallets:Read without it', async () => {
      await grant(SERVICE_ACCOUNT_OPERATIONS.filter((operation) => operation !== 'Wallets:Read'));
      await assert.rejects(reads().readReconciliationBalances({ walletId: walletId() }), (error: unknown) => {
        assert.ok(error instanceof ApplicationFailure);
        assert.equal(error.type, 'Forbidden');
        assert.match(error.message, /missing permission Wallets:Read/);
        return true;
      });
    });
  });
});
