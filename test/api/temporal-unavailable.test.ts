// Temporal unreachable → 503 `temporal_unavailable` on every API route, starts and batch starts included, never 500.
// The backends are the real ones (src/api/temporal-payments.ts, src/batches/temporal-batches.ts) on the server's lazy
// client (lazyTemporalClient) pointed at a loopback port where nothing listens, so every error is the SDK's own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, type Connection } from '@temporalio/client';
import { createApiKeyVerifier, mintApiKey, parseApiKeyEntry } from '../../src/api/api-keys';
import { createTemporalPayments } from '../../src/api/temporal-payments';
import { createApp } from '../../src/app';
import { createTemporalBatches } from '../../src/batches/temporal-batches';
import { loadConfig } from '../../src/config';
import { lazyTemporalClient } from '../../src/temporal/connection';
import { createTemporalSignaler } from '../../src/temporal/payment-signaler';
import { captureLogs } from '../logging/log-capture';
import { freePort } from '../support/free-port';
import { BODY, RECIPIENT, harnessClients } from './api-harness';
import { clientBindings } from '../../src/clients/client-bindings';
import { parseClientsFile } from '../../src/clients/load-clients-file';

describe('every API route while Temporal refuses connections', { timeout: 180_000 }, () => {
  let connection: Connection;
  let app: ReturnType<typeof createApp>;
  const logs = captureLogs('api');
  const acme = mintApiKey('acme', ['payments:write', 'payments:read', 'payments:operate']);
  before(async () => {
    const port = await freePort(); // free a moment ago, and nothing listens there: connections are refused
    connection = lazyTemporalClient(loadConfig({ TEMPORAL_ADDRESS: `127.0.0.1:${port}` }), '3s');
    const client = new Client({ connection, namespace: 'default' });
    app = createApp({
      webhook: {
        secrets: ['whsec_unavailable_0123456789'],
        toleranceSeconds: 300,
        signaler: createTemporalSignaler(client),
        logger: logs.logger,
      },
      api: {
        backend: createTemporalPayments(client, {
          taskQueue: 'payments',
          namespace: 'default',
          cursorSecret: 'temporal-unavailable-test-cursor-key',
        }),
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
  });

  it('answers 503 temporal_unavailable, as a problem document, to starts, reads, actions and batches', async () => {
    const json = { 'content-type': 'application/json' };
    const routes: [string, string, Record<string, string>?, string?][] = [
      ['POST', '/v1/payments', { ...json, 'Idempotency-Key': 'down-1' }, JSON.stringify(BODY)],
      ['GET', '/v1/payments'],
      ['GET', '/v1/payments?status=Broadcasted&limit=5'],
      ['GET', '/v1/payments/payment:acme:down-1'],
      ['GET', '/v1/payments/payment:acme:down-1?after=0&wait=1'],
      ['POST', '/v1/payments/payment:acme:down-1/cancel', json, '{"reason":"test"}'],
      ['POST', '/v1/payments/payment:acme:down-1/retry', json, '{}'],
      ['POST', '/v1/payments/payment:acme:down-1/speed-up', json, '{}'],
      [
        'POST',
        '/v1/batches',
        { ...json, 'Idempotency-Key': 'down-b1' },
        JSON.stringify({ rows: [{ key: 'r1', ...BODY }] }),
      ],
      [
        'POST',
        '/v1/batches?concurrency=5',
        { 'content-type': 'text/csv', 'Idempotency-Key': 'down-b2' },
        `key,walletId,network,asset,to,amount\nr1,wa-acme-1,BaseSepolia,native,${RECIPIENT},1500000\n`,
      ],
      ['GET', '/v1/batches/batch:acme:down-b1'],
      ['GET', '/v1/batches/batch:acme:down-b1/report'],
      ['POST', '/v1/batches/batch:acme:down-b1/cancel', json, '{"reason":"test"}'],
    ];
    // Concurrently: each waits out the SDK's retries (about 15 s), and none may wait for another.
    const answers = await Promise.all(
      routes.map(async ([method, path, headers = {}, body]) => {
        const response = await app.request(path, {
          method,
          headers: { ...headers, authorization: `Bearer ${acme.key}` },
          ...(body === undefined ? {} : { body }),
        });
        return { route: `${method} ${path}`, response, text: await response.text() };
      }),
    );
    for (const { route, response, text } of answers) {
      assert.equal(response.status, 503, `${route}: ${text}`);
      assert.equal(response.headers.get('content-type'), 'application/problem+json', route);
      const problem = JSON.parse(text) as Record<string, unknown>;
      assert.equal(problem.type, 'urn:problem:payments:temporal_unavailable', route);
      assert.ok(!/ECONNREFUSED|DEADLINE|stack/i.test(text), `${route}: the cause stays in the log`);
    }
    const records = logs.records();
    assert.equal(records.filter((r) => r.msg === 'unhandled API error').length, 0, 'nothing was answered 500');
    assert.ok(
      records.filter((r) => r.msg === 'Temporal unavailable').length >= routes.length,
      'each is logged as such',
    );
  });

  it('says why /readyz is not ready', async () => {
    const response = await app.request('/readyz');
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    const problem = (await response.json()) as { errors: { field: string; message: string }[] };
    assert.deepEqual(problem.errors, [{ field: 'temporal', message: 'Temporal is not reachable' }]);
  });
});
