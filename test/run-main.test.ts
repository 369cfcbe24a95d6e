// Every entry point's expected exits, run as processes: one line saying why, the documented exit code, no stack
// trace. (Each CLI command's option errors are in test/cli/option-values.test.ts.)
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXIT } from '../src/cli/exit-codes';
import { freePort } from './support/free-port';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Exit {
  code: number;
  /** Every line written, stdout then stderr. */
  lines: string[];
}

/** Runs an entry point under tsx with only PATH, HOME and `env`, and waits for it to exit. */
function run(entry: string, args: string[], env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', entry, ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const lines = `${stdout}${stderr}`.split('\n').filter((line) => line.trim() !== '');
        resolve({ code: error ? Number(error.code ?? 1) : 0, lines });
      },
    );
  });
}

/** The lines that are not pino log records (those are the process's logs, not its exit message). */
const plainLines = (exit: Exit) => exit.lines.filter((line) => !line.startsWith('{"level":'));

/** One line of its own (beside its logs), matching `message`, no stack frame anywhere, and the exit code. */
function assertOneLine(exit: Exit, code: number, message: RegExp): void {
  const text = exit.lines.join('\n');
  assert.equal(exit.code, code, text);
  assert.doesNotMatch(text, /^\s+at /m, `a stack trace:\n${text}`);
  assert.deepEqual(plainLines(exit).length, 1, text);
  assert.match(plainLines(exit)[0] ?? '', message);
}

describe('expected exits of the entry points', { timeout: 300_000, concurrency: 3 }, () => {
  let taken: Server;
  let takenPort: number;
  const unused = { port: 0 };
  before(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    takenPort = typeof address === 'object' && address ? address.port : 0;
    unused.port = await freePort();
  });
  after(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  // Dfns is never called before the worker reaches Temporal: any well-formed credentials do.
  const dfns = () => ({
    DFNS_BASE_URL: 'http://127.0.0.1:9',
    DFNS_AUTH_TOKEN: 'token',
    DFNS_CRED_ID: 'cred',
    DFNS_PRIVATE_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    DFNS_WEBHOOK_SECRETS: 'whsec_run_main_test',
  });

  it('worker: Temporal unreachable for TEMPORAL_CONNECT_TIMEOUT_SECONDS → one line, exit 1', async () => {
    const exit = await run('src/worker.ts', [], {
      ...dfns(),
      TEMPORAL_ADDRESS: `127.0.0.1:${unused.port}`,
      TEMPORAL_CONNECT_TIMEOUT_SECONDS: '1',
      WORKER_METRICS_ADDRESS: '127.0.0.1:0',
    });
    assertOneLine(exit, 1, new RegExp(`^worker: Temporal at 127\\.0\\.0\\.1:${unused.port} unreachable for \\d+ s`));
    assert.ok(
      exit.lines.some((line) => line.includes('"msg":"waiting for Temporal')),
      'the waits were logged',
    );
  });

  it('worker: bad configuration → one line naming the variable, exit 1', async () => {
    const exit = await run('src/worker.ts', [], { ...dfns(), TEMPORAL_ADDRESS: 'nowhere' });
    assert.equal(exit.code, 1);
    assert.doesNotMatch(exit.lines.join('\n'), /^\s+at /m);
    assert.deepEqual(exit.lines, ['worker: invalid configuration:', '  TEMPORAL_ADDRESS: must be host:port']);
  });

  it('server: its port taken → one log line saying so, exit 1', async () => {
    const exit = await run('src/server.ts', [], {
      ...dfns(),
      TEMPORAL_ADDRESS: `127.0.0.1:${unused.port}`,
      APP_PORT: String(takenPort),
    });
    assert.equal(exit.code, 1, exit.lines.join('\n'));
    assert.doesNotMatch(exit.lines.join('\n'), /^\s+at /m);
    const errors = exit.lines.filter((line) => line.includes('"level":"error"'));
    assert.equal(errors.length, 1, exit.lines.join('\n'));
    assert.match(errors[0] ?? '', /"error":"listen EADDRINUSE[^"]*","msg":"cannot listen"/);
  });

  it('server: an API keys file it cannot read → one line naming it, exit 1', async () => {
    const exit = await run('src/server.ts', [], { ...dfns(), API_KEYS_FILE: '/nonexistent/api-keys.txt' });
    assertOneLine(exit, 1, /^server: API_KEYS_FILE: cannot read \/nonexistent\/api-keys\.txt \(ENOENT\)$/);
  });

  it('sandbox: its port taken → one line, exit 1', async () => {
    const exit = await run('sandbox/src/main.ts', [], { SANDBOX_PORT: String(takenPort) });
    assertOneLine(exit, 1, /^Dfns sandbox failed to start: listen EADDRINUSE/);
  });

  it('dev: no Temporal CLI to be had → one line with the provisioning script’s reason, exit 1', async () => {
    const exit = await run('scripts/dev.ts', [], { TEMPORAL_CLI_PATH: '/nonexistent/temporal' });
    assertOneLine(
      exit,
      1,
      /^dev: no Temporal CLI: TEMPORAL_CLI_PATH=\/nonexistent\/temporal is not an executable file$/,
    );
  });

  it('payments: Temporal unreachable → one line, exit 4', async () => {
    const exit = await run('src/cli/main.ts', ['status', 'payout-1'], { TEMPORAL_ADDRESS: `127.0.0.1:${unused.port}` });
    assertOneLine(
      exit,
      EXIT.unavailable,
      /^payments: cannot reach Temporal at 127\.0\.0\.1:\d+ \(is `npm run dev` running\?\)/,
    );
  });

  it('payments pay without --wallet: names the credentials file it could not read and why, exit 1', async () => {
    const exit = await run(
      'src/cli/main.ts',
      ['pay', '--key', 'k', '--network', 'EthereumSepolia', '--to', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359'],
      { DFNS_CREDENTIALS_FILE: 'nope.json' },
    );
    assert.equal(exit.code, EXIT.usage);
    const text = exit.lines.join('\n');
    assert.match(text, /^ {2}--wallet: is required \(or name a pool\); the default wallet .* cannot be read: /m);
    assert.match(text, new RegExp(`${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}nope\\.json does not exist`));
  });

  it('payments pay --amount -5: the amount rule, in one message, exit 1', async () => {
    const exit = await run('src/cli/main.ts', ['pay', '--amount', '-5'], {});
    assert.equal(exit.code, EXIT.usage);
    const text = exit.lines.join('\n');
    assert.match(text, /^ {2}--amount: must be a positive integer string in minimum units/m);
    assert.doesNotMatch(text, /ambiguous|usage:/);
  });
});
