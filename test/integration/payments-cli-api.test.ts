import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createApiKeyVerifier, parseApiKeyEntry } from '../../src/api/api-keys';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a process (asynchronously: the worker in this process must keep working meanwhile). */
const cli = (env: Record<string, string | undefined>, ...args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    const base = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DFNS_CREDENTIALS_FILE: '/nonexistent/credentials.json',
    };
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { cwd: root, env: { ...base, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });

describe('payments mint-key', () => {
  it('prints a key once and the hash line that verifies it', async () => {
    const run = await cli({}, 'mint-key', '--client', 'acme', '--scopes', 'payments:read,payments:write', '--json');
    assert.equal(run.code, 0, run.stderr);
    const minted = JSON.parse(run.stdout) as { key: string; entry: string; clientId: string };
    assert.ok(!minted.entry.includes(minted.key.slice(16)), 'the line holds only the hash');
    assert.deepEqual(createApiKeyVerifier([parseApiKeyEntry(minted.entry)])(minted.key)?.scopes, [
      'payments:read',
      'payments:write',
    ]);
    const text = await cli({}, 'mint-key', '--client', 'acme');
    assert.match(text.stdout, /shown once/);
    assert.equal((await cli({}, 'mint-key', '--client', 'ACME')).code, 1);
    assert.equal((await cli({}, 'mint-key', '--client', 'acme', '--scopes', 'payments:admin')).code, 1);
  });
});

describe('payments CLI through the API and through Temporal: --json and exit codes', { timeout: 180_000 }, () => {
  let stack: PaymentStack;
  let key: string;
  let readOnly: string;
  let temporalEnv: Record<string, string>;
  let apiEnv: Record<string, string>;

  before(async () => {
    const minted = JSON.parse((await cli({}, 'mint-key', '--client', 'cli', '--json')).stdout) as {
      key: string;
      entry: string;
    };
    const reader = JSON.parse(
      (await cli({}, 'mint-key', '--client', 'cli', '--scopes', 'payments:read', '--json')).stdout,
    ) as { key: string; entry: string };
    key = minted.key;
    readOnly = reader.key;
    stack = await startPaymentStack({
      timeScale: 10,
      apiKeys: [parseApiKeyEntry(minted.entry), parseApiKeyEntry(reader.entry)],
      // The sandbox's wallets, and one Dfns does not know, bound on purpose: a payment from it reaches Dfns and
      // fails there (exit 2), through the API as on Temporal.
      clients: (bootstrap) => {
        const wallets = [...bootstrap.wallets.map((wallet) => wallet.walletId), 'wa-does-not-exist'];
        return { version: 1, clients: [{ id: 'cli', wallets }], withoutClient: { wallets } };
      },
    });
    temporalEnv = { ...stack.temporalEnv, TEMPORAL_TASK_QUEUE: stack.taskQueue };
    apiEnv = { PAYMENTS_API_URL: stack.bridgeUrl, PAYMENTS_API_KEY: key };
  });
  after(async () => {
    await stack?.stop();
  });

  const payArgs = (idempotencyKey: string, wallet = stack.sandbox.bootstrap.walletId) => [
    'pay',
    '--key',
    idempotencyKey,
    '--wallet',
    wallet,
    '--network',
    stack.sandbox.bootstrap.network,
    '--asset',
    'native',
    '--to',
    RECIPIENT,
    '--amount',
    '1000',
  ];

  it('pays through the API and follows it to Confirmed (exit 0), as JSON', async () => {
    const run = await cli(apiEnv, ...payArgs('cli-api-1'), '--json');
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as {
      paymentId: string;
      created: boolean;
      payment: { status: string; txHash: string };
    };
    assert.equal(result.paymentId, 'payment:cli:cli-api-1');
    assert.equal(result.created, true);
    assert.equal(result.payment.status, 'Confirmed');
    const again = await cli(apiEnv, ...payArgs('cli-api-1'), '--no-follow', '--json');
    assert.deepEqual(JSON.parse(again.stdout), { paymentId: 'payment:cli:cli-api-1', created: false });
    const status = await cli(apiEnv, 'status', 'payment:cli:cli-api-1', '--json');
    assert.equal(JSON.parse(status.stdout).status, 'Confirmed');
    const list = await cli({ PAYMENTS_API_KEY: key }, 'list', '--api', stack.bridgeUrl, '--json');
    assert.equal(list.code, 0, list.stderr);
    assert.ok(
      (JSON.parse(list.stdout).items as { paymentId: string }[]).every((item) =>
        item.paymentId.startsWith('payment:cli:'),
      ),
    );
  });

  it('exits 2 when `wait` sees a payment end without confirmation, through Temporal and through the API', async () => {
    const start = await cli(temporalEnv, ...payArgs('cli-fail', 'wa-does-not-exist'), '--no-follow');
    assert.equal(start.code, 0, start.stderr);
    const waited = await cli(temporalEnv, 'wait', 'cli-fail');
    assert.equal(waited.code, 2, waited.stdout);
    assert.match(waited.stdout, /payment:cli-fail: Failed/);
    const viaApi = await cli(apiEnv, ...payArgs('cli-api-fail', 'wa-does-not-exist'), '--json');
    assert.equal(viaApi.code, 2, viaApi.stderr);
    assert.equal(JSON.parse(viaApi.stdout).payment.status, 'Failed');
    const waitedApi = await cli(apiEnv, 'wait', 'payment:cli:cli-api-fail', '--json');
    assert.equal(waitedApi.code, 2);
    assert.equal(JSON.parse(waitedApi.stdout).status, 'Failed');
  });

  it('exits 3 for a reused key, an unknown payment and a refused action; 1 for bad input; 5 for a bad key; 4 when unreachable', async () => {
    const conflict = await cli(apiEnv, ...payArgs('cli-api-1').map((arg) => (arg === '1000' ? '1001' : arg)), '--json');
    assert.equal(conflict.code, 3, conflict.stderr);
    assert.equal(JSON.parse(conflict.stderr).error.kind, 'refused');
    assert.equal((await cli(apiEnv, 'status', 'payment:cli:nope')).code, 3);
    const refused = await cli(apiEnv, 'cancel', 'payment:cli:cli-api-1', '--reason', 'late');
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /closed \(Confirmed\)/);
    const temporalRefused = await cli(temporalEnv, 'retry', 'cli-fail');
    assert.equal(temporalRefused.code, 3, temporalRefused.stderr);

    const bad = await cli(apiEnv, ...payArgs('cli-bad').map((arg) => (arg === '1000' ? '1.5' : arg)));
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--amount: must be a positive integer string/);
    assert.equal((await cli(apiEnv, 'status', 'not-an-id')).code, 1, 'through the API, payments are named by id');
    assert.equal((await cli({ PAYMENTS_API_URL: stack.bridgeUrl }, 'list')).code, 1, 'no key');

    const forged = await cli({ ...apiEnv, PAYMENTS_API_KEY: `${key.slice(0, -2)}xx` }, 'list', '--json');
    assert.equal(forged.code, 5);
    assert.equal(JSON.parse(forged.stderr).error.kind, 'unauthorized');
    const scope = await cli({ ...apiEnv, PAYMENTS_API_KEY: readOnly }, ...payArgs('cli-ro'));
    assert.equal(scope.code, 5);
    assert.match(scope.stderr, /payments:write/);

    assert.equal((await cli({ ...apiEnv, PAYMENTS_API_URL: 'http://127.0.0.1:1' }, 'list')).code, 4);
    assert.equal((await cli({ TEMPORAL_ADDRESS: '127.0.0.1:1' }, 'list')).code, 4);
  });
});
