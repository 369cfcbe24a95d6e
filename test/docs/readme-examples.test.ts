// The README's first payment runs as written. The test starts `npm run dev` (scripts/dev.ts, the same processes) on
// free loopback ports with its own state directory, takes only what the banner prints (its `export` line and its
// `curl` line), and runs every block marked `sh runnable` in README.md and docs/getting-started.md, in order, with
// bash: each must exit 0 and answer no problem document. A stale example (a renamed route, flag or variable, a wallet
// the sandbox does not have) fails here. It also checks that the start is quiet: no warning and no task token before
// the banner, and the banner last.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/free-port';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BANNER_END = /A demo payment, followed to its end/;

/** The fenced blocks of a page whose info string is `sh runnable`, in order. */
export function runnableBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (current === undefined && /^```sh runnable\s*$/.test(line)) current = [];
    else if (current !== undefined && /^```\s*$/.test(line)) {
      blocks.push(current.join('\n'));
      current = undefined;
    } else current?.push(line);
  }
  return blocks;
}

describe('the README and getting-started examples run against npm run dev', { timeout: 420_000 }, () => {
  let dev: ChildProcess;
  const lines: string[] = [];
  let bannerAt = -1;
  let env: NodeJS.ProcessEnv = {};
  const local = mkdtempSync(join(tmpdir(), 'readme-examples-'));

  before(async () => {
    const [temporal, ui, app, appMetrics, workerMetrics, sandbox] = await Promise.all(
      Array.from({ length: 6 }, () => freePort()),
    );
    dev = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts', '--local-dir', local], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
        TEMPORAL_ADDRESS: `127.0.0.1:${temporal}`,
        TEMPORAL_UI_URL: `http://127.0.0.1:${ui}`,
        APP_PORT: String(app),
        APP_METRICS_ADDRESS: `127.0.0.1:${appMetrics}`,
        WORKER_METRICS_ADDRESS: `127.0.0.1:${workerMetrics}`,
        SANDBOX_PORT: String(sandbox),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const banner = new Promise<void>((resolve, reject) => {
      for (const stream of [dev.stdout, dev.stderr]) {
        createInterface({ input: stream! }).on('line', (line) => {
          lines.push(line);
          if (BANNER_END.test(line)) {
            bannerAt = lines.length - 1;
            resolve();
          }
        });
      }
      dev.once('exit', (code) => reject(new Error(`npm run dev exited ${code}:\n${lines.join('\n')}`)));
    });
    await banner;
    const exportLine = lines.find((line) => /^\s+export PAYMENTS_API_URL=/.test(line));
    assert.ok(exportLine, `the banner has an export line:\n${lines.join('\n')}`);
    const values = Object.fromEntries(
      exportLine
        .trim()
        .replace(/^export /, '')
        .split(' ')
        .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    );
    env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...values };
  });

  after(async () => {
    if (dev && dev.exitCode === null) {
      const exited = once(dev, 'exit');
      dev.kill('SIGINT');
      await exited;
    }
    rmSync(local, { recursive: true, force: true });
  });

  const bash = (script: string) =>
    spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });

  it('starts quietly and ends with the banner', () => {
    const beforeBanner = lines.slice(0, bannerAt + 1);
    assert.deepEqual(
      beforeBanner.filter((line) => /"level":"(warn|error|fatal)"|taskToken/.test(line)),
      [],
    );
    assert.ok(env.PAYMENTS_API_KEY?.startsWith('pk_'), 'the banner prints the development key');
    assert.ok(env.DFNS_WALLET_ID?.startsWith('wa-'), 'the banner prints the sandbox wallet');
  });

  it("runs the banner's curl line as printed", () => {
    const start = lines.findIndex((line) => /^\s+curl -s -X POST /.test(line));
    assert.ok(start > 0, 'the banner has a curl line');
    const command = lines
      .slice(start, start + 3)
      .map((line) => line.trim())
      .join('\n');
    const result = bash(command);
    assert.equal(result.status, 0, result.stderr);
    const payment = JSON.parse(result.stdout) as { paymentId: string; clientId: string };
    assert.equal(payment.paymentId, 'payment:dev:first-payment');
    assert.equal(payment.clientId, 'dev');
  });

  for (const page of ['README.md', 'docs/getting-started.md']) {
    it(`runs the runnable blocks of ${page}`, () => {
      const blocks = runnableBlocks(readFileSync(join(root, page), 'utf8'));
      assert.ok(blocks.length > 0, `${page} marks its runnable blocks`);
      for (const block of blocks) {
        const result = bash(block);
        assert.equal(result.status, 0, `${page}:\n${block}\n${result.stdout}\n${result.stderr}`);
        assert.doesNotMatch(result.stdout, /urn:problem/, `${page}:\n${block}\n${result.stdout}`);
      }
    });
  }

  it('finds the runnable blocks of a page', () => {
    const text = ['```sh', 'not me', '```', '```sh runnable', 'a', 'b', '```', '```sh runnable', 'c', '```'].join('\n');
    assert.deepEqual(runnableBlocks(text), ['a\nb', 'c']);
  });
});
