import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { record } from '../../src/contracts/payment-state';
import { apiHarness } from './api-harness';

describe('following a payment: GET /v1/payments/{id}?after=VERSION (long-poll)', () => {
  it('answers at once with the payment once it changed past `after`, and 204 when it did not', async () => {
    const h = apiHarness();
    const started = await h.start(h.keys.acme, 'follow-me');
    const paymentId = String(started.json.paymentId);
    const path = `/v1/payments/${encodeURIComponent(paymentId)}`;
    const first = await h.request(path, { key: h.keys.reader });
    assert.equal(first.status, 200);
    const version = first.json.version as number;
    assert.equal(version, (first.json.timeline as unknown[]).length);

    const unchanged = await h.request(`${path}?after=${version}&wait=5`, { key: h.keys.reader });
    assert.equal(unchanged.status, 204);
    assert.equal(unchanged.text, '');
    const asked = h.fake.calls.filter((call) => call.method === 'waitForChange').at(-1);
    assert.deepEqual(asked?.args, [paymentId, version, 5_000], 'the wait is passed on in milliseconds');

    const state = h.fake.payments.get(paymentId)!;
    h.fake.payments.set(
      paymentId,
      record(state, { source: 'webhook', event: 'wallet.transfer.requested' }, state.createdAt),
    );
    const changed = await h.request(`${path}?after=${version}`, { key: h.keys.reader });
    assert.equal(changed.status, 200);
    assert.equal(changed.json.version, version + 1);
    assert.equal(
      h.fake.calls.filter((call) => call.method === 'waitForChange').at(-1)?.args[2],
      30_000,
      'default wait',
    );
  });

  it('names the bad field in a 400 problem', async () => {
    const h = apiHarness();
    const id = encodeURIComponent(String((await h.start(h.keys.acme, 'bad-wait')).json.paymentId));
    for (const [query, field] of [
      ['after=-1', 'after'],
      ['after=1.5', 'after'],
      ['after=x', 'after'],
      ['after=1&wait=0', 'wait'],
      ['after=1&wait=61', 'wait'],
    ] as const) {
      const response = await h.request(`/v1/payments/${id}?${query}`, { key: h.keys.acme });
      assert.equal(response.status, 400, query);
      const errors = response.json.errors as { field: string }[];
      assert.ok(
        errors.some((error) => error.field === field),
        `${query}: ${JSON.stringify(errors)}`,
      );
    }
  });

  it("needs a key, and never waits on another client's payment", async () => {
    const h = apiHarness();
    const id = encodeURIComponent(String((await h.start(h.keys.acme, 'private')).json.paymentId));
    assert.equal((await h.request(`/v1/payments/${id}?after=0`)).status, 401);
    const before = h.fake.calls.length;
    const other = await h.request(`/v1/payments/${id}?after=0&wait=1`, { key: h.keys.globex });
    assert.equal(other.status, 404);
    assert.equal(h.fake.calls.length, before, "another client's id never reaches Temporal");
    const missing = await h.request(`/v1/payments/${encodeURIComponent('payment:acme:nope')}?after=0`, {
      key: h.keys.acme,
    });
    assert.equal(missing.status, 404);
  });
});
