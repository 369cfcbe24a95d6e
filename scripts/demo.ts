// `npm run demo`: sends 1.5 USDC from the sandbox's funded wallet through the real CLI and follows it to its outcome.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config';
import { runMain } from '../src/run-main';

const root = fileURLToPath(new URL('..', import.meta.url));
/** An EIP-55 test-vector address: valid, checksummed, and nobody's wallet. */
const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

runMain('demo', () => {
  const config = loadConfig();
  const path = `${root}/${config.DFNS_CREDENTIALS_FILE}`;
  let sandbox: { walletId: string; network: string; erc20: { contract: string; symbol: string; decimals: number } };
  try {
    sandbox = JSON.parse(readFileSync(path, 'utf8')) as typeof sandbox;
  } catch {
    throw new Error(`cannot read ${path}: start everything first with \`npm run dev\``);
  }
  const key = `demo-${new Date().toISOString().replace(/[^0-9]/g, '')}`;
  const amount = (15n * 10n ** BigInt(sandbox.erc20.decimals - 1)).toString(); // 1.5 tokens in minimum units
  const args = [
    '--import', 'tsx', 'src/cli/main.ts', 'pay',
    '--key', key, '--wallet', sandbox.walletId, '--network', sandbox.network,
    '--asset', `erc20:${sandbox.erc20.contract}`, '--symbol', sandbox.erc20.symbol, '--decimals', String(sandbox.erc20.decimals),
    '--to', RECIPIENT, '--amount', amount, '--reference', 'demo payout',
  ];
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
});
