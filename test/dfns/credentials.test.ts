// Tests src/dfns/credentials.ts and src/dfns/credentials-file.ts: the service account and approvers, from the
// DFNS_* variables or the sandbox credentials file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config';
import {
  readSandboxFixtures,
  resolveApproverIdentity,
  resolveDefaultWalletId,
  resolveDfnsCredentials,
  resolveWebhookSecrets,
} from '../../src/dfns/credentials';
import { omit } from '../contracts/omit';
import { configError } from '../support/config-error';

const TOKEN = 'eyJ.sandbox-token-value';

describe('resolveDfnsCredentials from DFNS_* variables', () => {
  const complete = {
    DFNS_AUTH_TOKEN: TOKEN,
    DFNS_BASE_URL: 'http://127.0.0.1:4000',
    DFNS_CRED_ID: 'cr-1',
    DFNS_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----',
    DFNS_CREDENTIALS_FILE: '/nonexistent/never-read.json',
  };

  it('uses the variables when DFNS_AUTH_TOKEN is set, turning \\n into newlines in the key', () => {
    const credentials = resolveDfnsCredentials(loadConfig({ ...complete, DFNS_ORG_ID: 'or-1' }));
    assert.deepEqual(credentials, {
      baseUrl: 'http://127.0.0.1:4000',
      orgId: 'or-1',
      authToken: TOKEN,
      credId: 'cr-1',
      privateKey: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
      source: 'environment (DFNS_*)',
    });
  });

  it('refuses DFNS_AUTH_TOKEN without DFNS_CRED_ID, naming only the missing variable and not the token', () => {
    const env = omit(complete, 'DFNS_CRED_ID');
    const message = configError(
      () => resolveDfnsCredentials(loadConfig(env)),
      /DFNS_AUTH_TOKEN is set/,
      /DFNS_CRED_ID/,
    );
    assert.doesNotMatch(message, /DFNS_BASE_URL|DFNS_PRIVATE_KEY/);
    assert.ok(!message.includes(TOKEN));
  });

  it('names every missing variable', () => {
    configError(
      () => resolveDfnsCredentials(loadConfig({ DFNS_AUTH_TOKEN: TOKEN })),
      /DFNS_BASE_URL, DFNS_CRED_ID, DFNS_PRIVATE_KEY or DFNS_PRIVATE_KEY_FILE/,
    );
  });

  describe('with DFNS_PRIVATE_KEY_FILE', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'config-key-'));
    });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads the key from the file', () => {
      const keyFile = join(dir, 'key.pem');
      writeFileSync(keyFile, '-----BEGIN PRIVATE KEY-----\nfromfile\n-----END PRIVATE KEY-----\n');
      const env = omit(complete, 'DFNS_PRIVATE_KEY');
      const credentials = resolveDfnsCredentials(loadConfig({ ...env, DFNS_PRIVATE_KEY_FILE: keyFile }));
      assert.equal(credentials.privateKey, '-----BEGIN PRIVATE KEY-----\nfromfile\n-----END PRIVATE KEY-----\n');
    });

    // A wrong path must be a ConfigError naming the variable, not a bare ENOENT from readFileSync.
    it('refuses a missing key file with a ConfigError naming DFNS_PRIVATE_KEY_FILE', () => {
      const env = omit(complete, 'DFNS_PRIVATE_KEY');
      configError(
        () => resolveDfnsCredentials(loadConfig({ ...env, DFNS_PRIVATE_KEY_FILE: join(dir, 'missing.pem') })),
        /DFNS_PRIVATE_KEY_FILE/,
      );
    });
  });
});

describe('resolveDfnsCredentials with DFNS_SIGNER=pkcs11', () => {
  const PIN = 'pin-never-shown-4711';
  let dir: string;
  let pinFile: string;
  const base = () => ({
    DFNS_AUTH_TOKEN: TOKEN,
    DFNS_BASE_URL: 'http://127.0.0.1:4000',
    DFNS_CRED_ID: 'cr-hsm',
    DFNS_SIGNER: 'pkcs11',
    DFNS_PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so',
    DFNS_PKCS11_TOKEN_LABEL: 'payments',
    DFNS_PKCS11_PIN_FILE: pinFile,
    DFNS_CREDENTIALS_FILE: '/nonexistent/never-read.json',
  });
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'config-pkcs11-'));
    pinFile = join(dir, 'pin');
    writeFileSync(pinFile, `${PIN}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names the token and the key, reads the PIN from its file, and carries no PEM key', () => {
    const credentials = resolveDfnsCredentials(loadConfig(base()));
    assert.deepEqual(credentials, {
      baseUrl: 'http://127.0.0.1:4000',
      orgId: undefined,
      authToken: TOKEN,
      credId: 'cr-hsm',
      pkcs11: {
        module: '/usr/lib/softhsm/libsofthsm2.so',
        tokenLabel: 'payments',
        keyLabel: 'dfns-service-account',
        pin: PIN,
        pinSource: 'DFNS_PKCS11_PIN_FILE',
      },
      source: 'environment (DFNS_*), key in a PKCS#11 token',
    });
  });

  it('takes a slot id instead of a token label, a key label, and an inline PIN', () => {
    const env = {
      ...omit(base(), 'DFNS_PKCS11_TOKEN_LABEL', 'DFNS_PKCS11_PIN_FILE'),
      DFNS_PKCS11_SLOT: '1848877624',
      DFNS_PKCS11_KEY_LABEL: 'payments-2027',
      DFNS_PKCS11_PIN: PIN,
    };
    const { pkcs11 } = resolveDfnsCredentials(loadConfig(env));
    assert.deepEqual(pkcs11, {
      module: '/usr/lib/softhsm/libsofthsm2.so',
      slotId: 1848877624n,
      keyLabel: 'payments-2027',
      pin: PIN,
      pinSource: 'DFNS_PKCS11_PIN',
    });
  });

  it('names every missing variable', () => {
    const env = omit(base(), 'DFNS_PKCS11_MODULE', 'DFNS_PKCS11_TOKEN_LABEL', 'DFNS_PKCS11_PIN_FILE', 'DFNS_CRED_ID');
    configError(() => resolveDfnsCredentials(loadConfig(env)), /DFNS_SIGNER=pkcs11 is set, so .*: DFNS_CRED_ID$/);
    configError(
      () => resolveDfnsCredentials(loadConfig({ ...env, DFNS_CRED_ID: 'cr-hsm' })),
      /^DFNS_SIGNER=pkcs11 is set, so these are required too: DFNS_PKCS11_MODULE, DFNS_PKCS11_TOKEN_LABEL or DFNS_PKCS11_SLOT, DFNS_PKCS11_PIN_FILE or DFNS_PKCS11_PIN$/,
    );
  });

  it('needs the account of its own key: not the sandbox file, whose account has a PEM key', () => {
    const env = omit(base(), 'DFNS_AUTH_TOKEN', 'DFNS_CRED_ID');
    configError(
      () => resolveDfnsCredentials(loadConfig(env)),
      /DFNS_SIGNER=pkcs11 is set, so .*DFNS_AUTH_TOKEN, DFNS_CRED_ID/,
    );
  });

  it('refuses a PEM key given as well, and two sources of one setting', () => {
    configError(
      () => resolveDfnsCredentials(loadConfig({ ...base(), DFNS_PRIVATE_KEY_FILE: '/run/secrets/key.pem' })),
      /^DFNS_SIGNER=pkcs11 signs with the token's key: unset DFNS_PRIVATE_KEY_FILE$/,
    );
    configError(
      () => resolveDfnsCredentials(loadConfig({ ...base(), DFNS_PKCS11_SLOT: '1', DFNS_PKCS11_PIN: PIN })),
      /set one of DFNS_PKCS11_TOKEN_LABEL and DFNS_PKCS11_SLOT, not both; set one of DFNS_PKCS11_PIN and DFNS_PKCS11_PIN_FILE/,
    );
  });

  it('names the PIN file it cannot read or that is empty, never a PIN', () => {
    const missing = configError(
      () => resolveDfnsCredentials(loadConfig({ ...base(), DFNS_PKCS11_PIN_FILE: join(dir, 'missing') })),
      /^DFNS_PKCS11_PIN_FILE: cannot read .*missing \(ENOENT\)$/,
    );
    assert.ok(!missing.includes(PIN));
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    configError(
      () => resolveDfnsCredentials(loadConfig({ ...base(), DFNS_PKCS11_PIN_FILE: empty })),
      /^DFNS_PKCS11_PIN_FILE: .*empty is empty$/,
    );
  });

  it('refuses an unknown DFNS_SIGNER and a malformed slot id, naming the variable', () => {
    configError(() => loadConfig({ ...base(), DFNS_SIGNER: 'aws-kms' }), /DFNS_SIGNER/);
    configError(() => loadConfig({ ...base(), DFNS_PKCS11_SLOT: '0x10' }), /DFNS_PKCS11_SLOT: must be a slot id/);
  });
});

describe('the sandbox credentials file', () => {
  let dir: string;
  let file: string;
  const contents = {
    baseUrl: 'http://127.0.0.1:4100',
    orgId: 'or-sandbox',
    authToken: TOKEN,
    credId: 'cr-sandbox',
    privateKey: '-----BEGIN PRIVATE KEY-----\nsandbox\n-----END PRIVATE KEY-----',
    walletId: 'wa-sandbox',
    webhookSecret: 'whsec_sandbox',
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'config-creds-'));
    file = join(dir, 'dfns-sandbox.json');
    writeFileSync(file, JSON.stringify(contents));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('supplies the credentials when DFNS_AUTH_TOKEN is not set', () => {
    assert.deepEqual(resolveDfnsCredentials(loadConfig({ DFNS_CREDENTIALS_FILE: file })), {
      baseUrl: 'http://127.0.0.1:4100',
      orgId: 'or-sandbox',
      authToken: TOKEN,
      credId: 'cr-sandbox',
      privateKey: contents.privateKey,
      source: `sandbox credentials file ${file}`,
    });
  });

  it('lets DFNS_BASE_URL override the file’s base URL', () => {
    const credentials = resolveDfnsCredentials(
      loadConfig({ DFNS_CREDENTIALS_FILE: file, DFNS_BASE_URL: 'http://127.0.0.1:5000' }),
    );
    assert.equal(credentials.baseUrl, 'http://127.0.0.1:5000');
    assert.equal(credentials.credId, 'cr-sandbox');
  });

  it('supplies the webhook secret unless DFNS_WEBHOOK_SECRETS is set', () => {
    assert.deepEqual(resolveWebhookSecrets(loadConfig({ DFNS_CREDENTIALS_FILE: file })), ['whsec_sandbox']);
    assert.deepEqual(resolveWebhookSecrets(loadConfig({ DFNS_CREDENTIALS_FILE: file, DFNS_WEBHOOK_SECRETS: 'a,b' })), [
      'a',
      'b',
    ]);
  });

  it('supplies the default wallet unless DFNS_WALLET_ID is set', () => {
    assert.equal(resolveDefaultWalletId(loadConfig({ DFNS_CREDENTIALS_FILE: file })), 'wa-sandbox');
    assert.equal(
      resolveDefaultWalletId(loadConfig({ DFNS_CREDENTIALS_FILE: file, DFNS_WALLET_ID: 'wa-env' })),
      'wa-env',
    );
  });

  it('refuses a missing file with a ConfigError that says how to fix it', () => {
    const missing = join(dir, 'missing.json');
    configError(
      () => resolveDfnsCredentials(loadConfig({ DFNS_CREDENTIALS_FILE: missing })),
      new RegExp(`${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not exist`),
      /npm run dev/,
      /DFNS_AUTH_TOKEN, DFNS_CRED_ID, DFNS_PRIVATE_KEY, DFNS_BASE_URL/,
    );
    configError(
      () => resolveWebhookSecrets(loadConfig({ DFNS_CREDENTIALS_FILE: missing })),
      /DFNS_WEBHOOK_SECRETS/,
      /npm run dev/,
    );
  });

  it('names the file and why it cannot give the default wallet, and how else to name one', () => {
    const missing = join(dir, 'missing.json');
    configError(
      () => resolveDefaultWalletId(loadConfig({ DFNS_CREDENTIALS_FILE: missing })),
      /^the default wallet \(DFNS_WALLET_ID, else the sandbox's, from DFNS_CREDENTIALS_FILE\) cannot be read: /,
      new RegExp(`${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not exist`),
    );
    const notJson = join(dir, 'wallet-not-json.json');
    writeFileSync(notJson, '{ not json');
    configError(
      () => resolveDefaultWalletId(loadConfig({ DFNS_CREDENTIALS_FILE: notJson })),
      /wallet-not-json\.json is not JSON/,
    );
  });

  it('refuses a file that is not JSON', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    configError(() => resolveDfnsCredentials(loadConfig({ DFNS_CREDENTIALS_FILE: bad })), /is not JSON/);
  });

  it('refuses a file missing a field, naming the field and not leaking the token', () => {
    const partial = join(dir, 'partial.json');
    const rest = omit(contents, 'credId');
    writeFileSync(partial, JSON.stringify(rest));
    const message = configError(
      () => resolveDfnsCredentials(loadConfig({ DFNS_CREDENTIALS_FILE: partial })),
      /is not a Dfns credentials file: credId/,
    );
    assert.ok(!message.includes(TOKEN));
  });
});

const approverDir = mkdtempSync(join(tmpdir(), 'approver-identity-'));
const approverFile = join(approverDir, 'dfns-sandbox.json');
writeFileSync(
  approverFile,
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
after(() => rmSync(approverDir, { recursive: true, force: true }));

describe('resolveApproverIdentity', () => {
  it('picks a sandbox approver by name, with its own token and key', () => {
    const identity = resolveApproverIdentity(loadConfig({ DFNS_CREDENTIALS_FILE: approverFile }), 'approver-2');
    assert.equal(identity?.label, 'approver-2');
    assert.equal(identity?.userId, 'us-2');
    assert.deepEqual(
      { ...identity?.credentials, source: undefined },
      {
        baseUrl: 'http://127.0.0.1:9999',
        orgId: 'or-1',
        authToken: 'token-2',
        credId: 'cred-2',
        privateKey: 'key-2',
        source: undefined,
      },
    );
  });

  it('lists the sandbox approvers when the name is unknown', () => {
    configError(
      () => resolveApproverIdentity(loadConfig({ DFNS_CREDENTIALS_FILE: approverFile }), 'approver-9'),
      /--as approver-9: no such approver .* \(it has: approver-1, approver-2\)/,
    );
  });

  it('reads DFNS_APPROVER_* for a real org and requires all of them', () => {
    const env = { DFNS_AUTH_TOKEN: 'service', DFNS_BASE_URL: 'https://api.dfns.io', DFNS_APPROVER_AUTH_TOKEN: 'human' };
    configError(
      () => resolveApproverIdentity(loadConfig(env), undefined),
      /required too: DFNS_APPROVER_CRED_ID, DFNS_APPROVER_PRIVATE_KEY or DFNS_APPROVER_PRIVATE_KEY_FILE$/,
    );
    const identity = resolveApproverIdentity(
      loadConfig({ ...env, DFNS_APPROVER_CRED_ID: 'c', DFNS_APPROVER_PRIVATE_KEY: 'a\\nb' }),
      undefined,
    );
    assert.equal(identity?.credentials.authToken, 'human');
    assert.equal(identity?.credentials.privateKey, 'a\nb');
    assert.equal(identity?.credentials.baseUrl, 'https://api.dfns.io');
  });

  it('never approves with the service account', () => {
    const env = {
      DFNS_AUTH_TOKEN: 'same',
      DFNS_BASE_URL: 'https://api.dfns.io',
      DFNS_APPROVER_AUTH_TOKEN: 'same',
      DFNS_APPROVER_CRED_ID: 'c',
      DFNS_APPROVER_PRIVATE_KEY: 'k',
    };
    configError(() => resolveApproverIdentity(loadConfig(env), undefined), /service account's own/);
    assert.equal(resolveApproverIdentity(loadConfig({ DFNS_CREDENTIALS_FILE: approverFile }), undefined), undefined);
  });

  it('names DFNS_APPROVER_PRIVATE_KEY_FILE when it cannot be read', () => {
    const env = {
      DFNS_AUTH_TOKEN: 's',
      DFNS_BASE_URL: 'https://api.dfns.io',
      DFNS_APPROVER_AUTH_TOKEN: 'h',
      DFNS_APPROVER_CRED_ID: 'c',
      DFNS_APPROVER_PRIVATE_KEY_FILE: join(approverDir, 'missing.pem'),
    };
    configError(
      () => resolveApproverIdentity(loadConfig(env), undefined),
      /DFNS_APPROVER_PRIVATE_KEY_FILE: cannot read .* \(ENOENT\)/,
    );
  });
});

describe('one credentials module for the service account and approvers', () => {
  const service = {
    baseUrl: 'http://127.0.0.1:4100',
    orgId: 'or-sandbox',
    authToken: 'file-token',
    credId: 'file-cred',
    privateKey: 'file-key',
    walletId: 'wa-sandbox',
  };
  let dir: string;
  const write = (name: string, contents: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(contents));
    return path;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'credentials-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets the environment win over the file for the service account and the approver', () => {
    const file = write('both.json', {
      ...service,
      approvers: [{ name: 'approver-1', userId: 'us-1', authToken: 't1', credId: 'c1', privateKey: 'k1' }],
    });
    const env = {
      DFNS_CREDENTIALS_FILE: file,
      DFNS_AUTH_TOKEN: TOKEN,
      DFNS_BASE_URL: 'https://api.dfns.io',
      DFNS_CRED_ID: 'cr-env',
      DFNS_PRIVATE_KEY: 'env-key',
    };
    const credentials = resolveDfnsCredentials(loadConfig(env));
    assert.deepEqual(
      [credentials.authToken, credentials.credId, credentials.baseUrl, credentials.source],
      [TOKEN, 'cr-env', 'https://api.dfns.io', 'environment (DFNS_*)'],
    );
    const approverEnv = {
      ...env,
      DFNS_APPROVER_AUTH_TOKEN: 'human',
      DFNS_APPROVER_CRED_ID: 'cr-human',
      DFNS_APPROVER_PRIVATE_KEY: 'human-key',
    };
    const approver = resolveApproverIdentity(loadConfig(approverEnv), undefined);
    assert.equal(approver?.credentials.authToken, 'human');
    assert.equal(approver?.credentials.source, 'environment (DFNS_APPROVER_*)');
    // DFNS_BASE_URL also overrides the file for a sandbox approver picked with --as.
    assert.equal(
      resolveApproverIdentity(
        loadConfig({ DFNS_CREDENTIALS_FILE: file, DFNS_BASE_URL: 'http://127.0.0.1:5000' }),
        'approver-1',
      )?.credentials.baseUrl,
      'http://127.0.0.1:5000',
    );
  });

  it('takes the sandbox base URL from the file for a DFNS_APPROVER_* user, and requires DFNS_BASE_URL with a real org', () => {
    const file = write('service.json', service);
    const approverEnv = {
      DFNS_CREDENTIALS_FILE: file,
      DFNS_APPROVER_AUTH_TOKEN: 'human',
      DFNS_APPROVER_CRED_ID: 'cr-human',
      DFNS_APPROVER_PRIVATE_KEY: 'k',
    };
    assert.equal(
      resolveApproverIdentity(loadConfig(approverEnv), undefined)?.credentials.baseUrl,
      'http://127.0.0.1:4100',
    );
    const realOrg = { ...omit(approverEnv, 'DFNS_APPROVER_CRED_ID'), DFNS_AUTH_TOKEN: TOKEN };
    const message = configError(
      () => resolveApproverIdentity(loadConfig(realOrg), undefined),
      /^DFNS_APPROVER_AUTH_TOKEN is set, so these are required too: DFNS_APPROVER_CRED_ID, DFNS_BASE_URL$/,
    );
    assert.ok(!message.includes('human'));
  });

  it('reads an approver key file as it is, and turns a written-out \\n in an inline key into a newline', () => {
    const keyFile = join(dir, 'approver.pem');
    writeFileSync(keyFile, '-----BEGIN PRIVATE KEY-----\nhuman\n-----END PRIVATE KEY-----\n');
    const env = {
      DFNS_AUTH_TOKEN: 's',
      DFNS_BASE_URL: 'https://api.dfns.io',
      DFNS_APPROVER_AUTH_TOKEN: 'h',
      DFNS_APPROVER_CRED_ID: 'c',
    };
    const fromFile = resolveApproverIdentity(
      loadConfig({ ...env, DFNS_APPROVER_PRIVATE_KEY_FILE: keyFile }),
      undefined,
    );
    assert.equal(fromFile?.credentials.privateKey, '-----BEGIN PRIVATE KEY-----\nhuman\n-----END PRIVATE KEY-----\n');
    // The inline key wins when both are given, as it does for the service account.
    const inline = resolveApproverIdentity(
      loadConfig({ ...env, DFNS_APPROVER_PRIVATE_KEY: 'x\\ny', DFNS_APPROVER_PRIVATE_KEY_FILE: keyFile }),
      undefined,
    );
    assert.equal(inline?.credentials.privateKey, 'x\ny');
  });

  it('names the malformed field of the file, inside approvers and the token too', () => {
    const badApprover = write('bad-approver.json', {
      ...service,
      approvers: [{ name: 'approver-1', userId: 'us-1', authToken: 't', privateKey: 'k' }],
    });
    configError(
      () => resolveApproverIdentity(loadConfig({ DFNS_CREDENTIALS_FILE: badApprover }), 'approver-1'),
      /is not a Dfns credentials file: approvers\.0\.credId: /,
    );
    const badToken = write('bad-erc20.json', { ...service, erc20: { contract: '0x1', symbol: 'USDC', decimals: '6' } });
    configError(
      () => resolveDfnsCredentials(loadConfig({ DFNS_CREDENTIALS_FILE: badToken })),
      /is not a Dfns credentials file: erc20\.decimals: /,
    );
    const badUrl = write('bad-url.json', { ...service, baseUrl: 'not a url' });
    const message = configError(
      () => readSandboxFixtures(loadConfig({ DFNS_CREDENTIALS_FILE: badUrl })),
      /is not a Dfns credentials file: baseUrl: /,
    );
    assert.ok(!message.includes('file-token'));
  });

  it('says which field is missing when the bridge needs the webhook secret', () => {
    const file = write('no-secret.json', service);
    configError(
      () => resolveWebhookSecrets(loadConfig({ DFNS_CREDENTIALS_FILE: file })),
      /has no webhookSecret: set DFNS_WEBHOOK_SECRETS$/,
    );
  });

  it('lists the sandbox wallets, or the single funded wallet of an older file', () => {
    const older = write('older.json', service);
    assert.deepEqual(readSandboxFixtures(loadConfig({ DFNS_CREDENTIALS_FILE: older })).walletIds, ['wa-sandbox']);
    assert.deepEqual(readSandboxFixtures(loadConfig({ DFNS_CREDENTIALS_FILE: older })).approvers, []);
    const newer = write('newer.json', {
      ...service,
      wallets: [{ walletId: 'wa-eth', network: 'EthereumSepolia' }, { walletId: 'wa-base' }],
    });
    assert.deepEqual(readSandboxFixtures(loadConfig({ DFNS_CREDENTIALS_FILE: newer })).walletIds, [
      'wa-eth',
      'wa-base',
    ]);
  });
});
