import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadPolicyFile, parsePolicyFile, PolicyFileError, policyFilePath } from '../../src/policies/load-policy-file';
import type { PolicyTemplate } from '../../src/policies/policy-file-schema';

const standard = loadPolicyFile(policyFilePath('standard'));
const highVolume = loadPolicyFile(policyFilePath('high-volume'));
const compliance = loadPolicyFile(policyFilePath('compliance'));
const raw = (set: string) => JSON.parse(readFileSync(policyFilePath(set), 'utf8'));

const byName = (policies: PolicyTemplate[], name: string): PolicyTemplate => {
  const policy = policies.find((candidate) => candidate.name === name);
  assert.ok(policy, `missing policy "${name}"`);
  return policy;
};

/** Asserts parsePolicyFile rejects `json` with a PolicyFileError whose message matches each pattern. */
function rejects(json: unknown, ...patterns: RegExp[]): void {
  assert.throws(
    () => parsePolicyFile(json, 'test.json'),
    (error: unknown) => {
      assert.ok(error instanceof PolicyFileError, String(error));
      for (const pattern of patterns) assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('shipped policy files', () => {
  it('validate, with a version and set name', () => {
    assert.equal(standard.set, 'standard');
    assert.equal(highVolume.set, 'high-volume');
    assert.equal(standard.version, 1);
    assert.equal(highVolume.version, 1);
  });

  it('standard encodes the seed table: $100k/day Block, >$10k 1-of-2, not whitelisted → approval', () => {
    assert.deepEqual(
      standard.policies.map((policy) => policy.name),
      ['standard: velocity limit', 'standard: large payments', 'standard: new recipients'],
    );
    for (const policy of standard.policies) {
      assert.equal(policy.activityKind, 'Wallets:Sign');
      assert.deepEqual(policy.filters, { $org: 'walletFilter' });
    }
    const velocity = byName(standard.policies, 'standard: velocity limit');
    assert.deepEqual(velocity.rule, {
      kind: 'TransactionAmountVelocity',
      configuration: { limit: 100000, currency: 'USD', timeframe: 1440 },
    });
    assert.deepEqual(velocity.action, { kind: 'Block' });

    const large = byName(standard.policies, 'standard: large payments');
    assert.deepEqual(large.rule, { kind: 'TransactionAmountLimit', configuration: { limit: 10000, currency: 'USD' } });
    assert.deepEqual(large.action, {
      kind: 'RequestApproval',
      approvalGroups: [{ name: 'treasury', quorum: 1, approvers: { userId: { in: { $org: 'approvers', count: 2 } } } }],
      autoRejectTimeout: { $org: 'autoRejectTimeout' },
    });

    const recipients = byName(standard.policies, 'standard: new recipients');
    assert.deepEqual(recipients.rule, {
      kind: 'TransactionRecipientWhitelist',
      configuration: { addresses: { $org: 'recipientWhitelist' } },
    });
    assert.equal(recipients.action.kind, 'RequestApproval');
    assert.equal(recipients.action.kind === 'RequestApproval' && recipients.action.approvalGroups[0]?.quorum, 1);
  });

  it('high-volume encodes the seed table: >$500k 2-of-3, $2M/hour Block, >1000 tx/hour Block', () => {
    assert.deepEqual(
      highVolume.policies.map((policy) => policy.name),
      ['high-volume: very large payments', 'high-volume: hourly cap', 'high-volume: frequency limit'],
    );
    const large = byName(highVolume.policies, 'high-volume: very large payments');
    assert.deepEqual(large.rule, { kind: 'TransactionAmountLimit', configuration: { limit: 500000, currency: 'USD' } });
    assert.deepEqual(large.action, {
      kind: 'RequestApproval',
      approvalGroups: [{ name: 'treasury', quorum: 2, approvers: { userId: { in: { $org: 'approvers', count: 3 } } } }],
      autoRejectTimeout: { $org: 'autoRejectTimeout' },
    });
    const hourly = byName(highVolume.policies, 'high-volume: hourly cap');
    assert.deepEqual(hourly.rule, {
      kind: 'TransactionAmountVelocity',
      configuration: { limit: 2000000, currency: 'USD', timeframe: 60 },
    });
    assert.deepEqual(hourly.action, { kind: 'Block' });
    const frequency = byName(highVolume.policies, 'high-volume: frequency limit');
    assert.deepEqual(frequency.rule, {
      kind: 'TransactionCountVelocity',
      configuration: { limit: 1000, timeframe: 60 },
    });
    assert.deepEqual(frequency.action, { kind: 'Block' });
  });

  it('hard-code no org-specific value: no us-, wa- ids or addresses', () => {
    for (const set of ['standard', 'high-volume']) {
      const text = readFileSync(policyFilePath(set), 'utf8');
      assert.doesNotMatch(text, /"(us|wa)-|0x[0-9a-fA-F]{40}/, set);
    }
  });
});

describe('the compliance policy file', () => {
  it('screens with Chainalysis on Wallets:Sign: SEVERE → Block, HIGH → approval by one of the compliance group', () => {
    assert.equal(compliance.set, 'compliance');
    const severe = byName(compliance.policies, 'compliance: severe alerts');
    const high = byName(compliance.policies, 'compliance: high alerts');
    for (const policy of [severe, high]) {
      assert.equal(policy.activityKind, 'Wallets:Sign');
      assert.equal(policy.rule.kind, 'ChainalysisTransactionPrescreening');
    }
    const level = (policy: PolicyTemplate) =>
      policy.rule.kind === 'ChainalysisTransactionPrescreening' ? policy.rule.configuration.alerts.alertLevel : '';
    assert.equal(level(severe), 'SEVERE');
    assert.deepEqual(severe.action, { kind: 'Block' });
    assert.equal(level(high), 'HIGH');
    assert.deepEqual(high.action, {
      kind: 'RequestApproval',
      approvalGroups: [
        { name: 'compliance', quorum: 1, approvers: { userId: { in: { $org: 'complianceApprovers', count: 1 } } } },
      ],
      autoRejectTimeout: { $org: 'autoRejectTimeout' },
    });
  });

  it('lists the networks Dfns screens, as https://docs.dfns.co/integrations/aml-kyt/chainalysis lists them', () => {
    assert.equal(compliance.screening?.source, 'https://docs.dfns.co/integrations/aml-kyt/chainalysis');
    assert.deepEqual(compliance.screening?.networks, {
      Native: [
        'Algorand',
        'ArbitrumOne',
        'AvalancheC',
        'Bitcoin',
        'Bsc',
        'Ethereum',
        'FantomOpera',
        'Litecoin',
        'Optimism',
        'Polygon',
        'Solana',
        'Tron',
        'XrpLedger',
      ],
      Erc20: ['ArbitrumOne', 'AvalancheC', 'Bsc', 'Ethereum', 'Optimism', 'Polygon'],
    });
  });

  it('combines with the other sets: no policy name is shared, so no set archives another', () => {
    const names = [standard, highVolume, compliance].flatMap((file) => file.policies.map((policy) => policy.name));
    assert.equal(new Set(names).size, names.length);
    for (const name of compliance.policies.map((policy) => policy.name)) assert.match(name, /^compliance: /);
  });

  it('refuses a Chainalysis rule without the screened networks, and an unknown alert level', () => {
    const json = raw('compliance');
    delete json.screening;
    rejects(json, /screening: is required with a ChainalysisTransactionPrescreening rule/);
    const bad = raw('compliance');
    bad.policies[0].rule.configuration.alerts.alertLevel = 'CRITICAL';
    rejects(bad, /policies\[0\]\.rule\.configuration\.alerts\.alertLevel/);
  });
});

describe('policy file schema', () => {
  const withPolicy = (patch: (policy: ReturnType<typeof JSON.parse>) => void) => {
    const json = raw('standard');
    patch(json.policies[1]);
    return json;
  };

  it('names the bad field', () => {
    rejects(
      withPolicy((p) => (p.rule.configuration.limit = '10000')),
      /policies\[1\]\.rule\.configuration\.limit/,
    );
    rejects(
      withPolicy((p) => (p.rule.configuration.limit = 10000.5)),
      /policies\[1\]\.rule\.configuration\.limit: must be whole US dollars/,
    );
    rejects(
      withPolicy((p) => (p.rule.configuration.currency = 'EUR')),
      /policies\[1\]\.rule\.configuration\.currency/,
    );
    rejects(
      withPolicy(
        (p) =>
          (p.rule = { kind: 'TransactionAmountVelocity', configuration: { limit: 1, currency: 'USD', timeframe: 0 } }),
      ),
      /policies\[1\]\.rule\.configuration\.timeframe/,
    );
    rejects(
      withPolicy((p) => (p.rule.kind = 'Typo')),
      /policies\[1\]\.rule\.kind/,
    );
    rejects(
      withPolicy((p) => (p.action.kind = 'Allow')),
      /policies\[1\]\.action\.kind/,
    );
    rejects(
      withPolicy((p) => (p.action.approvalGroups[0].quorum = 3)),
      /policies\[1\]\.action\.approvalGroups\[0\]\.quorum: must not exceed the number of approvers/,
    );
    rejects(
      withPolicy((p) => (p.action.approvalGroups[0].approvers.userId.in = { $org: 'approverz', count: 2 })),
      /policies\[1\]\.action\.approvalGroups\[0\]\.approvers\.userId\.in: must be a list of user ids or/,
    );
    rejects(
      withPolicy((p) => (p.activityKind = 'Policies:Modify')),
      /policies\[1\]\.activityKind/,
    );
    rejects(
      withPolicy((p) => (p.status = 'Active')),
      /policies\[1\]/,
      /status/,
    );
    rejects(
      withPolicy((p) => (p.name = 'large payments')),
      /policies\[1\]\.name: must start with "standard: "/,
    );
    rejects(
      withPolicy((p) => (p.name = 'standard: velocity limit')),
      /policies\[1\]\.name: duplicates/,
    );
  });

  it('requires a version, a kebab-case set and at least one policy', () => {
    const { version: _version, ...noVersion } = raw('standard');
    rejects(noVersion, /version/);
    rejects({ ...raw('standard'), set: 'Standard Set' }, /set: must be kebab-case/);
    rejects({ ...raw('standard'), policies: [] }, /policies/);
    rejects([], /\(file\)/);
  });

  it('refuses unreadable, non-JSON files and bad set names', () => {
    assert.throws(
      () => loadPolicyFile('/nonexistent/policies.json'),
      /cannot read \/nonexistent\/policies\.json \(ENOENT\)/,
    );
    assert.throws(() => loadPolicyFile(new URL(import.meta.url).pathname), /is not JSON/);
    assert.throws(() => policyFilePath('../etc/passwd'), /--set must be a set name/);
  });
});
