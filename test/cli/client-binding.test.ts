// The CLI on Temporal checks the payer against the clients file configured for it, before it connects to anything.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXIT } from '../../src/cli/exit-codes';
import { EXAMPLE_CLIENTS_FILE } from '../../src/clients/load-clients-file';
import { EXAMPLE_POOLS_FILE } from '../../src/pools/load-pool-file';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const ACME_WALLET = 'wa-01jacme000000000000000001';
const GLOBEX_WALLET = 'wa-01jglobex00000000000000001';

/** Runs `payments …` with the example clients and pools files, and a Temporal address where nothing listens. */
function payments(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          TEMPORAL_ADDRESS: '127.0.0.1:1',
          PAYMENT_CLIENTS_FILE: EXAMPLE_CLIENTS_FILE,
          PAYMENT_POOLS_FILE: EXAMPLE_POOLS_FILE,
          ...env,
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const pay = (...payer: string[]) => [
  'pay',
  '--key',
  'bound-1',
  '--network',
  'EthereumSepolia',
  '--to',
  RECIPIENT,
  '--amount',
  '5',
  ...payer,
];

describe('payments on Temporal with a clients file', { timeout: 120_000 }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'client-cli-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("refuses another client's wallet as an unknown one, naming --wallet, exit 1, without connecting", async () => {
    const theirs = await payments(pay('--wallet', GLOBEX_WALLET), { PAYMENTS_CLIENT_ID: 'acme' });
    const unknown = await payments(pay('--wallet', 'wa-nobody-1'), { PAYMENTS_CLIENT_ID: 'acme' });
    assert.equal(theirs.code, EXIT.usage, theirs.stderr);
    assert.equal(theirs.stderr, unknown.stderr);
    assert.match(theirs.stderr, /invalid payment request:\n {2}--wallet: is not a wallet this client may pay from/);
    assert.doesNotMatch(theirs.stderr, /cannot reach Temporal/);
  });

  it("refuses another client's pool, and any wallet to a payment without a client unless bound to none", async () => {
    const pool = await payments(pay('--asset', 'native', '--pool', 'eth-sepolia'), { PAYMENTS_CLIENT_ID: 'acme' });
    assert.equal(pool.code, EXIT.usage, pool.stderr);
    assert.match(pool.stderr, /--pool: is not a pool this client may pay from/);
    const anonymous = await payments(pay('--wallet', ACME_WALLET));
    assert.equal(anonymous.code, EXIT.usage, anonymous.stderr);
    assert.match(anonymous.stderr, /--wallet: is not a wallet this client may pay from/);
  });

  it('lets a bound payment through to Temporal (which is not there: exit 4)', async () => {
    const run = await payments(pay('--wallet', ACME_WALLET), { PAYMENTS_CLIENT_ID: 'acme' });
    assert.equal(run.code, EXIT.unavailable, run.stderr);
    assert.match(run.stderr, /cannot reach Temporal/);
  });

  it('lists a batch row of another client with its line, exit 1, nothing started', async () => {
    const file = join(dir, 'rows.csv');
    await writeFile(
      file,
      [
        'key,walletId,network,asset,to,amount',
        `r1,${ACME_WALLET},EthereumSepolia,native,${RECIPIENT},5`,
        `r2,${GLOBEX_WALLET},EthereumSepolia,native,${RECIPIENT},5`,
      ].join('\n'),
    );
    const run = await payments(['batch', file, '--key', 'run-1'], { PAYMENTS_CLIENT_ID: 'acme' });
    assert.equal(run.code, EXIT.usage, run.stderr);
    assert.match(run.stderr, /^ {2}row 2 \(line 3\) walletId: is not a wallet this client may pay from$/m);
    assert.doesNotMatch(run.stderr, /row 1/);
  });

  it('refuses a PAYMENTS_CLIENT_ID that is not a client id, naming the variable', async () => {
    const run = await payments(pay('--wallet', ACME_WALLET), { PAYMENTS_CLIENT_ID: 'Acme:1' });
    assert.equal(run.code, EXIT.usage, run.stderr);
    assert.match(run.stderr, /PAYMENTS_CLIENT_ID: must be a client id/);
  });
});
