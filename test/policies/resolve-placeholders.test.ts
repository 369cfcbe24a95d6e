import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config';
import { loadPolicyFile, policyFilePath } from '../../src/policies/load-policy-file';
import { resolvePolicyValues, type PolicyValues } from '../../src/policies/policy-values';
import { resolvePolicyFile } from '../../src/policies/resolve-placeholders';
import type { SandboxFixtures } from '../../src/dfns/credentials';

const standard = loadPolicyFile(policyFilePath('standard'));
const highVolume = loadPolicyFile(policyFilePath('high-volume'));
const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

const values = (patch: Partial<PolicyValues> = {}): PolicyValues => ({
  approverIds: ['us-a', 'us-b', 'us-c'],
  recipientWhitelist: [RECIPIENT],
  walletIds: ['wa-1'],
  autoRejectTimeout: 1440,
  sources: { approverIds: 'test', recipientWhitelist: 'test', walletIds: 'test' },
  ...patch,
});

const fixtures: SandboxFixtures = {
  path: '/tmp/creds.json',
  approvers: ['approver-1', 'approver-2', 'approver-3'].map((name, index) => ({
    name,
    userId: `us-sandbox-${index + 1}`,
    authToken: 'token',
    credId: 'cred',
    privateKey: 'key',
  })),
  walletIds: ['wa-eth', 'wa-base'],
};

describe('resolvePolicyFile', () => {
  it('fills approvers, whitelist, wallet filter and timeout into Dfns create bodies', () => {
    const { desired, warnings } = resolvePolicyFile(standard, values());
    assert.deepEqual(warnings, []);
    assert.equal(desired.set, 'standard');
    assert.equal(desired.version, 1);
    const [velocity, large, recipients] = desired.policies;
    assert.deepEqual(velocity, {
      name: 'standard: velocity limit',
      activityKind: 'Wallets:Sign',
      rule: { kind: 'TransactionAmountVelocity', configuration: { limit: 100000, currency: 'USD', timeframe: 1440 } },
      action: { kind: 'Block' },
      filters: { walletId: { in: ['wa-1'] } },
    });
    assert.deepEqual(large?.action, {
      kind: 'RequestApproval',
      approvalGroups: [{ name: 'treasury', quorum: 1, approvers: { userId: { in: ['us-a', 'us-b'] } } }],
      autoRejectTimeout: 1440,
    });
    assert.deepEqual(recipients?.rule, {
      kind: 'TransactionRecipientWhitelist',
      configuration: { addresses: [RECIPIENT] },
    });
  });

  it('takes the first three approvers for 2-of-3 and honours the configured timeout', () => {
    const { desired } = resolvePolicyFile(highVolume, values({ autoRejectTimeout: 60 }));
    assert.deepEqual(desired.policies[0]?.action, {
      kind: 'RequestApproval',
      approvalGroups: [{ name: 'treasury', quorum: 2, approvers: { userId: { in: ['us-a', 'us-b', 'us-c'] } } }],
      autoRejectTimeout: 60,
    });
  });

  it('omits the filter when no wallets are configured, and says so', () => {
    const { desired, warnings } = resolvePolicyFile(highVolume, values({ walletIds: [] }));
    for (const policy of desired.policies) assert.equal('filters' in policy, false, policy.name);
    assert.match(warnings.join('\n'), /apply to every wallet/);
  });

  it('warns that an empty whitelist triggers for every transfer', () => {
    const { desired, warnings } = resolvePolicyFile(standard, values({ recipientWhitelist: [] }));
    assert.deepEqual(desired.policies[2]?.rule, {
      kind: 'TransactionRecipientWhitelist',
      configuration: { addresses: [] },
    });
    assert.match(
      warnings.join('\n'),
      /"standard: new recipients" is empty, so Dfns triggers it for EVERY transfer \(set PAYMENT_RECIPIENT_WHITELIST\)/,
    );
  });

  it('refuses too few approvers, naming the variable', () => {
    assert.throws(
      () => resolvePolicyFile(highVolume, values({ approverIds: ['us-a', 'us-b'] })),
      (error: unknown) =>
        error instanceof ConfigError &&
        /needs 3 approver user ids, 2 configured.*DFNS_APPROVER_USER_IDS/.test(error.message),
    );
  });
});

describe('resolvePolicyValues', () => {
  it('uses the variables when set', () => {
    const config = loadConfig({
      DFNS_APPROVER_USER_IDS: 'us-1, us-2',
      DFNS_COMPLIANCE_APPROVER_USER_IDS: 'us-c',
      PAYMENT_RECIPIENT_WHITELIST: `${RECIPIENT},0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed`,
      POLICY_WALLET_IDS: 'wa-9',
      POLICY_AUTO_REJECT_TIMEOUT_MINUTES: '90',
    });
    const resolved = resolvePolicyValues(config, () => assert.fail('the credentials file is not needed'));
    assert.deepEqual(resolved.approverIds, ['us-1', 'us-2']);
    assert.deepEqual(resolved.complianceApproverIds, ['us-c']);
    assert.deepEqual(resolved.recipientWhitelist, [RECIPIENT, '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed']);
    assert.deepEqual(resolved.walletIds, ['wa-9']);
    assert.equal(resolved.autoRejectTimeout, 90);
    assert.equal(resolved.sources.approverIds, 'DFNS_APPROVER_USER_IDS');
  });

  it('falls back to the sandbox file approvers and wallets, with a 1440-minute timeout and an empty whitelist', () => {
    const resolved = resolvePolicyValues(loadConfig({}), () => fixtures);
    assert.deepEqual(resolved.approverIds, ['us-sandbox-1', 'us-sandbox-2', 'us-sandbox-3']);
    // The compliance group starts from the last approver, apart from the treasury group's first ones.
    assert.deepEqual(resolved.complianceApproverIds, ['us-sandbox-3', 'us-sandbox-2', 'us-sandbox-1']);
    assert.deepEqual(resolved.walletIds, ['wa-eth', 'wa-base']);
    assert.deepEqual(resolved.recipientWhitelist, []);
    assert.equal(resolved.autoRejectTimeout, 1440);
    assert.equal(resolved.sources.approverIds, 'the sandbox credentials file');
    assert.equal(resolved.sources.recipientWhitelist, 'PAYMENT_RECIPIENT_WHITELIST (not set)');
  });

  it('never reads the sandbox file for a real org', () => {
    const config = loadConfig({ DFNS_AUTH_TOKEN: 'token' });
    const resolved = resolvePolicyValues(config, () => assert.fail('a real org must not use sandbox fixtures'));
    assert.deepEqual(resolved.approverIds, []);
    assert.deepEqual(resolved.walletIds, []);
  });

  it('rejects a bad timeout, naming the variable', () => {
    assert.throws(
      () => loadConfig({ POLICY_AUTO_REJECT_TIMEOUT_MINUTES: '1.5' }),
      /POLICY_AUTO_REJECT_TIMEOUT_MINUTES: must be a number of minutes/,
    );
  });
});
