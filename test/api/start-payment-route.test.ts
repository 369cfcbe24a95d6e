import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_API_BODY_BYTES } from '../../src/api/api-app';
import { PROBLEM_MEDIA_TYPE } from '../../src/api/problem';
import { apiHarness, BODY, GLOBEX_WALLET, RECIPIENT } from './api-harness';

const starts = (h: ReturnType<typeof apiHarness>) => h.fake.calls.filter((call) => call.method === 'start').length;

describe('POST /v1/payments', () => {
  it('starts a payment scoped to the client: 201 with Location, then 200 with the same payment on replay', async () => {
    const h = apiHarness();
    const first = await h.start(h.keys.acme, 'payout-1');
    assert.equal(first.status, 201);
    assert.equal(first.json.paymentId, 'payment:acme:payout-1');
    assert.equal(first.json.clientId, 'acme');
    assert.equal(first.json.idempotencyKey, 'payout-1');
    assert.deepEqual(first.json.request, BODY);
    assert.equal(first.headers.get('location'), '/v1/payments/payment%3Aacme%3Apayout-1');
    const replay = await h.start(h.keys.acme, 'payout-1', { ...BODY, asset: { kind: 'Native' } });
    assert.equal(replay.status, 200);
    assert.equal(replay.json.paymentId, first.json.paymentId);
    assert.deepEqual(
      h.fake.calls.filter((call) => call.method === 'start').map((call) => call.args.slice(0, 2)),
      [
        ['acme', 'payout-1'],
        ['acme', 'payout-1'],
      ],
    );
  });

  it('refuses the same key with a different body: 422 naming the key', async () => {
    const h = apiHarness();
    await h.start(h.keys.acme, 'payout-2');
    const conflict = await h.start(h.keys.acme, 'payout-2', { ...BODY, amount: '1500001' });
    assert.equal(conflict.status, 422);
    assert.equal(conflict.headers.get('content-type'), PROBLEM_MEDIA_TYPE);
    assert.deepEqual(conflict.json.errors, [
      { field: 'Idempotency-Key', message: 'already used with a different body' },
    ]);
    assert.match(String(conflict.json.detail), /payout-2/);
  });

  it('gives two clients using the same key two payments', async () => {
    const h = apiHarness();
    const a = await h.start(h.keys.acme, 'same-key');
    const b = await h.start(h.keys.globex, 'same-key', { ...BODY, walletId: GLOBEX_WALLET, amount: '7' });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.notEqual(a.json.paymentId, b.json.paymentId);
  });

  const refusals: {
    name: string;
    send: (h: ReturnType<typeof apiHarness>) => ReturnType<ReturnType<typeof apiHarness>['request']>;
    status: number;
    fields?: string[];
  }[] = [
    {
      name: 'a missing Idempotency-Key',
      send: (h) => h.request('/v1/payments', { method: 'POST', key: h.keys.acme, body: BODY }),
      status: 400,
      fields: ['Idempotency-Key'],
    },
    {
      name: 'an Idempotency-Key with a colon',
      send: (h) => h.start(h.keys.acme, 'a:b'),
      status: 400,
      fields: ['Idempotency-Key'],
    },
    {
      name: 'an unknown field',
      send: (h) => h.start(h.keys.acme, 'k1', { ...BODY, memo: 'x' }),
      status: 400,
      fields: ['memo'],
    },
    {
      name: 'an unknown asset field',
      send: (h) => h.start(h.keys.acme, 'k1', { ...BODY, asset: { kind: 'Native', x: 1 } }),
      status: 400,
      fields: ['asset.x'],
    },
    {
      name: 'an idempotencyKey in the body',
      send: (h) => h.start(h.keys.acme, 'k1', { ...BODY, idempotencyKey: 'k1' }),
      status: 400,
      fields: ['idempotencyKey'],
    },
    {
      name: 'an amount above uint256',
      send: (h) => h.start(h.keys.acme, 'k1', { ...BODY, amount: (2n ** 256n).toString() }),
      status: 400,
      fields: ['amount'],
    },
    {
      // Found by Schemathesis: the contract says `format: uri`, which a non-ASCII host is not.
      name: 'a callbackUrl that is not a URI (non-ASCII host)',
      send: (h) => h.start(h.keys.acme, 'k1', { ...BODY, callbackUrl: 'https://Ï' }),
      status: 400,
      fields: ['callbackUrl'],
    },
    {
      name: 'a decimal amount',
      send: (h) => h.start(h.keys.acme, 'k1', { ...BODY, amount: '1.5' }),
      status: 400,
      fields: ['amount'],
    },
    {
      name: 'a bad checksum',
      send: (h) => h.start(h.keys.acme, 'k1', { ...BODY, to: RECIPIENT.replace('a', 'A') }),
      status: 400,
      fields: ['to'],
    },
    {
      name: 'several bad fields',
      send: (h) => h.start(h.keys.acme, 'k1', { walletId: 'x', network: 'Mars', asset: {}, amount: 5 }),
      status: 400,
      fields: ['walletId', 'network', 'asset.kind', 'to', 'amount'],
    },
    { name: 'malformed JSON', send: (h) => h.start(h.keys.acme, 'k1', '{"walletId":'), status: 400 },
    { name: 'a JSON array', send: (h) => h.start(h.keys.acme, 'k1', '[]'), status: 400, fields: ['(body)'] },
    {
      name: 'a text/plain body',
      send: (h) =>
        h.request('/v1/payments', {
          method: 'POST',
          key: h.keys.acme,
          headers: { 'Idempotency-Key': 'k1', 'content-type': 'text/plain' },
          body: JSON.stringify(BODY),
        }),
      status: 415,
    },
    {
      name: 'an oversized body',
      send: (h) => h.start(h.keys.acme, 'k1', { ...BODY, reference: 'x'.repeat(MAX_API_BODY_BYTES) }),
      status: 413,
    },
  ];
  for (const { name, send, status, fields } of refusals) {
    it(`answers ${status} for ${name}, naming the field, and starts nothing`, async () => {
      const h = apiHarness();
      const response = await send(h);
      assert.equal(response.status, status, response.text);
      assert.equal(response.headers.get('content-type'), PROBLEM_MEDIA_TYPE);
      assert.equal(response.json.status, status);
      assert.match(String(response.json.type), /^urn:problem:payments:/);
      if (fields)
        assert.deepEqual(
          [...new Set((response.json.errors as { field: string }[]).map((e) => e.field))].sort(),
          [...fields].sort(),
        );
      assert.doesNotMatch(response.text, /at .*\.ts:\d+|Error:/);
      assert.equal(starts(h), 0);
    });
  }

  it('needs payments:write (403) and a key (401)', async () => {
    const h = apiHarness();
    const forbidden = await h.start(h.keys.reader, 'k1');
    assert.equal(forbidden.status, 403);
    assert.match(String(forbidden.json.detail), /payments:write/);
    const anonymous = await h.request('/v1/payments', {
      method: 'POST',
      headers: { 'Idempotency-Key': 'k1' },
      body: BODY,
    });
    assert.equal(anonymous.status, 401);
    assert.equal(starts(h), 0);
  });
});
