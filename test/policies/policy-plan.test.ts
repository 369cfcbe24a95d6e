import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPlan } from '../../src/policies/format-plan';
import { loadPolicyFile, policyFilePath } from '../../src/policies/load-policy-file';
import type { DesiredPolicySet } from '../../src/policies/desired-policy-set';
import { canonicalize } from '../../src/policies/policy-diff';
import { computePolicyPlan, planHasChanges } from '../../src/policies/policy-plan';
import type { DfnsPolicy as OrgPolicy } from '../../src/dfns/policy-schema';
import { resolvePolicyFile } from '../../src/policies/resolve-placeholders';

const desired: DesiredPolicySet = resolvePolicyFile(loadPolicyFile(policyFilePath('standard')), {
  approverIds: ['us-a', 'us-b'],
  recipientWhitelist: ['0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359'],
  walletIds: ['wa-1'],
  autoRejectTimeout: 1440,
  sources: { approverIds: 'test', recipientWhitelist: 'test', walletIds: 'test' },
}).desired;

/** What Dfns would return for a created body: ids, status, dates, and its own spelling of defaults. */
function asOrgPolicy(
  body: DesiredPolicySet['policies'][number],
  id: string,
  patch: Record<string, unknown> = {},
): OrgPolicy {
  return {
    ...structuredClone(body),
    id,
    status: 'Active',
    dateCreated: `2026-01-01T00:00:0${id.slice(-1)}Z`,
    ...patch,
  };
}

/** Org policies as loose JSON, so a test can change any field. */
type Loose = ReturnType<typeof JSON.parse>;
const inOrg = (): Loose[] => desired.policies.map((body, index) => asOrgPolicy(body, `plc-${index}`));

describe('computePolicyPlan', () => {
  it('creates everything in an empty org, in file order', () => {
    const plan = computePolicyPlan(desired, []);
    assert.deepEqual(
      plan.items.map((item) => [item.op, item.name]),
      [
        ['create', 'standard: velocity limit'],
        ['create', 'standard: large payments'],
        ['create', 'standard: new recipients'],
      ],
    );
    assert.equal(planHasChanges(plan), true);
  });

  it('leaves matching policies unchanged, ignoring how Dfns spells defaults and list order', () => {
    const actual = inOrg();
    const large = actual[1];
    large.action.approvalGroups[0].approvers.userId.in.reverse();
    large.action.approvalGroups[0].initiatorCanApprove = false;
    actual[0].action = { kind: 'Block', autoRejectTimeout: null };
    actual.push({
      id: 'plc-other',
      name: 'treasury: something else',
      activityKind: 'Wallets:Sign',
      rule: {},
      action: {},
    });
    const plan = computePolicyPlan(desired, actual);
    assert.deepEqual(
      plan.items.map((item) => item.op),
      ['unchanged', 'unchanged', 'unchanged'],
    );
    assert.equal(planHasChanges(plan), false);
  });

  it('updates a changed limit, naming the field and both values', () => {
    const actual = inOrg();
    actual[1].rule.configuration.limit = 20000;
    actual[2].filters = { walletId: { in: ['wa-1', 'wa-2'] } };
    const plan = computePolicyPlan(desired, actual);
    const updates = plan.items.filter((item) => item.op === 'update');
    assert.deepEqual(
      updates.map((item) => item.op === 'update' && [item.policyId, item.changes]),
      [
        ['plc-1', [{ path: 'rule.configuration.limit', from: 20000, to: 10000 }]],
        ['plc-2', [{ path: 'filters.walletId.in', from: ['wa-1', 'wa-2'], to: ['wa-1'] }]],
      ],
    );
    const text = formatPlan(plan).join('\n');
    assert.match(text, /~ update\s+standard: large payments \(plc-1\)\n\s+rule\.configuration\.limit: 20000 → 10000/);
    assert.match(text, /2 to update, 1 unchanged$/);
  });

  it('archives set policies the file no longer lists, and duplicates, but not other sets', () => {
    const actual = [
      ...inOrg(),
      asOrgPolicy(desired.policies[0] as never, 'plc-7'),
      {
        id: 'plc-8',
        name: 'standard: retired rule',
        status: 'Active',
        activityKind: 'Wallets:Sign',
        rule: {},
        action: {},
      },
      {
        id: 'plc-9',
        name: 'high-volume: hourly cap',
        status: 'Active',
        activityKind: 'Wallets:Sign',
        rule: {},
        action: {},
      },
      {
        id: 'plc-x',
        name: 'standard: archived already',
        status: 'Archived',
        activityKind: 'Wallets:Sign',
        rule: {},
        action: {},
      },
    ];
    const plan = computePolicyPlan(desired, actual);
    const archives = plan.items.filter((item) => item.op === 'archive');
    assert.deepEqual(
      archives.map((item) => item.op === 'archive' && [item.policyId, item.reason]),
      [
        ['plc-7', 'duplicate of plc-0'],
        ['plc-8', 'no longer in the file'],
      ],
    );
    assert.equal(plan.items.at(-1)?.op, 'archive', 'archives come last');
  });

  it('does not stack a change on one already waiting for approval', () => {
    const actual = inOrg();
    const pendingBody = structuredClone(desired.policies[1]);
    actual[1].rule.configuration.limit = 5;
    actual[1] = {
      ...actual[1],
      pendingChangeRequest: { id: 'cr-1', status: 'Pending', approvalId: 'ap-1', body: pendingBody },
    };
    const plan = computePolicyPlan(desired, actual);
    assert.deepEqual(plan.items[1], {
      op: 'pending',
      name: 'standard: large payments',
      policyId: 'plc-1',
      approvalId: 'ap-1',
      matchesFile: true,
    });
    assert.equal(planHasChanges(plan), false);
  });
});

describe('canonicalize', () => {
  it('treats absent, null and empty objects alike and sorts id lists', () => {
    assert.deepEqual(canonicalize({ b: null, a: {}, c: ['y', 'x'], d: [{ z: 1, initiatorCanApprove: false }] }), {
      c: ['x', 'y'],
      d: [{ z: 1 }],
    });
  });
});
