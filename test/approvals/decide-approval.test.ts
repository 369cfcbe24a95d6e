import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DfnsError } from '@dfns/sdk';
import { decideApproval, DecisionRefusedError } from '../../src/approvals/decide-approval';
import type { ApprovalsApi } from '../../src/approvals/list-approvals';

const approval = (status: string, decisions: unknown[] = []) => ({
  id: 'ap-1',
  status,
  activity: { kind: 'Wallets:Sign' },
  policyEvaluations: [],
  decisions,
});

/** A stand-in for dfns.policies: getApproval answers `current`, a decision answers `decided` or throws. */
function fakeApi(current: unknown, decided: unknown) {
  const bodies: unknown[] = [];
  const api = {
    getApproval: () => (current instanceof Error ? Promise.reject(current) : Promise.resolve(current)),
    createApprovalDecision: (request: { body: unknown }) => {
      bodies.push(request.body);
      return decided instanceof Error ? Promise.reject(decided) : Promise.resolve(decided);
    },
  } as unknown as ApprovalsApi;
  return { api, bodies };
}

const decider = { label: 'approver-1', userId: 'us-1' };

async function refused(api: ApprovalsApi, pattern: RegExp, value: 'Approved' | 'Denied' = 'Approved'): Promise<void> {
  await assert.rejects(decideApproval(api, { approvalId: 'ap-1', value }, decider), (error: unknown) => {
    assert.ok(error instanceof DecisionRefusedError, String(error));
    assert.match(error.message, pattern);
    return true;
  });
}

describe('decideApproval', () => {
  it('sends the decision and returns the updated approval', async () => {
    const { api, bodies } = fakeApi(
      approval('Pending'),
      approval('Approved', [{ userId: 'us-1', date: 'd', value: 'Approved', reason: null }]),
    );
    const after = await decideApproval(api, { approvalId: 'ap-1', value: 'Denied', reason: 'unknown vendor' }, decider);
    assert.equal(after.status, 'Approved');
    assert.deepEqual(bodies, [{ value: 'Denied', reason: 'unknown vendor' }]);
  });

  it('says plainly when the approval is not pending, unknown, or already decided by this approver', async () => {
    await refused(fakeApi(approval('Approved'), undefined).api, /^approval ap-1 is not pending \(it is Approved\)$/);
    await refused(fakeApi(new DfnsError(404, 'approval not found'), undefined).api, /^approval ap-1 not found$/);
    const decided = approval('Pending', [{ userId: 'us-1', date: 'd', value: 'Approved', reason: null }]);
    await refused(fakeApi(decided, undefined).api, /^approver-1 already decided approval ap-1 \(Approved\)$/);
  });

  it('turns a Dfns refusal into one line', async () => {
    await refused(
      fakeApi(approval('Pending'), new DfnsError(403, 'user is not an approver')).api,
      /^approver-1 may not decide approval ap-1: user is not an approver \(HTTP 403\)$/,
    );
    await refused(
      fakeApi(approval('Pending'), new DfnsError(409, 'approval already resolved')).api,
      /^approval ap-1 cannot take this decision now: approval already resolved \(HTTP 409\)$/,
    );
    const network = Object.assign(new Error('connect ECONNREFUSED'), { type: 'system', code: 'ECONNREFUSED' });
    await refused(fakeApi(network, undefined).api, /^cannot read approval ap-1: cannot reach Dfns \(ECONNREFUSED\)$/);
  });
});
