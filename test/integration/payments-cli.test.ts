import { WorkflowNotFoundError } from '@temporalio/client';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { paymentIdFor } from '../../src/contracts/payment-id';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('payments CLI', { timeout: 180_000 }, () => {
  let stack: PaymentStack;
  before(async () => {
    stack = await startPaymentStack({ timeScale: 10 });
  });
  after(async () => {
    await stack?.stop();
  });

  // Asynchronous on purpose: the worker runs in this process and must keep working while the CLI waits.
  const cli = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      const env = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...stack.temporalEnv,
        TEMPORAL_TASK_QUEUE: stack.taskQueue,
        DFNS_CREDENTIALS_FILE: '/nonexistent/credentials.json',
      };
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', ...args],
        { cwd: root, env },
        (error, stdout, stderr) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
        },
      );
    });

  const payArgs = (key: string) => [
    'pay',
    '--key',
    key,
    '--wallet',
    stack.sandbox.bootstrap.walletId,
    '--network',
    stack.sandbox.bootstrap.network,
    '--asset',
    `erc20:${stack.sandbox.bootstrap.erc20.contract}`,
    '--symbol',
    'USDC',
    '--decimals',
    '6',
    '--to',
    RECIPIENT,
    '--amount',
    '2500000',
    '--reference',
    'cli payout',
  ];

  it('starts a payment and follows it to Confirmed, showing progress', async () => {
    const run = await cli(...payArgs('cli-happy'));
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[0] ?? '', /^started payment:cli-happy$/);
    assert.ok(
      lines.some((line) => /webhook\s+wallet\.transfer\.broadcasted → Broadcasted/.test(line)),
      run.stdout,
    );
    assert.match(run.stdout, /^Confirmed txHash=0x[0-9a-f]{64}$/m);

    const again = await cli(...payArgs('cli-happy'));
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^already exists: payment:cli-happy$/m);

    const status = await cli('status', 'cli-happy');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^payment:cli-happy: Confirmed transfer=xfr-/m);
  });

  it('refuses bad input with a message naming the flag, a non-zero exit, and no workflow', async () => {
    const cases: [string, string[], RegExp][] = [
      ['neg', ['--amount=-1'], /--amount: must be a positive integer string/],
      ['dec', ['--amount', '1.5'], /--amount: must be a positive integer string/],
      ['big', ['--amount', '9'.repeat(80)], /--amount: is too large for a uint256/],
      ['net', ['--network', 'Narnia'], /--network: must be one of/],
      ['sum', ['--to', RECIPIENT.replace('fB', 'Fb')], /--to: has an invalid EIP-55 checksum/],
      ['addr', ['--to', 'bob'], /--to: must be 0x followed by 40 hex characters/],
    ];
    for (const [key, override, message] of cases) {
      const args = payArgs(`cli-bad-${key}`);
      const flag = (override[0] as string).split('=')[0] as string;
      args.splice(args.indexOf(flag), 2, ...override);
      const run = await cli(...args);
      assert.equal(run.code, 1, `${key}: ${run.stdout}`);
      assert.match(run.stderr, message, key);
      await assert.rejects(
        stack.env.client.workflow.getHandle(paymentIdFor(`cli-bad-${key}`)).describe(),
        WorkflowNotFoundError,
      );
    }
    const noKey = payArgs('x').filter((_, i, all) => all[i] !== '--key' && all[i - 1] !== '--key');
    const missing = await cli(...noKey);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /--key: is required/);
    const unknown = await cli('pay', '--amout', '5');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Unknown option '--amout'/);
  });
  it('takes TRC-20, SPL and fee-sponsor flags, validating them per chain and showing the amount in its decimals', async () => {
    const tron = stack.sandbox.bootstrap.wallets.find((w) => w.network === 'TronNile');
    assert.ok(tron?.token);
    const base = ['pay', '--wallet', tron.walletId, '--amount', '2500000', '--no-follow'];
    const usdt = [
      '--network',
      'TronNile',
      '--asset',
      `trc20:${tron.token.id}`,
      '--to',
      'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL',
    ];
    const started = await cli(...base, '--key', 'cli-usdt', ...usdt);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /^started payment:cli-usdt\n {2}2\.5 USDT → TNPeea…YqeL on Tron Nile$/m);

    const mint = '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU';
    const sol = ['--network', 'SolanaDevnet', '--to', '14grJpemFaf88c8tiVb77W7TYg2W3ir6pfkKz3YjhhZ5'];
    const cases: [string, string[], RegExp][] = [
      [
        'erc20-on-tron',
        [...usdt.slice(0, 2), '--asset', `erc20:${tron.token.id}`, ...usdt.slice(4)],
        /--asset: Erc20 is not a token kind on TronNile \(Trc20 is\)/,
      ],
      ['spl-no-choice', [...sol, '--asset', `spl:${mint}`], /--create-destination-account: is required/],
      [
        'spl-bad-choice',
        [...sol, '--asset', `spl:${mint}`, '--create-destination-account', 'maybe'],
        /must be "yes" or "no"/,
      ],
      [
        'sponsor-on-tron',
        [...usdt, '--fee-sponsor', 'fs-1'],
        /--fee-sponsor: Dfns fee sponsors are not available on TronNile/,
      ],
      [
        'btc-mainnet-address',
        ['--network', 'BitcoinSignet', '--to', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
        /--to: must start with tb1/,
      ],
      // A known token's decimals are its own; 2500000 is 2.5 USDT, never 0.0000000000025.
      ['usdt-decimals', [...usdt, '--decimals', '18'], /--decimals: must be 6 \(USDT's own\) or left out/],
      // @solana/spl-token's test ATA: a program-derived address, off the ed25519 curve.
      [
        'spl2022-to-pda',
        [
          '--network',
          'SolanaDevnet',
          '--to',
          'DShWnroshVbeUp28oopA3Pu7oFPDBtC1DBmPECXXAQ9n',
          '--asset',
          'spl2022:CXk2AMBfi3TwaEL2468s6zP8xq9NxTXjp9gjMgzeUynM',
          '--create-destination-account',
          'yes',
        ],
        /--to: is off the ed25519 curve/,
      ],
      ['off-curve-on-tron', [...usdt, '--allow-owner-off-curve'], /--allow-owner-off-curve applies only to/],
      [
        'dust',
        [
          '--network',
          'BitcoinSignet',
          '--to',
          'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
          '--amount',
          '329',
        ],
        /--amount: must be at least 330 satoshis to a P2WSH address/,
      ],
    ];
    for (const [key, args, message] of cases) {
      const run = await cli(...base, '--key', `cli-bad-${key}`, ...args);
      assert.equal(run.code, 1, `${key}: ${run.stdout}`);
      assert.match(run.stderr, message, key);
    }
  });
});
