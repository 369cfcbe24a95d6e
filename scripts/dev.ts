// `npm run dev`: the Temporal dev server (SQLite file + Web UI), the Dfns sandbox, the worker and the app (payments API
// and webhook bridge), all on loopback with the default configuration, a receiver that prints outcome callbacks, and a
// development API key for the client `dev`. It ends with a banner that says how to make the first payment, and then
// prints nothing until one runs. Ctrl-C stops them all, newest first.
// `--local-dir DIR` keeps the state elsewhere than `.local/` (the Temporal database, the sandbox's state and
// credentials, the clients file and the development key), e.g. for a second stack on other ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mintApiKey } from '../src/api/api-keys';
import { DEV_CODEC_KEYS_FILE } from '../src/cli/cli-codec';
import { childEnvironment, loadConfig } from '../src/config';
import { PAYMENT_SEARCH_ATTRIBUTES, searchAttributeTypeName } from '../src/contracts/search-attributes';
import { readCredentialsFile } from '../src/dfns/credentials-file';
import { ExpectedExit } from '../src/expected-exit';
import { runMain } from '../src/run-main';
import { connectTemporalClient } from '../src/temporal/connection';
import { TEMPORAL_DEV_SERVER_DYNAMIC_CONFIG } from '../src/temporal/dev-server-flags';
import { registerSearchAttributes } from '../src/temporal/search-attribute-registry';
import { loadPoolFile } from '../src/pools/load-pool-file';
import { writeSandboxClientsFile } from './sandbox-clients';
import { startDevCallbackReceiver } from './dev-callback-receiver';
import { DEV_API_KEY_FILE, DEV_CLIENT, devApiKey, isLoopbackHost } from './dev-api-key';
import { devBanner } from './dev-banner';

const root = fileURLToPath(new URL('..', import.meta.url));
const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

const lineWatchers: { name: string; pattern: RegExp; resolve: () => void }[] = [];

function start(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
  options: { quietStdout?: boolean } = {},
): ChildProcess {
  // Own process group: a terminal's Ctrl-C reaches only this script, which then stops the children in order.
  const child = spawn(command, args, {
    cwd: root,
    env: childEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    const quiet = options.quietStdout === true && stream === child.stdout;
    createInterface({ input: stream }).on('line', (line) => {
      if (!quiet) console.log(`[${name}] ${line}`);
      for (const watcher of lineWatchers) if (watcher.name === name && watcher.pattern.test(line)) watcher.resolve();
    });
  }
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[dev] ${name} exited (${signal ?? code}); stopping everything`);
    void stopAll(1);
  });
  children.push({ name, child });
  return child;
}

async function stopAll(code: number): Promise<never> {
  await stopChildren();
  process.exit(code);
}

/** Stops every child, newest first: they run in their own process groups, so nothing else would. */
async function stopChildren(): Promise<void> {
  stopping = true;
  for (const { name, child } of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    console.log(`[dev] stopping ${name}`);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Resolves when the named child prints a line matching the pattern. */
const lineFrom = (name: string, pattern: RegExp) =>
  new Promise<void>((resolve) => lineWatchers.push({ name, pattern, resolve }));

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new ExpectedExit(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The dev stack's codec key: made once, kept in the local state directory (readable by its owner only) so dev
 * payments stay readable. In `.local/` it is where the CLIs look for it against a dev server on loopback.
 */
function devCodecKeys(local: string, localDirGiven: boolean): string {
  const file = localDirGiven ? `${local}/codec-keys` : resolve(root, DEV_CODEC_KEYS_FILE);
  if (!existsSync(file)) {
    const id = `dev-${new Date().toISOString().slice(0, 10)}`;
    writeFileSync(file, `${id} ${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    console.log(`[dev] made a codec key for the dev stack in ${relativeToRoot(file)}`);
  }
  return file;
}

/** An operator's API key for the codec endpoint (scope payloads:decode alone), made once and kept beside the state. */
function devOperatorKey(local: string): { key: string; entry: string; keyFile: string } {
  const keyFile = `${local}/dev-operator-key`;
  const entryFile = `${local}/dev-operator-key.entry`;
  if (existsSync(keyFile) && existsSync(entryFile)) {
    return { key: readFileSync(keyFile, 'utf8').trim(), entry: readFileSync(entryFile, 'utf8').trim(), keyFile };
  }
  const { key, entry } = mintApiKey('dev-operator', ['payloads:decode']);
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  writeFileSync(entryFile, `${entry}\n`, { mode: 0o600 });
  return { key, entry, keyFile };
}

const portOpen = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host, port }, () => (socket.end(), resolve(true)));
    socket.on('error', () => resolve(false));
  });

const httpOk = async (url: string) => {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
};

/**
 * The Temporal CLI from the project's provisioning script, which says on stderr what it does (a first build takes
 * minutes, so that is passed through as it comes); when it fails, its own reason is the one line dev exits with.
 */
async function temporalCli(): Promise<string> {
  const script = spawn(`${root}/scripts/temporal-cli.sh`, [], { stdio: ['ignore', 'pipe', 'pipe'] });
  let path = '';
  let failure: string | undefined;
  script.stdout.on('data', (chunk: Buffer) => (path += chunk.toString()));
  createInterface({ input: script.stderr }).on('line', (line) => {
    const error = /^temporal-cli: ERROR: (.*)$/.exec(line);
    if (error) failure = error[1];
    else console.error(line);
  });
  const [code] = (await once(script, 'close')) as [number | null];
  if (code !== 0) throw new ExpectedExit(`no Temporal CLI: ${failure ?? `scripts/temporal-cli.sh exited ${code}`}`);
  return path.trim();
}

runMain('dev', async () => {
  try {
    await startAll();
  } catch (error) {
    await stopChildren(); // then runMain prints why and exits
    throw error;
  }
});

/** The command line: `--local-dir DIR` (default `.local`). */
function localDirectory(): { dir: string; given: boolean } {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { 'local-dir': { type: 'string' } } });
  const given = values['local-dir'];
  return { dir: resolve(root, given ?? '.local'), given: given !== undefined };
}

async function startAll(): Promise<void> {
  const config = loadConfig();
  const { dir: local, given: localDirGiven } = localDirectory();
  const [temporalHost = '127.0.0.1', temporalPort = '7233'] = config.TEMPORAL_ADDRESS.split(/:(?=\d+$)/);
  const uiPort = new URL(config.TEMPORAL_UI_URL).port || '8233';
  const appUrl = `http://${config.APP_HOST}:${config.APP_PORT}`;
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  // The Temporal CLI first: without it nothing starts, and nothing is written.
  const temporal = await temporalCli();
  mkdirSync(local, { recursive: true });
  const codecKeys = config.TEMPORAL_CODEC_KEYS_FILE ?? devCodecKeys(local, localDirGiven);
  const codecEndpoint = `http://${config.APP_CODEC_ADDRESS}/codec`;
  const operator = devOperatorKey(local);

  start(
    'temporal',
    temporal,
    [
      'server',
      'start-dev',
      '--db-filename',
      `${local}/temporal.db`,
      '--ip',
      temporalHost,
      '--port',
      temporalPort,
      '--ui-port',
      uiPort,
      // The Web UI decodes payments through the app's codec endpoint (an operator signs in there once).
      '--ui-codec-endpoint',
      codecEndpoint,
      '--log-level',
      'error',
      ...PAYMENT_SEARCH_ATTRIBUTES.flatMap((key) => [
        '--search-attribute',
        `${key.name}=${searchAttributeTypeName(key.type)}`,
      ]),
      ...TEMPORAL_DEV_SERVER_DYNAMIC_CONFIG.flatMap((value) => ['--dynamic-config-value', value]),
    ],
    {},
    // Its own start-up summary (ports, versions) on stdout: the banner says where everything is. Errors still show.
    { quietStdout: true },
  );
  await waitFor('the Temporal dev server', () => portOpen(temporalHost, Number(temporalPort)));
  const connection = await connectTemporalClient(config).catch((error: unknown) => {
    if (error instanceof ExpectedExit) throw error;
    throw new ExpectedExit(`cannot connect to Temporal at ${config.TEMPORAL_ADDRESS}: ${(error as Error).message}`);
  });
  const added = await registerSearchAttributes(connection.operatorService, config.TEMPORAL_NAMESPACE);
  if (added.length > 0)
    console.log(`[dev] registered search attributes ${added.join(', ')} (database from an older version)`);
  await connection.close();

  // With --local-dir, the sandbox keeps its state and writes its credentials there too.
  const credentialsFile = localDirGiven ? `${local}/dfns-sandbox.json` : resolve(root, config.DFNS_CREDENTIALS_FILE);
  rmSync(credentialsFile, { force: true });
  start('sandbox', process.execPath, ['--import', 'tsx', 'sandbox/src/main.ts'], {
    SANDBOX_WEBHOOK_URL: `${appUrl}/webhooks/dfns`,
    SANDBOX_CREDENTIALS_FILE: credentialsFile,
    ...(localDirGiven ? { SANDBOX_STATE_FILE: `${local}/sandbox-state.json` } : {}),
  });
  await waitFor('the Dfns sandbox to write its credentials', () => existsSync(credentialsFile));
  const credentials = readCredentialsFile(credentialsFile, 'sandbox credentials');

  // Out of the box, the client `dev` and payments without a client (the CLI, the demo) may pay from the sandbox's
  // wallets and the pools of PAYMENT_POOLS_FILE, if set. A PAYMENT_CLIENTS_FILE of your own is used as it is.
  let clientsFile = config.PAYMENT_CLIENTS_FILE;
  if (clientsFile === undefined) {
    clientsFile = `${local}/payment-clients.json`;
    writeSandboxClientsFile(clientsFile, {
      clientIds: [DEV_CLIENT],
      walletIds: [credentials.walletId, ...credentials.wallets.map((wallet) => wallet.walletId)],
      pools: loadPoolFile(config.PAYMENT_POOLS_FILE).map((pool) => pool.name),
      withoutClient: true,
    });
  }
  const shared = {
    PAYMENT_CLIENTS_FILE: clientsFile,
    DFNS_CREDENTIALS_FILE: credentialsFile,
    TEMPORAL_CODEC_KEYS_FILE: codecKeys,
  };

  // The development key, for the client `dev`: served only on a loopback address, with whatever keys are configured.
  const apiKey = isLoopbackHost(config.APP_HOST) ? devApiKey(`${local}/${DEV_API_KEY_FILE}`) : undefined;
  // The server's keys: the development key (loopback only), the dev operator's key for the codec endpoint
  // (payloads:decode alone), then API_KEYS_FILE's lines if set.
  const keysFile = `${local}/dev-api-keys`;
  const yours = config.API_KEYS_FILE ? readFileSync(resolve(root, config.API_KEYS_FILE), 'utf8') : '';
  const header =
    "# Written by `npm run dev`: its development key (client dev), its operator key, then API_KEYS_FILE's lines if set.";
  const entries = [...(apiKey ? [apiKey.entry] : []), operator.entry];
  writeFileSync(keysFile, `${header}\n${entries.join('\n')}\n${yours}`, { mode: 0o600 });
  const keys: Record<string, string> = { API_KEYS_FILE: keysFile };

  // Callbacks in dev: signed with the configured secret (or one for this run) and allowed over http to this receiver
  // only, on top of whatever CALLBACK_ALLOWED_INSECURE_HOSTS already lists.
  const callbackSecret = config.CALLBACK_SIGNING_SECRET ?? randomBytes(24).toString('hex');
  const receiver = await startDevCallbackReceiver({
    secret: callbackSecret,
    print: (line) => console.log(`[callbacks] ${line}`),
  });
  const insecureHosts = [...(config.CALLBACK_ALLOWED_INSECURE_HOSTS ?? []), receiver.hostPort].join(',');

  const workerRunning = lineFrom('worker', /"msg":"worker running"/);
  start('worker', process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    ...shared,
    CALLBACK_SIGNING_SECRET: callbackSecret,
    CALLBACK_ALLOWED_INSECURE_HOSTS: insecureHosts,
  });
  // One cursor key for this dev run (the dev stack is one server, restarted with it), so the start is quiet.
  const cursorKey = config.API_CURSOR_SECRET ?? randomBytes(32).toString('base64url');
  start('server', process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    ...shared,
    ...keys,
    CALLBACK_ALLOWED_INSECURE_HOSTS: insecureHosts,
    API_CURSOR_SECRET: cursorKey,
  });
  await waitFor('the payments API', () => httpOk(`${appUrl}/healthz`));
  await workerRunning;

  console.log(
    devBanner({
      config,
      appUrl,
      apiKey: apiKey && { key: apiKey.key, file: relativeToRoot(`${local}/${DEV_API_KEY_FILE}`) },
      wallet: { id: credentials.walletId, network: credentials.network ?? 'EthereumSepolia' },
      sandboxUrl: credentials.baseUrl,
      clientsFile: relativeToRoot(clientsFile),
      callbackUrl: receiver.url,
      codec: {
        endpoint: codecEndpoint,
        keysFile: relativeToRoot(codecKeys),
        operatorKeyFile: relativeToRoot(operator.keyFile),
      },
      ...(localDirGiven ? { credentialsFile } : {}),
    }),
  );
}

/** A path as the banner shows it: relative to the checkout when it is inside it. */
const relativeToRoot = (path: string) => (path.startsWith(root) ? path.slice(root.length) : path);
