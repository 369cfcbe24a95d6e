import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { DfnsApiClient } from '@dfns/sdk';
import { APPROVER_OPERATIONS } from '../../../sandbox/src/auth/permissions';
import {
  admin,
  approverClient,
  deliveries,
  dfnsFailure,
  sendNative,
  signedCall,
  startTestSandbox,
  waitFor,
  waitForStatus,
  type Json,
  type TestSandbox,
} from '../helpers';
import { approvalBy, createSignPolicy, resetSandbox } from '../policy-support';

describe('approvals through the real SDK, decisions signed by each approver', () => {
  let t: TestSandbox;
  let walletId: string;
  let approvers: DfnsApiClient[];
  let ids: string[];
  before(async () => {
    t = await startTestSandbox({ timeScale: 1000 });
    walletId = t.bootstrap.walletId;
    approvers = [0, 1, 2].map((index) => approverClient(t.bootstrap, index));
    ids = t.bootstrap.approvers.map((approver) => approver.userId);
  });
  beforeEach(async () => {
    await resetSandbox(t);
  });
  after(async () => {
    await t.close();
  });

  /** Lets an approver initiate transfers too: its role, plus Wallets:Transfers:Create (a reset takes it back). */
  const mayInitiate = async (userId: string) => {
    const operations = [...APPROVER_OPERATIONS, 'Wallets:Transfers:Create'];
    assert.equal((await admin(t.sandbox.url, 'PUT', `/permissions/${userId}`, { operations })).status, 200);
  };
  const decide = (client: DfnsApiClient, approvalId: string, value: 'Approved' | 'Denied', reason?: string) =>
    client.policies.createApprovalDecision({ approvalId, body: { value, ...(reason ? { reason } : {}) } });

  it('bootstraps three approvers with their own keys and tokens', () => {
    assert.deepEqual(
      t.bootstrap.approvers.map((a) => a.name),
      ['approver-1', 'approver-2', 'approver-3'],
    );
    assert.equal(new Set(t.bootstrap.approvers.map((a) => a.credId)).size, 3);
    for (const approver of t.bootstrap.approvers) {
      assert.match(approver.userId, /^us-/);
      assert.notEqual(approver.userId, t.bootstrap.userId);
      assert.match(approver.privateKey, /^-----BEGIN PRIVATE KEY-----/);
    }
  });

  it('1-of-2: one approval releases the transfer; pending and resolved webhooks carry the approval', async () => {
    await createSignPolicy(t.dfns, 'one of two', { kind: 'AlwaysTrigger' }, approvalBy([ids[0] ?? '', ids[1] ?? '']));
    const created = await sendNative(t.dfns, walletId, '10');
    const approvalId = created.approvalId ?? '';
    assert.equal(created.status, 'Pending');
    const pending = await t.dfns.policies.getApproval({ approvalId });
    assert.equal(pending.status, 'Pending');
    assert.equal(pending.initiatorId, t.bootstrap.userId);
    assert.equal(pending.activity.kind, 'Wallets:Sign');
    assert.equal((pending.activity as Json).transferRequest.id, created.id);
    assert.deepEqual(pending.decisions, []);
    assert.equal(pending.expirationDate, undefined, 'no autoRejectTimeout, no expiry');

    const approved = await decide(approvers[1] as DfnsApiClient, approvalId, 'Approved', 'looks fine');
    assert.equal(approved.status, 'Approved');
    assert.ok(approved.dateResolved);
    assert.equal(approved.decisions.length, 1);
    const decision = { ...approved.decisions[0], date: 'x' };
    assert.deepEqual(decision, { userId: ids[1], date: 'x', reason: 'looks fine', value: 'Approved' });
    const done = await waitForStatus(t.dfns, walletId, created.id, 'Confirmed');
    assert.ok(done.datePolicyResolved);
    assert.equal(done.approvalId, approvalId);

    await waitFor(
      () => (deliveries(t.receiver, 'policy.approval.resolved').length === 1 ? true : undefined),
      5000,
      'resolved',
    );
    const requested = (deliveries(t.receiver, 'wallet.transfer.requested')[0]?.json.data as Json).transferRequest;
    assert.equal(requested.approvalId, approvalId, 'the requested event already names the approval');
    const pendingEvent = (deliveries(t.receiver, 'policy.approval.pending')[0]?.json.data as Json).approval;
    assert.equal(pendingEvent.id, approvalId);
    assert.equal(pendingEvent.status, 'Pending');
    assert.equal(pendingEvent.activity.transferRequest.id, created.id);
    const resolvedEvent = (deliveries(t.receiver, 'policy.approval.resolved')[0]?.json.data as Json).approval;
    assert.equal(resolvedEvent.status, 'Approved');
    assert.equal('groups' in resolvedEvent || 'transferId' in resolvedEvent, false, 'internal fields stay internal');
  });

  it('2-of-3: the first approval is not enough; deciding twice is 409; an outsider is 403', async () => {
    const all = approvalBy([ids[0] ?? '', ids[1] ?? '', ids[2] ?? ''], 2);
    const policy = await createSignPolicy(t.dfns, 'two of three', { kind: 'AlwaysTrigger' }, all);
    const created = await sendNative(t.dfns, walletId, '11');
    const approvalId = created.approvalId ?? '';
    const afterOne = await decide(approvers[0] as DfnsApiClient, approvalId, 'Approved');
    assert.equal(afterOne.status, 'Pending');
    const twice = await dfnsFailure(decide(approvers[0] as DfnsApiClient, approvalId, 'Approved'));
    assert.equal(twice.httpStatus, 409);
    assert.equal((await t.dfns.wallets.getTransfer({ walletId, transferId: created.id })).status, 'Pending');
    const afterTwo = await decide(approvers[2] as DfnsApiClient, approvalId, 'Approved');
    assert.equal(afterTwo.status, 'Approved');
    const late = await dfnsFailure(decide(approvers[1] as DfnsApiClient, approvalId, 'Denied'));
    assert.equal(late.httpStatus, 409);
    await waitForStatus(t.dfns, walletId, created.id, 'Confirmed');

    await t.dfns.policies.archivePolicy({ policyId: policy.id });
    await createSignPolicy(t.dfns, 'only approver-1', { kind: 'AlwaysTrigger' }, approvalBy([ids[0] ?? '']));
    const second = await sendNative(t.dfns, walletId, '12');
    const outsider = await dfnsFailure(decide(approvers[2] as DfnsApiClient, second.approvalId ?? '', 'Approved'));
    assert.equal(outsider.httpStatus, 403);
    const outsiderDeny = await dfnsFailure(decide(approvers[1] as DfnsApiClient, second.approvalId ?? '', 'Denied'));
    assert.equal(outsiderDeny.httpStatus, 403, 'approver-2 is in no group of this approval');
  });

  it('the initiator cannot approve (403) but can deny, which rejects the transfer', async () => {
    await createSignPolicy(t.dfns, 'anyone', { kind: 'AlwaysTrigger' }, approvalBy('anyone'));
    // approver-1 initiates with its own token and key.
    const initiator = approvers[0] as DfnsApiClient;
    await mayInitiate(ids[0] ?? '');
    const created = await sendNative(initiator, walletId, '13');
    assert.equal(created.requester.userId, ids[0]);
    const approvalId = created.approvalId ?? '';
    const self = await dfnsFailure(decide(initiator, approvalId, 'Approved'));
    assert.equal(self.httpStatus, 403);
    assert.match(self.message, /initiator cannot approve/);
    const denied = await decide(initiator, approvalId, 'Denied', 'changed my mind');
    assert.equal(denied.status, 'Denied');
    const rejected = await waitForStatus(t.dfns, walletId, created.id, 'Rejected');
    assert.equal(rejected.reason, 'Denied by approver');
    assert.ok(rejected.datePolicyResolved);
    await waitFor(
      () => (deliveries(t.receiver, 'wallet.transfer.rejected').length === 1 ? true : undefined),
      5000,
      'rejected',
    );

    // The service account (the orchestrator) cannot approve its own transfer either, but can deny it.
    const own = await sendNative(t.dfns, walletId, '14');
    assert.equal((await dfnsFailure(decide(t.dfns, own.approvalId ?? '', 'Approved'))).httpStatus, 403);
    assert.equal((await decide(t.dfns, own.approvalId ?? '', 'Denied')).status, 'Denied');
    await waitForStatus(t.dfns, walletId, own.id, 'Rejected');
  });

  it('initiatorCanApprove lets the initiator approve; service accounts also need serviceAccountsCanApprove', async () => {
    const selfOk = approvalBy('anyone', 1, { initiatorCanApprove: true });
    const policy = await createSignPolicy(t.dfns, 'self ok', { kind: 'AlwaysTrigger' }, selfOk);
    const initiator = approvers[0] as DfnsApiClient;
    await mayInitiate(ids[0] ?? '');
    const first = await sendNative(initiator, walletId, '15');
    assert.equal((await decide(initiator, first.approvalId ?? '', 'Approved')).status, 'Approved');
    await waitForStatus(t.dfns, walletId, first.id, 'Confirmed');
    const second = await sendNative(t.dfns, walletId, '16');
    assert.equal((await dfnsFailure(decide(t.dfns, second.approvalId ?? '', 'Approved'))).httpStatus, 403);
    assert.equal((await decide(approvers[2] as DfnsApiClient, second.approvalId ?? '', 'Denied')).status, 'Denied');
    await waitForStatus(t.dfns, walletId, second.id, 'Rejected');

    await t.dfns.policies.archivePolicy({ policyId: policy.id });
    // serviceAccountsCanApprove is a 0.8.21 field, so this policy is created by hand.
    const group = { quorum: 1, approvers: {}, initiatorCanApprove: true, serviceAccountsCanApprove: true };
    const action = { kind: 'RequestApproval', approvalGroups: [group] };
    const body = { name: 'bots ok', activityKind: 'Wallets:Sign', rule: { kind: 'AlwaysTrigger' }, action };
    assert.equal((await signedCall(t.bootstrap, 'POST', '/v2/policies', body)).status, 200);
    const third = await sendNative(t.dfns, walletId, '17');
    assert.equal((await decide(t.dfns, third.approvalId ?? '', 'Approved')).status, 'Approved');
  });

  it('lists approvals with status, initiatorId and approverId filters and pagination', async () => {
    await createSignPolicy(t.dfns, 'a1', { kind: 'AlwaysTrigger' }, approvalBy([ids[0] ?? '']));
    const one = await sendNative(t.dfns, walletId, '16');
    const two = await sendNative(t.dfns, walletId, '17');
    await decide(approvers[0] as DfnsApiClient, one.approvalId ?? '', 'Denied');
    const all = await t.dfns.policies.listApprovals();
    assert.deepEqual(
      all.items.map((a) => a.id),
      [two.approvalId, one.approvalId],
    );
    const pending = await t.dfns.policies.listApprovals({ query: { status: 'Pending' } });
    assert.deepEqual(
      pending.items.map((a) => a.id),
      [two.approvalId],
    );
    const mine = await t.dfns.policies.listApprovals({ query: { initiatorId: t.bootstrap.userId } });
    assert.equal(mine.items.length, 2);
    assert.equal((await t.dfns.policies.listApprovals({ query: { initiatorId: ids[0] ?? '' } })).items.length, 0);
    assert.equal((await t.dfns.policies.listApprovals({ query: { approverId: ids[0] ?? '' } })).items.length, 2);
    assert.equal((await t.dfns.policies.listApprovals({ query: { approverId: ids[1] ?? '' } })).items.length, 0);
    const page = await t.dfns.policies.listApprovals({ query: { limit: '1' } });
    const next = await t.dfns.policies.listApprovals({ query: { limit: '1', paginationToken: page.nextPageToken } });
    assert.deepEqual(
      next.items.map((a) => a.id),
      [one.approvalId],
    );
    assert.equal((await dfnsFailure(t.dfns.policies.getApproval({ approvalId: 'ap-nope' }))).httpStatus, 404);
  });

  it('aborts a transfer pending approval (Rejected "Aborted"); aborting it again is 400', async () => {
    await createSignPolicy(t.dfns, 'hold', { kind: 'AlwaysTrigger' }, approvalBy([ids[0] ?? '']));
    const created = await sendNative(t.dfns, walletId, '18');
    const path = `/wallets/${walletId}/transfers/${created.id}/abort`;
    const aborted = await signedCall(t.bootstrap, 'PUT', path);
    assert.equal(aborted.status, 200);
    assert.equal(aborted.body.status, 'Rejected');
    assert.equal(aborted.body.reason, 'Aborted');
    assert.equal((await t.dfns.policies.getApproval({ approvalId: created.approvalId ?? '' })).status, 'Denied');
    const again = await signedCall(t.bootstrap, 'PUT', path);
    assert.equal(again.status, 400);
    assert.equal(again.body.error.status, 400);
  });
});

describe('approval expiry', () => {
  it('expires after autoRejectTimeout (unit configurable, scaled): Expired, transfer Rejected "Approval expired"', async () => {
    const t = await startTestSandbox({ timeScale: 10, autoRejectTimeoutUnit: 'seconds' });
    try {
      const approver = t.bootstrap.approvers[0]?.userId ?? '';
      await createSignPolicy(
        t.dfns,
        'expiring',
        { kind: 'AlwaysTrigger' },
        approvalBy([approver], 1, { autoRejectTimeout: 2 }),
      );
      const before = Date.now();
      const created = await sendNative(t.dfns, t.bootstrap.walletId, '19');
      const approval = await t.dfns.policies.getApproval({ approvalId: created.approvalId ?? '' });
      const expiresIn = Date.parse(approval.expirationDate ?? '') - before;
      assert.ok(expiresIn >= 150 && expiresIn <= 400, `2 s at scale 10 is ~200 ms, got ${expiresIn}`);
      const rejected = await waitForStatus(t.dfns, t.bootstrap.walletId, created.id, 'Rejected', 3000);
      assert.equal(rejected.reason, 'Approval expired');
      const expired = await t.dfns.policies.getApproval({ approvalId: created.approvalId ?? '' });
      assert.equal(expired.status, 'Expired');
      assert.ok(expired.dateResolved);
      const late = await dfnsFailure(
        approverClient(t.bootstrap, 0).policies.createApprovalDecision({
          approvalId: expired.id,
          body: { value: 'Approved' },
        }),
      );
      assert.equal(late.httpStatus, 409);
    } finally {
      await t.close();
    }
  });
});
