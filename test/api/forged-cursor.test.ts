// A list cursor that fails its HMAC seal (src/api/visibility-page.ts) is answered 400 naming `cursor` at once: Temporal
// is never called (the "Temporal" here is a loopback listener that counts the connections the API makes), and
// nothing is logged as an outage. The time each answer took is reported (a measurement, not an assertion).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { Client, type Connection } from '@temporalio/client';
import { createApiKeyVerifier, mintApiKey, parseApiKeyEntry } from '../../src/api/api-keys';
import { paymentListQuery } from '../../src/api/payment-list-query';
import { createTemporalPayments } from '../../src/api/temporal-payments';
import { cursorSeal } from '../../src/api/visibility-page';
import { createApp } from '../../src/app';
import { createTemporalBatches } from '../../src/batches/temporal-batches';
import { loadConfig } from '../../src/config';
import { lazyTemporalClient } from '../../src/temporal/connection';
import { createTemporalSignaler } from '../../src/temporal/payment-signaler';
import { captureLogs } from '../logging/log-capture';
import { harnessClients } from './api-harness';
import { clientBindings } from '../../src/clients/client-bindings';
import { parseClientsFile } from '../../src/clients/load-clients-file';

const SECRET = 'forged-cursor-test-server-secret-0123';

/** A cursor as anyone could mint one without the server's secret: an unkeyed SHA-256 of query and token. */
function unkeyedCursor(token: string, query: string): string {
  const t = Buffer.from(token).toString('base64url');
  const c = createHash('sha256').update(`${query}\n${t}`).digest('base64url');
  return Buffer.from(JSON.stringify({ t, c })).toString('base64url');
}

describe('a forged list cursor', { timeout: 120_000 }, () => {
  let temporal: Server;
  const sockets: Socket[] = [];
  let connection: Connection;
  let app: ReturnType<typeof createApp>;
  const logs = captureLogs('api', 'debug');
  const acme = mintApiKey('acme', ['payments:read']);

  before(async () => {
    // Stands where Temporal would be: it only counts the connections the API opens, and drops them.
    temporal = createServer((socket) => {
      sockets.push(socket);
      socket.destroy();
    });
    await new Promise<void>((resolve) => temporal.listen(0, '127.0.0.1', resolve));
    const { port } = temporal.address() as { port: number };
    connection = lazyTemporalClient(loadConfig({ TEMPORAL_ADDRESS: `127.0.0.1:${port}` }), '3s');
    const client = new Client({ connection, namespace: 'default' });
    app = createApp({
      webhook: {
        secrets: ['whsec_forged_cursor_0123'],
        toleranceSeconds: 300,
        signaler: createTemporalSignaler(client),
        logger: logs.logger,
      },
      api: {
        backend: createTemporalPayments(client, { taskQueue: 'payments', namespace: 'default', cursorSecret: SECRET }),
        batches: createTemporalBatches(client, { taskQueue: 'payments' }),
        verifyKey: createApiKeyVerifier([parseApiKeyEntry(acme.entry)]),
        // acme pays from the harness's wallet, so a start reaches Temporal (which is not there).
        clients: clientBindings(parseClientsFile(harnessClients([]), 'the test clients file')),
        rateLimitPerMinute: 1000,
        logger: logs.logger,
      },
    });
  });
  after(async () => {
    await connection?.close();
    await new Promise((resolve) => temporal?.close(resolve));
  });

  const list = (query: string) =>
    app.request(`/v1/payments${query}`, { headers: { authorization: `Bearer ${acme.key}` } });

  it('is answered 400 naming `cursor`, without a Temporal call or an outage line', async (t) => {
    const query = paymentListQuery({ clientId: 'acme', limit: 20 });
    const token = '{"StartTime":"2026-01-01T00:00:00Z","RunID":"forged"}';
    const forged = {
      'unkeyed SHA-256 (the old seal)': unkeyedCursor(token, query),
      'sealed under another secret': cursorSeal('a-different-secret-0123456789abcdef').seal(Buffer.from(token), query),
      "the server's own seal, for other filters": cursorSeal(SECRET).seal(
        Buffer.from(token),
        paymentListQuery({ clientId: 'acme', status: 'Failed', limit: 20 }),
      ),
      "another client's cursor": cursorSeal(SECRET).seal(
        Buffer.from(token),
        paymentListQuery({ clientId: 'globex', limit: 20 }),
      ),
      garbage: 'bm90LWEtY3Vyc29y',
    };
    // The first request through a fresh app compiles its routes and schemas; time that apart from the seal check.
    const warm = performance.now();
    assert.equal((await list('?limit=0')).status, 400);
    t.diagnostic(`first request (a bad limit), cold app: ${(performance.now() - warm).toFixed(1)} ms`);
    for (const [what, cursor] of Object.entries(forged)) {
      const started = performance.now();
      const response = await list(`?cursor=${cursor}`);
      const ms = performance.now() - started;
      t.diagnostic(`${what}: ${response.status} in ${ms.toFixed(1)} ms`);
      assert.equal(response.status, 400, what);
      assert.equal(response.headers.get('content-type'), 'application/problem+json');
      const problem = (await response.json()) as { type: string; errors: { field: string }[] };
      assert.equal(problem.type, 'urn:problem:payments:invalid_cursor', what);
      assert.deepEqual(
        problem.errors.map((e) => e.field),
        ['cursor'],
        what,
      );
    }
    assert.equal(sockets.length, 0, 'no connection reached Temporal');
    const loud = logs.records().filter((r) => (r.level as number) >= 40);
    assert.deepEqual(loud, [], 'nothing logged at warn or above');
  });

  it('differs from a listing that does reach Temporal (the counter sees it)', async () => {
    const pending = list('');
    for (let i = 0; i < 100 && sockets.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(sockets.length > 0, 'a listing without a cursor connects to Temporal');
    assert.equal((await pending).status, 503, 'and, refused there, is answered 503 once the SDK gives up');
  });
});
