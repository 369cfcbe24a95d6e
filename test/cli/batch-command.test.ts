import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXIT } from '../../src/cli/exit-codes';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TO = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

/** Runs `payments batch …` as a child process with a Temporal address where nothing listens. */
function payments(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TEMPORAL_ADDRESS: '127.0.0.1:1' };
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { cwd: root, env },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('payments batch (before anything starts)', { timeout: 120_000 }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'batch-cli-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('lists every bad row with its line and column, exits 1, and never connects', async () => {
    const file = join(dir, 'bad.csv');
    await writeFile(
      file,
      [
        'key,walletId,network,asset,to,amount',
        `r1,wa-a-1,BaseSepolia,native,${TO},5`,
        `r1,wa-a-1,BaseSepolia,gold,${TO},1.5`,
      ].join('\n'),
    );
    const run = await payments(['batch', file, '--key', 'run-1']);
    assert.equal(run.code, EXIT.usage, run.stderr);
    assert.match(run.stderr, /1 row\(s\) of .*bad\.csv are invalid; nothing was started:/);
    assert.match(run.stderr, /^ {2}row 2 \(line 3\) key: repeats the key of row 1$/m);
    assert.match(run.stderr, /^ {2}row 2 \(line 3\) asset: must be native/m);
    assert.match(run.stderr, /^ {2}row 2 \(line 3\) amount: /m);
    assert.doesNotMatch(run.stderr, /cannot reach Temporal/);

    const json = await payments(['batch', file, '--key', 'run-1', '--json']);
    assert.equal(json.code, EXIT.usage);
    const error = JSON.parse(json.stderr.trim()) as { error: { kind: string; issues: { field: string }[] } };
    assert.equal(error.error.kind, 'invalid');
    assert.deepEqual(
      error.error.issues.map((issue) => issue.field),
      ['row 2 (line 3) asset', 'row 2 (line 3) key', 'row 2 (line 3) amount'],
    );
  });

  it('refuses a bad key or concurrency (exit 1); a valid file with Temporal down exits 4', async () => {
    const file = join(dir, 'good.csv');
    await writeFile(file, ['key,walletId,network,asset,to,amount', `r1,wa-a-1,BaseSepolia,native,${TO},5`].join('\n'));
    const badKey = await payments(['batch', file, '--key', 'has.dot']);
    assert.equal(badKey.code, EXIT.usage);
    assert.match(badKey.stderr, /--key may contain only letters, digits, "_" and "-"/);
    assert.equal((await payments(['batch', file, '--key', 'ok', '--concurrency', '0'])).code, EXIT.usage);
    const down = await payments(['batch', file, '--key', 'ok']);
    assert.equal(down.code, EXIT.unavailable, down.stderr);
    assert.match(down.stderr, /cannot reach Temporal at 127\.0\.0\.1:1/);
  });
});
