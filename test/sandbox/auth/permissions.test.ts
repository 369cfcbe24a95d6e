import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ALL_OPERATIONS, APPROVER_OPERATIONS } from '../../../sandbox/src/auth/permissions';
import { admin, approverClient, dfnsFailure, sendNative, startTestSandbox, type TestSandbox } from '../helpers';

/**
 * Dfns denies whatever no assigned permission grants; the sandbox does too. The bootstrap identities hold theirs
 * through explicit grants (the owner's every operation, the approvers' role), which a reset restores.
 */
describe('permissions: nothing is allowed that is not granted', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ timeScale: 1000 });
  });
  beforeEach(async () => {
    assert.equal((await admin(t.sandbox.url, 'POST', '/reset', {})).status, 200);
  });
  after(async () => t?.close());

  const grants = async () => (await admin(t.sandbox.url, 'GET', '/permission-grants')).body as Record<string, string[]>;

  it('grants the bootstrap owner every operation and each approver the approver role, explicitly', async () => {
    const granted = await grants();
    assert.deepEqual(granted[t.bootstrap.userId], [...ALL_OPERATIONS]);
    for (const approver of t.bootstrap.approvers) assert.deepEqual(granted[approver.userId], [...APPROVER_OPERATIONS]);
  });

  it('refuses a user with no grants at all with 403 naming the permission', async () => {
    const approver = t.bootstrap.approvers[1]!;
    // An approver left with no grants (as if it held no role): even reading a wallet is refused.
    assert.equal(
      (await admin(t.sandbox.url, 'PUT', `/permissions/${approver.userId}`, { operations: [] })).status,
      200,
    );
    const client = approverClient(t.bootstrap, 1);
    const refused = await dfnsFailure(client.wallets.getWallet({ walletId: t.bootstrap.walletId }));
    assert.equal(refused.httpStatus, 403);
    assert.match(refused.message, /missing permission Wallets:Read/);
    // null gives a bootstrap identity its role back.
    assert.equal(
      (await admin(t.sandbox.url, 'PUT', `/permissions/${approver.userId}`, { operations: null })).status,
      200,
    );
    assert.equal((await client.wallets.getWallet({ walletId: t.bootstrap.walletId })).id, t.bootstrap.walletId);
    assert.deepEqual((await grants())[approver.userId], [...APPROVER_OPERATIONS]);
  });

  it('an approver may read and decide but not initiate a transfer', async () => {
    const client = approverClient(t.bootstrap, 0);
    const refused = await dfnsFailure(sendNative(client, t.bootstrap.walletId, '1'));
    assert.equal(refused.httpStatus, 403);
    assert.match(refused.message, /missing permission Wallets:Transfers:Create/);
    const listed = await client.policies.listApprovals({});
    assert.ok(Array.isArray(listed.items));
  });

  it('a reset gives a restricted owner its every operation back', async () => {
    const path = `/permissions/${t.bootstrap.userId}`;
    assert.equal((await admin(t.sandbox.url, 'PUT', path, { operations: ['Wallets:Read'] })).status, 200);
    const refused = await dfnsFailure(sendNative(t.dfns, t.bootstrap.walletId, '1'));
    assert.equal(refused.httpStatus, 403);
    assert.equal((await admin(t.sandbox.url, 'POST', '/reset', {})).status, 200);
    assert.equal((await sendNative(t.dfns, t.bootstrap.walletId, '1')).status, 'Pending');
  });
});
