import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DfnsError, PolicyPendingError } from '@dfns/sdk';
import { applyPolicyPlan } from '../../src/policies/apply-policy-plan';
import { formatApplyResults } from '../../src/policies/format-plan';
import { listActivePolicies, type PoliciesApi } from '../../src/policies/org-policies';
import type { DfnsPolicyBody as PolicyBody } from '../../src/dfns/policy-schema';
import type { PolicyPlan } from '../../src/policies/policy-plan';

const body = (name: string): PolicyBody => ({
  name,
  activityKind: 'Wallets:Sign',
  rule: { kind: 'AlwaysTrigger' },
  action: { kind: 'Block' },
});

/** A stand-in for dfns.policies that records calls and fails where told to. */
function fakeApi(fail: Record<string, Error> = {}) {
  const calls: string[] = [];
  const maybeFail = (key: string) => {
    calls.push(key);
    if (fail[key]) throw fail[key];
  };
  const api = {
    createPolicy: ({ body: created }: { body: PolicyBody }) => {
      maybeFail(`create ${created.name}`);
      return Promise.resolve({ ...created, id: `plc-new-${calls.length}`, status: 'Active' });
    },
    updatePolicy: ({ policyId }: { policyId: string }) => {
      maybeFail(`update ${policyId}`);
      return Promise.resolve({});
    },
    archivePolicy: ({ policyId }: { policyId: string }) => {
      maybeFail(`archive ${policyId}`);
      return Promise.resolve({});
    },
  } as unknown as PoliciesApi;
  return { api, calls };
}

const plan: PolicyPlan = {
  set: 'standard',
  version: 1,
  items: [
    { op: 'archive', name: 'standard: old', policyId: 'plc-old', reason: 'no longer in the file' },
    { op: 'create', name: 'standard: a', body: body('standard: a') },
    { op: 'unchanged', name: 'standard: b', policyId: 'plc-b' },
    { op: 'update', name: 'standard: c', policyId: 'plc-c', body: body('standard: c'), changes: [] },
  ],
};

describe('applyPolicyPlan', () => {
  it('creates and updates before it archives, and skips unchanged policies', async () => {
    const { api, calls } = fakeApi();
    const results = await applyPolicyPlan(plan, api);
    assert.deepEqual(calls, ['create standard: a', 'update plc-c', 'archive plc-old']);
    assert.deepEqual(
      results.map((result) => result.outcome),
      ['created', 'skipped', 'updated', 'archived'],
    );
    assert.match(formatApplyResults(results).join('\n'), /\+ create\s+standard: a: created plc-new-1/);
  });

  it('reports a change held for approval (HTTP 202) as pending, and a failure without stopping', async () => {
    const pending = new PolicyPendingError({
      id: 'cr-1',
      kind: 'Policy',
      operationKind: 'Update',
      status: 'Pending',
      approvalId: 'ap-42',
    });
    const forbidden = new DfnsError(403, 'missing permission Policies:Archive', {
      headers: { authorization: 'Bearer secret' },
    });
    const { api } = fakeApi({ 'update plc-c': pending, 'archive plc-old': forbidden });
    const results = await applyPolicyPlan(plan, api);
    assert.deepEqual(
      results.map((result) => [result.outcome, result.detail]),
      [
        ['created', 'plc-new-1'],
        ['skipped', undefined],
        ['pending', 'pending approval ap-42'],
        ['failed', 'Dfns answered 403: missing permission Policies:Archive'],
      ],
    );
    const text = formatApplyResults(results).join('\n');
    assert.match(text, /~ update\s+standard: c: pending approval ap-42/);
    assert.match(text, /- archive\s+standard: old: FAILED: Dfns answered 403/);
    assert.doesNotMatch(text, /secret/);
  });

  it('says there is nothing to do when every policy matches', async () => {
    const { api, calls } = fakeApi();
    const results = await applyPolicyPlan(
      { set: 'standard', version: 1, items: [{ op: 'unchanged', name: 'standard: b', policyId: 'plc-b' }] },
      api,
    );
    assert.deepEqual(calls, []);
    assert.deepEqual(formatApplyResults(results), ['nothing to do: 1 policy already matches the file']);
  });
});

describe('listActivePolicies', () => {
  it('follows nextPageToken and asks for active policies only', async () => {
    const queries: unknown[] = [];
    const pages = [
      { items: [{ ...body('standard: a'), id: 'plc-1', status: 'Active' }], nextPageToken: 'next' },
      { items: [{ ...body('standard: b'), id: 'plc-2', status: 'Active' }] },
    ];
    const api = {
      listPolicies: (request: { query: unknown }) => {
        queries.push(request.query);
        return Promise.resolve(pages[queries.length - 1]);
      },
    } as unknown as PoliciesApi;
    const policies = await listActivePolicies(api);
    assert.deepEqual(
      policies.map((policy) => policy.id),
      ['plc-1', 'plc-2'],
    );
    assert.deepEqual(queries, [
      { status: 'Active', limit: '100' },
      { status: 'Active', limit: '100', paginationToken: 'next' },
    ]);
  });
});
