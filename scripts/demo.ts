// `npm run demo`: sends 1.5 USDC from the sandbox's funded wallet through the real CLI and follows it to its outcome.
// `npm run demo -- --api` goes through the payments API instead of Temporal, as the client of PAYMENTS_API_KEY, or of
// the development key `npm run dev` keeps in .local/ (the client dev).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { childEnvironment, ConfigError, loadConfig } from '../src/config';
import { readCredentialsFile } from '../src/dfns/credentials-file';
import { runMain } from '../src/run-main';
import { DEMO_RECIPIENT } from './dev-banner';
import { DEV_API_KEY_FILE, readDevApiKey } from './dev-api-key';

const root = fileURLToPath(new URL('..', import.meta.url));

runMain('demo', () => {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { api: { type: 'boolean' } } });
  const config = loadConfig();
  const file = readCredentialsFile(resolve(root, config.DFNS_CREDENTIALS_FILE), 'sandbox wallet to pay from');
  const { walletId, network, erc20 } = file;
  if (!network || !erc20) {
    throw new ConfigError(`${file.path} names no network or erc20 token: restart \`npm run dev\``);
  }
  const env: Record<string, string> = {};
  const api: string[] = [];
  if (values.api) {
    const keyFile = resolve(root, '.local', DEV_API_KEY_FILE);
    const key = config.PAYMENTS_API_KEY ?? readDevApiKey(keyFile)?.key;
    if (!key)
      throw new ConfigError(`--api: set PAYMENTS_API_KEY, or start \`npm run dev\` (it keeps a key in ${keyFile})`);
    api.push('--api', config.PAYMENTS_API_URL ?? `http://${config.APP_HOST}:${config.APP_PORT}`);
    env.PAYMENTS_API_KEY = key;
  }
  const key = `demo-${new Date().toISOString().replace(/[^0-9]/g, '')}`;
  const amount = (15n * 10n ** BigInt(erc20.decimals - 1)).toString(); // 1.5 tokens in minimum units
  const args = [
    '--import',
    'tsx',
    'src/cli/main.ts',
    'pay',
    ...api,
    '--key',
    key,
    '--wallet',
    walletId,
    '--network',
    network,
    '--asset',
    `erc20:${erc20.contract}`,
    '--symbol',
    erc20.symbol,
    '--decimals',
    String(erc20.decimals),
    '--to',
    DEMO_RECIPIENT,
    '--amount',
    amount,
    '--reference',
    'demo payout',
  ];
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: childEnvironment(env),
  });
  process.exit(result.status ?? 1);
});
