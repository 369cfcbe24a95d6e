import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PAYMENT_SEARCH_ATTRIBUTES, searchAttributeTypeName } from '../../src/contracts/search-attributes';
import { freePort } from '../support/free-port';
import { killTree } from '../support/process-tree';
import { temporalCliPath } from '../support/temporal-cli';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Spawns a process and keeps what it writes. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Polls until `ok` holds; fails with what the process printed if it never does (or the process ends). */
async function until(what: string, ok: () => boolean, process: { child: ChildProcess; output(): string }) {
  const deadline = Date.now() + 90_000;
  while (!ok()) {
    if (process.child.exitCode !== null)
      throw new Error(`exited (${process.child.exitCode}) before ${what}:\n${process.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${what} within 90 s:\n${process.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const waits = (output: string) => output.split('\n').filter((line) => line.includes('"msg":"waiting for Temporal'));

describe('the worker started before Temporal', { timeout: 180_000 }, () => {
  const started: ChildProcess[] = [];
  after(() => {
    for (const child of started) if (child.exitCode === null) killTree(child.pid, 'SIGKILL');
  });

  it('waits with backoff, logging why, and runs once a server comes up on its address', async () => {
    const port = await freePort();
    // Dfns is never called before the worker runs: any well-formed credentials do.
    const key = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const worker = run(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
      TEMPORAL_TASK_QUEUE: `startup-${process.pid}`,
      WORKER_METRICS_ADDRESS: '127.0.0.1:0',
      DFNS_BASE_URL: 'http://127.0.0.1:9',
      DFNS_AUTH_TOKEN: 'token',
      DFNS_CRED_ID: 'cred',
      DFNS_PRIVATE_KEY: key,
    });
    started.push(worker.child);
    await until('two "waiting for Temporal" lines', () => waits(worker.output()).length >= 2, worker);
    const first = JSON.parse(waits(worker.output())[0]!) as Record<string, unknown>;
    assert.equal(first.level, 'warn');
    assert.equal(first.temporal, `127.0.0.1:${port}`);
    assert.match(String(first.reason), /connect|refused/i);
    assert.equal(typeof first.retryInMs, 'number');

    const temporal = run(
      temporalCliPath(),
      [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--http-port',
        String(await freePort()),
        '--headless',
        '--log-level',
        'error',
        ...PAYMENT_SEARCH_ATTRIBUTES.flatMap((k) => [
          '--search-attribute',
          `${k.name}=${searchAttributeTypeName(k.type)}`,
        ]),
      ],
      { PATH: process.env.PATH, HOME: process.env.HOME },
    );
    started.push(temporal.child);
    await until('"worker running"', () => worker.output().includes('"msg":"worker running"'), worker);
    assert.equal(worker.child.exitCode, null, 'the worker keeps running');
    assert.ok(waits(worker.output()).length >= 2);
  });
});
