import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { tempDir } from './helpers';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function runCli(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('CLI entry (sandbox/src/main.ts)', () => {
  it('prints one line without secrets, then flushes state and exits 0 on SIGTERM', async () => {
    const tmp = await tempDir();
    const stateFile = join(tmp.dir, 'state.json');
    const credentialsFile = join(tmp.dir, 'creds.json');
    const cli = runCli({
      SANDBOX_PORT: '0',
      SANDBOX_STATE_FILE: stateFile,
      SANDBOX_CREDENTIALS_FILE: credentialsFile,
      SANDBOX_WEBHOOK_URL: 'http://127.0.0.1:9/webhooks/dfns',
    });
    try {
      const deadline = Date.now() + 15_000;
      while (!cli.output().stdout.includes('\n')) {
        assert.ok(Date.now() < deadline, `no startup line; stderr: ${cli.output().stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const line = cli.output().stdout.trim();
      const creds = JSON.parse(await readFile(credentialsFile, 'utf8'));
      assert.match(line, /^Dfns sandbox listening on http:\/\/127\.0\.0\.1:\d+ \(wallet wa-[a-z0-9-]+\)$/);
      assert.ok(line.includes(creds.walletId) && line.includes(creds.baseUrl));
      for (const secret of [creds.authToken, creds.privateKey, creds.webhookSecret])
        assert.equal(line.includes(secret), false);
      const health = await fetch(`${creds.baseUrl}/_sandbox/health`);
      assert.deepEqual(await health.json(), { ok: true });

      cli.child.kill('SIGTERM');
      assert.equal(await cli.exited, 0);
      assert.equal((await stat(stateFile)).mode & 0o777, 0o600);
      assert.equal(JSON.parse(await readFile(stateFile, 'utf8')).bootstrap.walletId, creds.walletId);
    } finally {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
      await tmp.remove();
    }
  });

  it('exits 1 with a message naming the variable when the environment is invalid', async () => {
    const cli = runCli({ SANDBOX_PORT: 'eighty', SANDBOX_TIME_SCALE: '-2' });
    assert.equal(await cli.exited, 1);
    const { stderr, stdout } = cli.output();
    assert.match(stderr, /SANDBOX_PORT/);
    assert.match(stderr, /SANDBOX_TIME_SCALE/);
    assert.equal(stdout, '');
  });
});
