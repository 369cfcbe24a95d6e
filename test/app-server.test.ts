// The server process (src/server.ts) as an operator runs it, with Temporal down: the API port serves no metrics and
// answers problem documents (431 for oversized headers, 404 for unknown routes, 503 for a start), the metrics have a
// loopback listener of their own, and an unset cursor secret is said once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { mintApiKey } from '../src/api/api-keys';
import { loadConfig } from '../src/config';
import { AppMetric } from '../src/observability/metric-names';
import { BODY, harnessClients } from './api/api-harness';
import { parseSamples, sumOf } from './metrics/prometheus-text';
import { freePort } from './support/free-port';

const root = fileURLToPath(new URL('..', import.meta.url));
const PROBLEM = 'application/problem+json';

describe('the server process with Temporal unreachable', { timeout: 120_000 }, () => {
  let server: ChildProcess;
  let stderr = '';
  let api: string;
  let metricsUrl: string;
  const key = mintApiKey('acme', ['payments:write', 'payments:read']);
  const operator = mintApiKey('ops', ['payloads:decode']);
  let codecEndpoint: string;
  const dir = mkdtempSync(join(tmpdir(), 'app-server-'));

  before(async () => {
    const [appPort, temporalPort] = [await freePort(), await freePort()];
    const keysFile = join(dir, 'api-keys');
    writeFileSync(keysFile, `${key.entry}\n${operator.entry}\n`);
    const codecKeys = join(dir, 'codec-keys');
    writeFileSync(codecKeys, `k1 ${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    api = `http://127.0.0.1:${appPort}`;
    // acme pays from BODY's wallet, so a start passes the API's checks and reaches Temporal (which is not there).
    const clientsFile = join(dir, 'clients.json');
    writeFileSync(clientsFile, JSON.stringify(harnessClients([])));
    server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, // nothing listens there
        APP_HOST: '127.0.0.1',
        APP_PORT: String(appPort),
        APP_METRICS_ADDRESS: '127.0.0.1:0',
        DFNS_WEBHOOK_SECRETS: 'whsec_app_server_test_0123456789',
        API_KEYS_FILE: keysFile,
        PAYMENT_CLIENTS_FILE: clientsFile,
        LOG_LEVEL: 'info',
        TEMPORAL_CODEC_KEYS_FILE: codecKeys,
        APP_CODEC_ADDRESS: '127.0.0.1:0',
      },
    });
    const listening = await new Promise<Record<string, unknown>>((resolve, reject) => {
      server.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const line = stderr.split('\n').find((l) => l.includes('"msg":"listening"'));
        if (line) resolve(JSON.parse(line) as Record<string, unknown>);
      });
      server.once('exit', (code) => reject(new Error(`the server exited ${code}: ${stderr}`)));
    });
    metricsUrl = listening.metrics as string;
    codecEndpoint = listening.codec as string;
  });
  after(() => {
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the codec endpoint on a loopback listener of its own, to an operator key only', async () => {
    assert.equal(loadConfig({}).APP_CODEC_ADDRESS, '127.0.0.1:8789');
    assert.match(codecEndpoint, /^http:\/\/127\.0\.0\.1:\d+\/codec$/);
    assert.notEqual(new URL(codecEndpoint).port, new URL(api).port);
    const decode = (base: string, bearer: string) =>
      fetch(`${base}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ payloads: [] }),
      });
    assert.equal((await decode(codecEndpoint, operator.key)).status, 200);
    assert.equal((await decode(codecEndpoint, key.key)).status, 403);
    const onApiPort = await decode(`${api}/codec`, operator.key);
    assert.equal(onApiPort.status, 404, 'never on the API port');
    assert.equal(onApiPort.headers.get('content-type'), PROBLEM);
  });

  it('listens for metrics on loopback by default, on an address of its own', () => {
    assert.equal(loadConfig({}).APP_METRICS_ADDRESS, '127.0.0.1:9465');
    assert.match(metricsUrl, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.notEqual(new URL(metricsUrl).port, new URL(api).port);
  });

  it('serves no /metrics on the API port: a 404 problem document', async () => {
    const response = await fetch(`${api}/metrics`);
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('content-type'), PROBLEM);
    assert.equal(((await response.json()) as { type: string }).type, 'urn:problem:payments:not_found');
  });

  it('serves the app metrics on the metrics listener', async () => {
    // Counting payments waits out the SDK's retries against the missing Temporal, then reports visibility down.
    const response = await fetch(metricsUrl);
    assert.equal(response.status, 200);
    const samples = parseSamples(await response.text());
    assert.equal(sumOf(samples, AppMetric.visibilityUp), 0);
    assert.ok(samples.some((s) => s.name === AppMetric.webhookDeliveries));
    assert.ok(sumOf(samples, 'process_cpu_seconds_total') > 0);
  });

  it('answers a start with 503 temporal_unavailable, and an unknown /v1 route with a 404 problem', async () => {
    const headers = { authorization: `Bearer ${key.key}` };
    const start = await fetch(`${api}/v1/payments`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': 'server-down-1' },
      body: JSON.stringify(BODY),
    });
    assert.equal(start.status, 503);
    assert.equal(start.headers.get('content-type'), PROBLEM);
    assert.equal(((await start.json()) as { type: string }).type, 'urn:problem:payments:temporal_unavailable');
    const unknown = await fetch(`${api}/v1/payments/`, { headers });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get('content-type'), PROBLEM);
  });

  it('answers a 20,000-character header with a 431 problem document', async () => {
    const answer = await new Promise<{ status: number; type: unknown; body: string }>((resolve, reject) => {
      const url = new URL(`${api}/v1/payments`);
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, headers: { authorization: 'x'.repeat(20_000) } },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(answer.status, 431);
    assert.equal(answer.type, PROBLEM);
    assert.equal((JSON.parse(answer.body) as { status: number }).status, 431);
  });

  it('says once that list cursors use a per-process key, and logs no secret', () => {
    const warnings = stderr.split('\n').filter((line) => line.includes('API_CURSOR_SECRET is not set'));
    assert.equal(warnings.length, 1);
    assert.ok(!stderr.includes(key.key), 'the API key reached a log line');
    assert.ok(!stderr.includes('whsec_app_server_test'), 'the webhook secret reached a log line');
  });
});
