// `npm run dfns-setup` refusing bad input before it asks Dfns anything: exit 1 and one line naming the flag or the
// variable. (Its successful runs, PEM and PKCS#11, are in test/dfns/service-account-setup.test.ts and
// test/integration/hsm-payment.test.ts.)
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Admin credentials for an org where nothing listens: any call to it would fail, so none must be made. */
const ADMIN = {
  DFNS_BASE_URL: 'http://127.0.0.1:1',
  DFNS_AUTH_TOKEN: 'admin-token',
  DFNS_CRED_ID: 'admin-cred',
  DFNS_PRIVATE_KEY: 'not used',
};

function dfnsSetup(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const childEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/dfns-setup-main.ts', 'service-account', ...args],
      { cwd: root, env: childEnv },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('dfns-setup service-account refuses bad input with exit 1', { timeout: 120_000 }, () => {
  it('names a key source it does not know, and --existing-key without --key pkcs11', async () => {
    const unknown = await dfnsSetup(['--key', 'aws-kms'], ADMIN);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr.trim(), 'dfns-setup: --key: pem or pkcs11');
    const existing = await dfnsSetup(['--existing-key'], ADMIN);
    assert.equal(existing.code, 1);
    assert.equal(existing.stderr.trim(), 'dfns-setup: --existing-key goes with --key pkcs11');
  });

  it('with --key pkcs11, names every DFNS_PKCS11_* variable missing, and never the PIN it was given', async () => {
    const run = await dfnsSetup(['--key', 'pkcs11'], { ...ADMIN, DFNS_PKCS11_PIN: 'pin-4711' });
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr.trim(),
      'dfns-setup: --key pkcs11 is given, so these are required too: DFNS_PKCS11_MODULE, ' +
        'DFNS_PKCS11_TOKEN_LABEL or DFNS_PKCS11_SLOT',
    );
    const missingModule = await dfnsSetup(['--key', 'pkcs11'], {
      ...ADMIN,
      DFNS_PKCS11_PIN: 'pin-4711',
      DFNS_PKCS11_TOKEN_LABEL: 'payments',
      DFNS_PKCS11_MODULE: '/nonexistent/libpkcs11.so',
    });
    assert.equal(missingModule.code, 1);
    assert.match(missingModule.stderr, /^dfns-setup: DFNS_PKCS11_MODULE: cannot load \/nonexistent\/libpkcs11\.so/);
    assert.ok(!`${run.stderr}${missingModule.stderr}`.includes('pin-4711'));
  });
});
