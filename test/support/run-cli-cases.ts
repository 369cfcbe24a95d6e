// Starts test/support/cli-runner.ts as one child process for many CLI invocations, with Temporal where nothing
// listens, no credentials file and the given API key, and returns what each invocation printed and its exit code.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CliCase, CliResult } from './cli-runner';

const root = fileURLToPath(new URL('../..', import.meta.url));

export function runCliCases(cases: CliCase[], apiKey: string): Promise<CliResult[]> {
  return new Promise((resolve, reject) => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      DFNS_CREDENTIALS_FILE: '/nonexistent/credentials.json',
      PAYMENTS_API_KEY: apiKey,
    };
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'test/support/cli-runner.ts'],
      { cwd: root, env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`cli-runner failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as CliResult[]);
      },
    );
    child.stdin?.end(JSON.stringify(cases));
  });
}
