import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '@temporalio/client';
import { PROBLEM_MEDIA_TYPE } from '../../src/api/problem';
import { apiHarness } from './api-harness';

describe('reading payments', () => {
  it("reads its own payment and 404s another client's, on every route, without asking the backend", async () => {
    const h = apiHarness();
    const started = await h.start(h.keys.acme, 'mine');
    const id = encodeURIComponent(String(started.json.paymentId));
    const own = await h.request(`/v1/payments/${id}`, { key: h.keys.acme });
    assert.equal(own.status, 200);
    assert.equal(own.json.status, 'Accepted');
    assert.deepEqual(
      (own.json.timeline as { event: string }[]).map((entry) => entry.event),
      ['accepted'],
    );
    const before = h.fake.calls.length;
    for (const [method, path, body] of [
      ['GET', `/v1/payments/${id}`, undefined],
      ['POST', `/v1/payments/${id}/cancel`, { reason: 'x' }],
      ['POST', `/v1/payments/${id}/retry`, {}],
      ['POST', `/v1/payments/${id}/speed-up`, {}],
    ] as const) {
      const other = await h.request(path, { method, key: h.keys.globex, ...(body ? { body } : {}) });
      assert.equal(other.status, 404, `${method} ${path}`);
      assert.equal(other.headers.get('content-type'), PROBLEM_MEDIA_TYPE);
      // The same answer as for an id that does not exist: nothing tells the caller that acme has this payment.
      assert.deepEqual(
        { ...other.json, instance: undefined },
        {
          type: 'urn:problem:payments:payment_not_found',
          title: 'Not Found',
          status: 404,
          detail: 'no such payment',
          instance: undefined,
        },
      );
    }
    assert.equal(h.fake.calls.length, before, "another client's id never reaches Temporal");
    const listed = await h.request('/v1/payments', { key: h.keys.globex });
    assert.deepEqual(listed.json.items, []);
  });

  it('answers 404 for an unknown id of the caller', async () => {
    const h = apiHarness();
    const response = await h.request(`/v1/payments/${encodeURIComponent('payment:acme:nope')}`, { key: h.keys.acme });
    assert.equal(response.status, 404);
  });

  it('lists with filters and a cursor; the client filter is always the caller', async () => {
    const h = apiHarness();
    for (const key of ['l1', 'l2', 'l3']) assert.equal((await h.start(h.keys.acme, key)).status, 201);
    const first = await h.request(
      '/v1/payments?limit=2&status=Accepted&network=BaseSepolia&stuck=false&createdAfter=2020-01-01T00:00:00Z',
      {
        key: h.keys.reader,
      },
    );
    assert.equal(first.status, 200, first.text);
    assert.equal((first.json.items as unknown[]).length, 2);
    const filter = h.fake.calls.find((call) => call.method === 'list')?.args[0];
    assert.deepEqual(filter, {
      clientId: 'acme',
      status: 'Accepted',
      network: 'BaseSepolia',
      stuck: false,
      createdAfter: '2020-01-01T00:00:00.000Z',
      limit: 2,
    });
    const second = await h.request(`/v1/payments?limit=2&cursor=${String(first.json.nextCursor)}`, {
      key: h.keys.acme,
    });
    assert.deepEqual(
      (second.json.items as { paymentId: string }[]).map((item) => item.paymentId),
      ['payment:acme:l3'],
    );
    assert.equal(second.json.nextCursor, undefined);
  });

  it('refuses bad filters and cursors with 400 naming each', async () => {
    const h = apiHarness();
    const bad = await h.request(
      "/v1/payments?status=Lost&limit=0&wallet=x'&asset=eth&createdBefore=yesterday&sort=asc",
      { key: h.keys.acme },
    );
    assert.equal(bad.status, 400);
    const fields = (bad.json.errors as { field: string }[]).map((error) => error.field).sort();
    assert.deepEqual(fields, ['asset', 'createdBefore', 'limit', 'sort', 'status', 'wallet']);
    const cursor = await h.request('/v1/payments?cursor=bad', { key: h.keys.acme });
    assert.equal(cursor.status, 400);
    assert.deepEqual(cursor.json.errors, [{ field: 'cursor', message: 'is not a cursor from this listing' }]);
  });
});

describe('operator actions', () => {
  it('maps cancel, retry and speed-up to the backend with the caller as operator', async () => {
    const h = apiHarness();
    const id = encodeURIComponent('payment:acme:ops');
    await h.start(h.keys.acme, 'ops');
    const cancel = await h.request(`/v1/payments/${id}/cancel`, {
      method: 'POST',
      key: h.keys.acme,
      body: { reason: 'duplicate' },
    });
    assert.equal(cancel.status, 200);
    assert.deepEqual(cancel.json, { paymentId: 'payment:acme:ops', status: 'Cancelled', message: 'cancel done' });
    const act = h.fake.calls.find((call) => call.method === 'act');
    assert.deepEqual(act?.args.slice(0, 2), ['payment:acme:ops', 'cancel']);
    assert.match((act?.args[2] as { operator: string }).operator, /^acme\/[a-z0-9]{12}$/);
  });

  it("answers a validator's refusal with 409 and its reason", async () => {
    const h = apiHarness();
    await h.start(h.keys.acme, 'late');
    h.fake.refuse('cancel', 'cannot cancel: the transfer is already broadcast (0xabc); use speedUp or wait');
    const response = await h.request(`/v1/payments/${encodeURIComponent('payment:acme:late')}/cancel`, {
      method: 'POST',
      key: h.keys.acme,
      body: { reason: 'x' },
    });
    assert.equal(response.status, 409);
    assert.equal(response.json.detail, 'cannot cancel: the transfer is already broadcast (0xabc); use speedUp or wait');
  });

  it('answers 202 for an action the payment accepted that is still at work', async () => {
    const h = apiHarness();
    await h.start(h.keys.acme, 'slow');
    h.fake.keepAtWork('speed-up');
    const response = await h.request(`/v1/payments/${encodeURIComponent('payment:acme:slow')}/speed-up`, {
      method: 'POST',
      key: h.keys.acme,
      body: {},
    });
    assert.equal(response.status, 202);
    assert.equal(response.json.paymentId, 'payment:acme:slow');
    assert.equal(h.fake.calls.find((call) => call.method === 'act')?.args[3], undefined, 'no key sent, none passed');
    assert.match(response.json.message as string, /^accepted; the speed-up is still at work/);
  });

  it("passes an operator action's Idempotency-Key to the backend, and refuses a malformed one naming the header", async () => {
    const h = apiHarness();
    await h.start(h.keys.acme, 'keyed');
    const path = `/v1/payments/${encodeURIComponent('payment:acme:keyed')}/speed-up`;
    const ok = await h.request(path, {
      method: 'POST',
      key: h.keys.acme,
      body: {},
      headers: { 'Idempotency-Key': 'fee-1' },
    });
    assert.equal(ok.status, 200);
    assert.equal(h.fake.calls.find((call) => call.method === 'act')?.args[3], 'fee-1');
    const bad = await h.request(path, {
      method: 'POST',
      key: h.keys.acme,
      body: {},
      headers: { 'Idempotency-Key': 'no spaces' },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(
      (bad.json.errors as { field: string }[]).map((error) => error.field),
      ['Idempotency-Key'],
    );
  });

  it('needs a reason to cancel and payments:operate to act', async () => {
    const h = apiHarness();
    const id = encodeURIComponent('payment:acme:x');
    const noReason = await h.request(`/v1/payments/${id}/cancel`, { method: 'POST', key: h.keys.acme, body: {} });
    assert.equal(noReason.status, 400);
    assert.deepEqual(
      (noReason.json.errors as { field: string }[]).map((error) => error.field),
      ['reason'],
    );
    const reader = await h.request(`/v1/payments/${id}/retry`, { method: 'POST', key: h.keys.reader, body: {} });
    assert.equal(reader.status, 403);
  });
});

describe('around the routes', () => {
  it('401s without a valid key, never echoing what was sent', async () => {
    const h = apiHarness();
    const forged = `${h.keys.acme.slice(0, -4)}AAAA`;
    for (const authorization of [undefined, 'Basic abc', `Bearer ${forged}`, 'Bearer pk_short']) {
      const response = await h.request('/v1/payments', { ...(authorization ? { headers: { authorization } } : {}) });
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="payments"');
      assert.ok(!response.text.includes(forged));
    }
    assert.ok(!h.lines.join('\n').includes(h.keys.acme.slice(16)), 'no key in the logs');
  });

  it('rate-limits each key: 429 with Retry-After, other keys unaffected', async () => {
    const h = apiHarness({ rateLimitPerMinute: 2 });
    assert.equal((await h.request('/v1/payments', { key: h.keys.acme })).status, 200);
    assert.equal((await h.request('/v1/payments', { key: h.keys.acme })).status, 200);
    const limited = await h.request('/v1/payments', { key: h.keys.acme });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal(limited.headers.get('content-type'), PROBLEM_MEDIA_TYPE);
    assert.equal((await h.request('/v1/payments', { key: h.keys.globex })).status, 200);
  });

  it('never accepts an API key on the webhook bridge', async () => {
    const h = apiHarness();
    const response = await h.request('/webhooks/dfns', {
      method: 'POST',
      key: h.keys.acme,
      body: { kind: 'wallet.transfer.confirmed' },
    });
    assert.equal(response.status, 401);
  });

  it('answers 405 with Allow for an undeclared method', async () => {
    const h = apiHarness();
    const response = await h.request('/v1/payments', { method: 'DELETE', key: h.keys.acme });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST, GET, HEAD');
  });

  it('answers 503 when Temporal is unavailable and 500 without details for anything else', async () => {
    const h = apiHarness();
    h.fake.failWith(new ServiceError('connect ECONNREFUSED 127.0.0.1:7233'));
    const down = await h.start(h.keys.acme, 'k1');
    assert.equal(down.status, 503);
    assert.doesNotMatch(down.text, /ECONNREFUSED/);
    h.fake.failWith(new Error('secret-bearing internal detail'));
    const broken = await h.request(`/v1/payments/${encodeURIComponent('payment:acme:k1')}`, { key: h.keys.acme });
    assert.equal(broken.status, 500);
    assert.doesNotMatch(broken.text, /secret-bearing|at /);
  });

  it('reports readiness from the backend, healthz always', async () => {
    const h = apiHarness();
    assert.equal((await h.request('/readyz')).status, 200);
    h.fake.setReadiness(['search attribute PaymentClient is not registered in namespace default']);
    const notReady = await h.request('/readyz');
    assert.equal(notReady.status, 503);
    assert.match(String(notReady.json.detail), /PaymentClient/);
    assert.deepEqual((await h.request('/healthz')).json, { ok: true });
  });

  it('serves the OpenAPI 3.1 document and the reference page', async () => {
    const h = apiHarness();
    const doc = await h.request('/openapi.json');
    assert.equal(doc.json.openapi, '3.1.0');
    const docs = await h.app.request('/docs');
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /openapi\.json/);
  });
});
