import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { resolveApproverIdentity } from '../../src/approvals/approver-identity';
import { ConfigError, loadConfig } from '../../src/config';

const dir = mkdtempSync(join(tmpdir(), 'approver-identity-'));
const file = join(dir, 'dfns-sandbox.json');
writeFileSync(
  file,
  JSON.stringify({
    baseUrl: 'http://127.0.0.1:9999',
    orgId: 'or-1',
    authToken: 'service-token',
    credId: 'service-cred',
    privateKey: 'service-key',
    walletId: 'wa-1',
    approvers: [
      { name: 'approver-1', userId: 'us-1', authToken: 'token-1', credId: 'cred-1', privateKey: 'key-1' },
      { name: 'approver-2', userId: 'us-2', authToken: 'token-2', credId: 'cred-2', privateKey: 'key-2' },
    ],
  }),
);
after(() => rmSync(dir, { recursive: true, force: true }));

const configError = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (error: unknown) => error instanceof ConfigError && pattern.test(error.message));

describe('resolveApproverIdentity', () => {
  it('picks a sandbox approver by name, with its own token and key', () => {
    const identity = resolveApproverIdentity(loadConfig({ DFNS_CREDENTIALS_FILE: file }), 'approver-2');
    assert.equal(identity?.label, 'approver-2');
    assert.equal(identity?.userId, 'us-2');
    assert.deepEqual(
      { ...identity?.credentials, source: undefined },
      { baseUrl: 'http://127.0.0.1:9999', orgId: 'or-1', authToken: 'token-2', credId: 'cred-2', privateKey: 'key-2', source: undefined },
    );
  });

  it('lists the sandbox approvers when the name is unknown', () => {
    configError(() => resolveApproverIdentity(loadConfig({ DFNS_CREDENTIALS_FILE: file }), 'approver-9'), /--as approver-9: no such approver .* \(it has: approver-1, approver-2\)/);
  });

  it('reads DFNS_APPROVER_* for a real org and requires all of them', () => {
    const env = { DFNS_AUTH_TOKEN: 'service', DFNS_BASE_URL: 'https://api.dfns.io', DFNS_APPROVER_AUTH_TOKEN: 'human' };
    configError(() => resolveApproverIdentity(loadConfig(env), undefined), /required too: DFNS_APPROVER_CRED_ID, DFNS_APPROVER_PRIVATE_KEY or DFNS_APPROVER_PRIVATE_KEY_FILE$/);
    const identity = resolveApproverIdentity(loadConfig({ ...env, DFNS_APPROVER_CRED_ID: 'c', DFNS_APPROVER_PRIVATE_KEY: 'a\\nb' }), undefined);
    assert.equal(identity?.credentials.authToken, 'human');
    assert.equal(identity?.credentials.privateKey, 'a\nb');
    assert.equal(identity?.credentials.baseUrl, 'https://api.dfns.io');
  });

  it('never approves with the service account', () => {
    const env = { DFNS_AUTH_TOKEN: 'same', DFNS_BASE_URL: 'https://api.dfns.io', DFNS_APPROVER_AUTH_TOKEN: 'same', DFNS_APPROVER_CRED_ID: 'c', DFNS_APPROVER_PRIVATE_KEY: 'k' };
    configError(() => resolveApproverIdentity(loadConfig(env), undefined), /service account's own/);
    assert.equal(resolveApproverIdentity(loadConfig({ DFNS_CREDENTIALS_FILE: file }), undefined), undefined);
  });

  it('names DFNS_APPROVER_PRIVATE_KEY_FILE when it cannot be read', () => {
    const env = { DFNS_AUTH_TOKEN: 's', DFNS_BASE_URL: 'https://api.dfns.io', DFNS_APPROVER_AUTH_TOKEN: 'h', DFNS_APPROVER_CRED_ID: 'c', DFNS_APPROVER_PRIVATE_KEY_FILE: join(dir, 'missing.pem') };
    configError(() => resolveApproverIdentity(loadConfig(env), undefined), /DFNS_APPROVER_PRIVATE_KEY_FILE: cannot read .* \(ENOENT\)/);
  });
});
