import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { webhookSignature } from '../../../sandbox/src/webhooks/webhook-signature';
import { admin, sendNative, startTestSandbox, waitFor, type Json, type TestSandbox } from '../helpers';
import { resetSandbox } from '../policy-support';

const transferIdOf = (json: Json) => json.data?.transferRequest?.id as string | undefined;

describe('reorder hold in real milliseconds and the raw delivery log', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ timeScale: 100 });
  });
  beforeEach(async () => {
    await resetSandbox(t);
    t.receiver.requests.length = 0;
  });
  after(async () => {
    await t.close();
  });

  const kindsFor = (transferId: string) =>
    t.receiver.requests.filter((r) => transferIdOf(r.json) === transferId).map((r) => r.json.kind as string);

  it('a held `requested` arrives after the same transfer`s own broadcasted and confirmed', async () => {
    const armed = await admin(t.sandbox.url, 'POST', '/faults/webhooks', { reorder: 1, reorderHoldMs: 600, next: 1 });
    assert.equal(armed.body.faults.webhooks.next[0].reorderHoldMs, 600);
    const sent = Date.now();
    const created = await sendNative(t.dfns, t.bootstrap.walletId, '1');
    // Blocks take 20 ms at scale 100: broadcasted and confirmed are out long before the hold ends.
    await waitFor(() => (kindsFor(created.id).length === 3 ? true : undefined), 5000, 'three events');
    const waited = Date.now() - sent;
    assert.deepEqual(kindsFor(created.id), [
      'wallet.transfer.broadcasted',
      'wallet.transfer.confirmed',
      'wallet.transfer.requested',
    ]);
    const { faults } = (await admin(t.sandbox.url, 'GET', '/deliveries')).body;
    assert.deepEqual(faults, { dropped: 0, duplicated: 0, reordered: 1 });
    assert.ok(waited >= 590, `held for the full 600 ms (not released by the following deliveries): ${waited}`);
  });

  it('logs each delivery with the exact body and headers sent; a duplicate is logged twice', async () => {
    await admin(t.sandbox.url, 'POST', '/faults/webhooks', { duplicate: 1, next: 1 });
    const created = await sendNative(t.dfns, t.bootstrap.walletId, '2');
    await waitFor(() => (kindsFor(created.id).length === 4 ? true : undefined), 5000, 'four deliveries');
    const listed = (await admin(t.sandbox.url, 'GET', '/deliveries')).body;
    assert.deepEqual(listed.faults, { dropped: 0, duplicated: 1, reordered: 0 });
    const log = listed.items as Json[];
    assert.equal(log.length, 4);
    for (const [index, entry] of log.entries()) {
      const received = t.receiver.requests[index];
      assert.equal(entry.body, received?.rawBody, 'byte for byte the body that arrived');
      assert.equal(entry.headers['X-DFNS-WEBHOOK-SIGNATURE'], received?.headers['x-dfns-webhook-signature']);
      assert.equal(entry.headers['X-DFNS-WEBHOOK-SIGNATURE'], webhookSignature(t.bootstrap.webhookSecret, entry.body));
      assert.equal(entry.status, '200');
      assert.equal(entry.url, t.receiver.url);
      assert.equal(entry.webhookId, t.bootstrap.webhookId);
      assert.equal(entry.eventId, JSON.parse(entry.body).id);
    }
    assert.equal(log[0].kind, 'wallet.transfer.requested');
    // The duplicate is the same event sent twice; the next event may be sent between the two on a loaded machine.
    const twice = log.filter((entry) => entry.eventId === log[0].eventId);
    assert.equal(twice.length, 2, 'the duplicated attempt: same event twice');
    assert.deepEqual(
      log.filter((entry) => entry.eventId !== log[0].eventId).map((entry) => entry.kind),
      ['wallet.transfer.broadcasted', 'wallet.transfer.confirmed'],
    );

    const confirmed = (await admin(t.sandbox.url, 'GET', '/deliveries?kind=wallet.transfer.confirmed')).body.items;
    assert.equal(confirmed.length, 1);
    const last = (await admin(t.sandbox.url, 'GET', '/deliveries?limit=1')).body.items;
    assert.deepEqual(last, [log[3]]);
    assert.equal((await admin(t.sandbox.url, 'GET', '/deliveries?limit=0')).status, 400);

    await admin(t.sandbox.url, 'POST', '/reset', {});
    assert.deepEqual((await admin(t.sandbox.url, 'GET', '/deliveries')).body.items, []);
  });
});
