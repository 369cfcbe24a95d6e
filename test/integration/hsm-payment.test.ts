// A payment signed through a PKCS#11 token end to end: `npm run dfns-setup service-account --key pkcs11` generates the
// service account's key pair inside a throw-away SoftHSM2 token and registers its public key with the sandbox; the
// real worker (its own process, DFNS_SIGNER=pkcs11, no PEM key anywhere in its environment) pays through the real
// @dfns/sdk; the sandbox verifies every user action against the registered public key and logs which credential
// signed it. The policies CLI signs through the same token.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { publicKeyPem } from '../../src/dfns/pkcs11/pkcs11-ec-key';
import { openPkcs11Token } from '../../src/dfns/pkcs11/pkcs11-token';
import { SERVICE_ACCOUNT_OPERATIONS } from '../../src/dfns/service-account-permissions';
import { nativeSepoliaRequest, startPaymentStack, type PaymentStack } from '../support/payment-stack';
import { createSoftHsmToken, type SoftHsmToken } from '../support/softhsm';
import { startWorkerProcess, type OurProcess } from '../support/worker-process';

const root = fileURLToPath(new URL('../..', import.meta.url));
const KEY_LABEL = 'payments-hsm-key';

interface Accepted {
  userId: string;
  credId: string;
  publicKey: string;
  method: string;
  path: string;
}

interface ServiceAccountFile {
  userId: string;
  authToken: string;
  credId: string;
  signer?: string;
  pkcs11?: { tokenLabel?: string; keyLabel?: string };
  privateKey?: string;
}

/** Runs one of our CLIs with exactly `env` (plus PATH and HOME), asynchronously: the sandbox runs in this process. */
function runCli(entry: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const childEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
    execFile(
      process.execPath,
      ['--import', 'tsx', entry, ...args],
      { cwd: root, env: childEnv },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const samePublicKey = (a: string, b: string) =>
  createPublicKey(a)
    .export({ type: 'spki', format: 'der' })
    .equals(createPublicKey(b).export({ type: 'spki', format: 'der' }));

describe('a payment signed through a PKCS#11 token (SoftHSM2)', { timeout: 300_000 }, () => {
  let stack: PaymentStack;
  let hsm: SoftHsmToken;
  let dir: string;
  let account: ServiceAccountFile;
  let tokenPublicKey: string;
  let worker: OurProcess | undefined;

  /** The variables that point a process at the token's key, as an operator would set them (no PEM key). */
  const hsmEnv = () => ({
    ...hsm.env,
    DFNS_SIGNER: 'pkcs11',
    DFNS_PKCS11_KEY_LABEL: KEY_LABEL,
    DFNS_AUTH_TOKEN: account.authToken,
    DFNS_CRED_ID: account.credId,
    DFNS_PRIVATE_KEY: '',
  });
  const accepted = async (): Promise<Accepted[]> => {
    const response = await fetch(`${stack.sandbox.url}/_sandbox/user-actions`);
    assert.ok(response.ok, `${response.status}`);
    return ((await response.json()) as { items: Accepted[] }).items;
  };

  before(async () => {
    hsm = createSoftHsmToken({ inProcess: true });
    dir = mkdtempSync(join(tmpdir(), 'hsm-payment-'));
    stack = await startPaymentStack({
      timeScale: 60,
      inProcessWorker: false,
      timings: { firstPollAfterMs: 1_500, maxPollIntervalMs: 3_000 },
    });
  });
  after(async () => {
    worker?.child.kill('SIGTERM');
    if (worker) await worker.exited;
    await stack?.stop();
    hsm?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('dfns-setup generates the key pair in the token and registers only its public key', async () => {
    const b = stack.sandbox.bootstrap;
    const out = join(dir, 'service-account.json');
    // The org's admin (the sandbox's bootstrap account, PEM) creates the account; its key goes into the token.
    const run = await runCli('src/cli/dfns-setup-main.ts', ['service-account', '--key', 'pkcs11', '--out', out], {
      DFNS_BASE_URL: stack.sandbox.url,
      DFNS_ORG_ID: b.orgId,
      DFNS_AUTH_TOKEN: b.authToken,
      DFNS_CRED_ID: b.credId,
      DFNS_PRIVATE_KEY: b.privateKey,
      ...hsm.env,
      DFNS_PKCS11_KEY_LABEL: KEY_LABEL,
    });
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /its key was generated in PKCS#11 token "dfns-payments", key "payments-hsm-key"/);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const text = readFileSync(out, 'utf8');
    account = JSON.parse(text) as ServiceAccountFile;
    assert.equal(account.signer, 'pkcs11');
    assert.deepEqual(account.pkcs11, {
      module: hsm.env.DFNS_PKCS11_MODULE,
      tokenLabel: 'dfns-payments',
      keyLabel: KEY_LABEL,
    });
    assert.equal(account.privateKey, undefined, 'no private key was written: none ever existed outside the token');
    const pin = readFileSync(hsm.env.DFNS_PKCS11_PIN_FILE as string, 'utf8').trim();
    assert.ok(!text.includes(pin) && !run.stdout.includes(pin) && !run.stderr.includes(pin), 'the PIN is nowhere');

    const token = openPkcs11Token(hsm.settings(KEY_LABEL));
    try {
      tokenPublicKey = publicKeyPem(token, KEY_LABEL);
    } finally {
      token.close();
    }
    const grants = (await (await fetch(`${stack.sandbox.url}/_sandbox/permission-grants`)).json()) as Record<
      string,
      string[]
    >;
    assert.deepEqual([...(grants[account.userId] ?? [])].sort(), [...SERVICE_ACCOUNT_OPERATIONS].sort());
  });

  it('the worker signs with the token, the payment is Confirmed, and the sandbox saw the token key sign it', async () => {
    assert.ok(account, 'needs the account dfns-setup made');
    worker = await startWorkerProcess(stack, { env: hsmEnv() });
    assert.match(worker.output(), /"signer":"PKCS#11 token \\"dfns-payments\\", key \\"payments-hsm-key\\"/);
    assert.match(worker.output(), /"credentials":"environment \(DFNS_\*\), key in a PKCS#11 token"/);

    const { paymentId } = await stack.client.start(nativeSepoliaRequest(stack, 'hsm-payment-1'));
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Confirmed', JSON.stringify(outcome));

    const walletId = stack.sandbox.bootstrap.walletId;
    const transfers = (await accepted()).filter(
      (action) => action.method === 'POST' && action.path === `/wallets/${walletId}/transfers`,
    );
    assert.equal(transfers.length, 1, 'one signed transfer request');
    const [transfer] = transfers as [Accepted];
    assert.equal(transfer.userId, account.userId);
    assert.equal(transfer.credId, account.credId);
    assert.ok(samePublicKey(transfer.publicKey, tokenPublicKey), "verified against the token's public key");
    assert.ok(!samePublicKey(transfer.publicKey, stack.sandbox.bootstrap.privateKey), 'not the PEM account key');
    const ours = (await stack.sandboxTransfers()).filter((t) => t.externalId?.startsWith(`${paymentId}:`));
    assert.deepEqual(
      ours.map((t) => [t.id, t.status]),
      [[outcome.transferId, 'Confirmed']],
    );
    assert.doesNotMatch(worker.output(), /"level":(50|60)/, 'no error logged');
  });

  it('the policies CLI signs through the same token', async () => {
    assert.ok(account, 'needs the account dfns-setup made');
    // An admin identity would hold these; here the token's account is given them for the run.
    const operations = [...SERVICE_ACCOUNT_OPERATIONS, 'Policies:Read', 'Policies:Create', 'Policies:Update'];
    const grant = await fetch(`${stack.sandbox.url}/_sandbox/permissions/${account.userId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operations }),
    });
    assert.ok(grant.ok, await grant.text());
    const b = stack.sandbox.bootstrap;
    const run = await runCli('src/cli/policies-main.ts', ['apply', '--set', 'high-volume'], {
      ...hsmEnv(),
      DFNS_PRIVATE_KEY: '',
      DFNS_BASE_URL: stack.sandbox.url,
      DFNS_ORG_ID: b.orgId,
      DFNS_APPROVER_USER_IDS: b.approvers.map((approver) => approver.userId).join(','),
      POLICY_WALLET_IDS: b.walletId,
    });
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const created = (await accepted()).filter((action) => action.method === 'POST' && action.path === '/v2/policies');
    assert.ok(created.length > 0, run.stdout);
    for (const action of created) {
      assert.equal(action.credId, account.credId);
      assert.ok(samePublicKey(action.publicKey, tokenPublicKey));
    }
  });
});
