import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { cwd: ROOT, env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('CLI errors', { timeout: 60_000 }, () => {
  it('are one pino line (command, exit code) with CLI_LOG_FORMAT=json, and plain text by default', async () => {
    const args = ['pay', '--network', 'EthereumSepolia', '--to', '0x1234', '--amount', '5', '--wallet', 'wa-1'];
    const json = await cli(args, { CLI_LOG_FORMAT: 'json' });
    assert.equal(json.code, 1);
    const lines = json.stderr.trim().split('\n');
    assert.equal(lines.length, 1, json.stderr);
    const record = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    assert.deepEqual([record.level, record.name, record.command, record.exitCode], ['error', 'payments', 'pay', 1]);
    assert.match(String(record.msg), /--key: is required/);

    const text = await cli(args, {});
    assert.equal(text.code, 1);
    assert.match(text.stderr, /^payments: invalid payment request:\n {2}--key: is required/);
  });
});
