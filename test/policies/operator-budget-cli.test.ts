import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { operatorRequestsPerSecond } from '../../src/contracts/task-queues';
import { startSandboxCli, type SandboxCli } from './sandbox-cli';

/** The org's budget the CLIs are given, a minute; their share is 5 % of it: 2 Dfns requests a second. */
const BUDGET_PER_MINUTE = 2400;
const SHARE = operatorRequestsPerSecond(BUDGET_PER_MINUTE / 60);

/** Forwards every request to the sandbox and notes when it arrived (ms), so the test sees the CLI's pace. */
async function startRecordingProxy(target: string): Promise<{ url: string; times: number[]; server: Server }> {
  const times: number[] = [];
  const server = createServer((req, res) => {
    times.push(Date.now());
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([name, value]) => name !== 'host' && typeof value === 'string'),
      ) as Record<string, string>;
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}) })
        .then(async (answer) => {
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch((error: unknown) => {
          res.writeHead(502).end(String(error));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return { url: `http://127.0.0.1:${address.port}`, times, server };
}

/**
 * The approvals and policies CLIs call Dfns themselves, outside the workers' queues; each keeps to the operators'
 * share of DFNS_REQUESTS_PER_MINUTE with a token bucket (a signed call counts 3). Measured where the requests
 * arrive, with slack for a loaded machine: the bound only loosens when the machine is slow.
 */
describe('operator CLIs keep to their share of the Dfns budget', { timeout: 180_000 }, () => {
  let cli: SandboxCli;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let env: Record<string, string>;
  before(async () => {
    cli = await startSandboxCli();
    proxy = await startRecordingProxy(cli.sandbox.url);
    const credentials = JSON.parse(await readFile(cli.credentialsFile, 'utf8')) as Record<string, unknown>;
    const throughProxy = join(cli.dir, 'through-proxy.json');
    await writeFile(throughProxy, JSON.stringify({ ...credentials, baseUrl: proxy.url }), { mode: 0o600 });
    env = { DFNS_CREDENTIALS_FILE: throughProxy, DFNS_REQUESTS_PER_MINUTE: String(BUDGET_PER_MINUTE) };
  });
  after(async () => {
    await new Promise<void>((resolve) => proxy?.server.close(() => resolve()));
    await cli?.close();
  });

  /** Runs a CLI and checks that its requests came no faster than the share (plus one bucket of burst). */
  async function paced(name: 'policies' | 'approvals', args: string[], atLeast: number): Promise<void> {
    proxy.times.length = 0;
    const run = await cli.run(name, args, env);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const times = [...proxy.times];
    assert.ok(times.length >= atLeast, `${name} ${args.join(' ')} made ${times.length} requests`);
    const spanSeconds = (times.at(-1)! - times[0]!) / 1000;
    // A full bucket (one signed call, 3 requests) may go at once; the rest at most SHARE a second, with 50 % slack.
    const allowed = 3 + SHARE * spanSeconds * 1.5;
    console.log(`${name} ${args.join(' ')}: ${times.length} requests in ${spanSeconds.toFixed(2)} s`);
    assert.ok(
      times.length <= allowed,
      `${times.length} requests in ${spanSeconds.toFixed(2)} s: more than ${allowed.toFixed(1)} at ${SHARE}/s`,
    );
  }

  it('policies apply: a list and three signed creates, spaced to the share', async () => {
    await paced('policies', ['apply', '--set', 'standard'], 10);
  });

  it('policies apply of another set: a list and its signed changes, spaced to the share', async () => {
    await paced('policies', ['apply', '--set', 'high-volume'], 10);
  });
});
