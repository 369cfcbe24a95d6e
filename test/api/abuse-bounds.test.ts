// Abuse is bounded and every refusal is a problem document: failed authentication is rate-limited per source address
// (src/api/api-key-auth.ts), oversized headers get a 431 problem from the server itself (src/api/client-errors.ts),
// and unknown routes and middleware refusals answer application/problem+json (src/api/problem.ts, src/app.ts).
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { answerClientErrorsAsProblems } from '../../src/api/client-errors';
import { MAX_API_BODY_BYTES } from '../../src/api/api-app';
import { apiHarness, BODY, GLOBEX_WALLET } from './api-harness';

const PROBLEM = 'application/problem+json';

/** Asserts an answer is an RFC 9457 problem document with this status, and returns its body. */
function assertProblem(res: { status: number; headers: Headers; json: Record<string, unknown> }, status: number) {
  assert.equal(res.status, status);
  assert.equal(res.headers.get('content-type'), PROBLEM, `status ${status}`);
  assert.equal(res.json.status, status);
  assert.match(String(res.json.type), /^urn:problem:payments:[a-z_]+$/);
  assert.equal(typeof res.json.title, 'string');
  return res.json;
}

/** Serves an app on a loopback port as src/server.ts does (with the clientError handler). */
async function listen(fetch: (request: Request) => Response | Promise<Response>) {
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  answerClientErrorsAsProblems(server);
  const { port } = server.address() as AddressInfo;
  return { server, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A raw HTTP/1.1 request (fetch cannot send what Node's parser refuses in the first place). */
function rawRequest(port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('failed authentication is rate-limited per source address', () => {
  it('answers 401 up to the limit, then 429 with Retry-After, while good keys and other addresses pass', async () => {
    const h = apiHarness({ authFailuresPerMinute: 3 });
    const attacker = '198.51.100.7';
    for (let i = 0; i < 3; i++) {
      const res = await h.request('/v1/payments', { key: `pk_wrongwrongwr_${'x'.repeat(43)}`, from: attacker });
      assertProblem(res, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="payments"');
    }
    const limited = await h.request('/v1/payments', { from: attacker });
    const problem = assertProblem(limited, 429);
    assert.equal(problem.type, 'urn:problem:payments:too_many_failed_authentications');
    assert.match(limited.headers.get('retry-after') ?? '', /^[1-9]\d*$/, 'Retry-After in whole seconds');
    assert.equal(h.fake.calls.length, 0, 'no refused request reached the backend');

    // A caller whose key verifies is never counted or refused, even from the limited address.
    for (let i = 0; i < 5; i++) {
      const ok = await h.request('/v1/payments', { key: h.keys.acme, from: attacker });
      assert.equal(ok.status, 200, `good key #${i + 1}`);
    }
    assert.equal((await h.start(h.keys.globex, 'after-limit', { ...BODY, walletId: GLOBEX_WALLET })).status, 201);
    // Another address has its own count.
    assertProblem(await h.request('/v1/payments', { from: '203.0.113.9' }), 401);
    // And the limited address stays limited.
    assertProblem(await h.request('/v1/payments', { key: 'pk_nope', from: attacker }), 429);
  });

  it('keys the count by the TCP peer of a real connection', async () => {
    const h = apiHarness({ authFailuresPerMinute: 2 });
    const { port, close } = await listen(h.app.fetch);
    try {
      const url = `http://127.0.0.1:${port}/v1/payments`;
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(url)).status);
      assert.deepEqual(statuses, [401, 401, 429, 429]);
      const good = await fetch(url, { headers: { authorization: `Bearer ${h.keys.acme}` } });
      assert.equal(good.status, 200, 'a good key from the same peer is served');
    } finally {
      await close();
    }
  });
});

describe('oversized headers', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  before(async () => {
    server = await listen(apiHarness().app.fetch);
  });
  after(async () => {
    await server.close();
  });

  it("get a 431 problem document from the server, where Node's parser refuses them", async () => {
    const res = await rawRequest(server.port, '/v1/payments', { 'x-filler': 'a'.repeat(20_000) });
    assert.equal(res.status, 431);
    assert.equal(res.headers['content-type'], PROBLEM);
    assert.equal(res.headers.connection, 'close');
    const problem = JSON.parse(res.body) as Record<string, unknown>;
    assert.deepEqual(
      [problem.type, problem.status, problem.title],
      ['urn:problem:payments:headers_too_large', 431, 'Request Header Fields Too Large'],
    );
    assert.ok(!res.body.includes('aaaa'), 'the header is not echoed');
  });

  it('leave the server serving the next request', async () => {
    const res = await rawRequest(server.port, '/healthz', {});
    assert.equal(res.status, 200);
  });
});

describe('every API error is a problem document', () => {
  it('answers unknown routes under /v1, a trailing slash included, with a 404 problem', async () => {
    const h = apiHarness();
    for (const path of [
      '/v1/nope',
      '/v1/payments/',
      '/v1/batches/',
      '/v1/payments/payment:acme:x/cancel/',
      '/v1/payments/a/b/c',
      '/v1/',
      '/v2/payments',
      '/metrics',
      '/docs/',
    ]) {
      const res = await h.request(path, { key: h.keys.acme });
      const problem = assertProblem(res, 404);
      assert.equal(problem.type, 'urn:problem:payments:not_found', path);
      assert.equal(problem.instance, path);
    }
    // Without a key, the /v1 tree answers 401 first: a problem document too, and it says nothing about the route.
    assertProblem(await h.request('/v1/payments/'), 401);
  });

  it('answers middleware refusals (400, 405, 413, 415, 429) as problems', async () => {
    const h = apiHarness({ rateLimitPerMinute: 3 });
    const key = h.keys.globex;
    const headers = { 'Idempotency-Key': 'problems-1' };
    assertProblem(await h.request('/v1/payments', { method: 'POST', key, headers, body: '{"amount": ' }), 400);
    const notAllowed = assertProblem(await h.request('/v1/payments', { method: 'DELETE', key }), 405);
    assert.equal(notAllowed.type, 'urn:problem:payments:method_not_allowed');
    const big = { ...BODY, note: 'x'.repeat(MAX_API_BODY_BYTES) };
    assertProblem(await h.request('/v1/payments', { method: 'POST', key, headers, body: big }), 413);
    const csv = { 'content-type': 'text/plain', ...headers };
    assertProblem(await h.request('/v1/payments', { method: 'POST', key, headers: csv, body: 'amount=1' }), 415);
    // The per-key limit (3 a minute here) was spent by the 400, 405 and 415 above (413 is refused before the key).
    const limited = assertProblem(await h.request('/v1/payments', { key }), 429);
    assert.equal(limited.type, 'urn:problem:payments:rate_limited');
  });
});
