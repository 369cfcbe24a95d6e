import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DfnsApiClient } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import { startSandbox, type SandboxHandle } from '../../sandbox/src/sandbox';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** What a CLI child process did. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A sandbox, its credentials written to a temp file, and the CLIs run against it as child processes. */
export interface SandboxCli {
  sandbox: SandboxHandle;
  dir: string;
  credentialsFile: string;
  /** The service account's SDK client. */
  dfns: DfnsApiClient;
  /** Runs `src/cli/<name>-main.ts` with only the given variables (plus PATH, HOME and the credentials file). */
  run(name: 'policies' | 'approvals', args: string[], env?: Record<string, string>): Promise<Run>;
  close(): Promise<void>;
}

/** Starts `startSandbox({ port: 0, timeScale: 50 })` and writes its bootstrap as a credentials file. */
export async function startSandboxCli(): Promise<SandboxCli> {
  const sandbox = await startSandbox({ port: 0, timeScale: 50 });
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-cli-'));
  const credentialsFile = join(dir, 'dfns-sandbox.json');
  await writeFile(credentialsFile, JSON.stringify(sandbox.bootstrap, null, 2), { mode: 0o600 });
  const { bootstrap } = sandbox;
  const dfns = new DfnsApiClient({
    baseUrl: bootstrap.baseUrl,
    authToken: bootstrap.authToken,
    orgId: bootstrap.orgId,
    signer: new AsymmetricKeySigner({ credId: bootstrap.credId, privateKey: bootstrap.privateKey }),
  });
  // Asynchronous on purpose: the sandbox runs in this process and must keep answering while the CLI waits.
  const run = (name: 'policies' | 'approvals', args: string[], env: Record<string, string> = {}): Promise<Run> =>
    new Promise((resolve) => {
      const childEnv = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DFNS_CREDENTIALS_FILE: credentialsFile,
        ...env,
      };
      execFile(
        process.execPath,
        ['--import', 'tsx', `src/cli/${name}-main.ts`, ...args],
        { cwd: root, env: childEnv },
        (error, stdout, stderr) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
        },
      );
    });
  return {
    sandbox,
    dir,
    credentialsFile,
    dfns,
    run,
    close: async () => {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
