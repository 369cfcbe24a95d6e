// `npm run demo`: sends 1.5 USDC from the sandbox's funded wallet through the real CLI and follows it to its outcome.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../src/config';
import { readCredentialsFile } from '../src/dfns/credentials-file';
import { runMain } from '../src/run-main';

const root = fileURLToPath(new URL('..', import.meta.url));
/** An EIP-55 test-vector address: valid, checksummed, and nobody's wallet. */
const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

runMain('demo', () => {
  const config = loadConfig();
  const file = readCredentialsFile(resolve(root, config.DFNS_CREDENTIALS_FILE), 'sandbox wallet to pay from');
  const { walletId, network, erc20 } = file;
  if (!network || !erc20) {
    throw new ConfigError(`${file.path} names no network or erc20 token: restart \`npm run dev\``);
  }
  const sandbox = { walletId, network, erc20 };
  const key = `demo-${new Date().toISOString().replace(/[^0-9]/g, '')}`;
  const amount = (15n * 10n ** BigInt(sandbox.erc20.decimals - 1)).toString(); // 1.5 tokens in minimum units
  const args = [
    '--import',
    'tsx',
    'src/cli/main.ts',
    'pay',
    '--key',
    key,
    '--wallet',
    sandbox.walletId,
    '--network',
    sandbox.network,
    '--asset',
    `erc20:${sandbox.erc20.contract}`,
    '--symbol',
    sandbox.erc20.symbol,
    '--decimals',
    String(sandbox.erc20.decimals),
    '--to',
    RECIPIENT,
    '--amount',
    amount,
    '--reference',
    'demo payout',
  ];
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
});
