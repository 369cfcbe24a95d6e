import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_POOLS_FILE } from '../../src/pools/load-pool-file';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const USDC = '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238';
const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      // Nothing listens there: the pool is refused before the CLI connects to anything.
      { cwd: ROOT, env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:9', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const pay = (...extra: string[]) => [
  'pay',
  '--key',
  'pool-cli-1',
  '--network',
  'EthereumSepolia',
  '--to',
  RECIPIENT,
  '--amount',
  '5',
  ...extra,
];

describe('payments pay --pool', { timeout: 60_000 }, () => {
  it('refuses a pool the pools file does not declare, naming --pool, with exit code 1', async () => {
    const result = await cli(pay('--asset', `erc20:${USDC}`, '--pool', 'eur-hot'), {
      PAYMENT_POOLS_FILE: EXAMPLE_POOLS_FILE,
    });
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /invalid payment request:\n {2}--pool: no pool named "eur-hot" \(known: usdc-sepolia, eth-sepolia\)/,
    );
  });

  it('refuses a pool of another asset, naming --pool', async () => {
    const result = await cli(pay('--asset', 'native', '--pool', 'usdc-sepolia'), {
      PAYMENT_POOLS_FILE: EXAMPLE_POOLS_FILE,
    });
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /--pool: pool "usdc-sepolia" pays 0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238, not this asset/,
    );
  });

  it('refuses --wallet together with --pool, naming --pool', async () => {
    const result = await cli(pay('--pool', 'eth-sepolia', '--wallet', 'wa-1'), {
      PAYMENT_POOLS_FILE: EXAMPLE_POOLS_FILE,
    });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /--pool: name either walletId or pool, not both/);
  });

  it('reports an unusable pools file as a configuration error naming the field', async () => {
    const result = await cli(pay('--pool', 'eth-sepolia'), { PAYMENT_POOLS_FILE: `${ROOT}package.json` });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /package\.json is not a valid pools file/);
  });
});
