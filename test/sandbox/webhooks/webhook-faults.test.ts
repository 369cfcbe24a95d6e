import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  admin,
  deliveries,
  sendNative,
  startTestSandbox,
  waitFor,
  waitForStatus,
  type Json,
  type ReceivedRequest,
  type TestSandbox,
} from '../helpers';
import { approvalBy, createSignPolicy, resetSandbox } from '../policy-support';

const transferIdOf = (request: ReceivedRequest) =>
  (request.json.data as Json).transferRequest?.id as string | undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('webhook fault knobs', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ timeScale: 1000 });
  });
  beforeEach(async () => {
    await resetSandbox(t);
  });
  after(async () => {
    await t.close();
  });

  const requestedFor = (transferId: string) =>
    deliveries(t.receiver, 'wallet.transfer.requested').filter((request) => transferIdOf(request) === transferId);

  it('drop: the delivery never arrives, is logged as an exhausted failure and is not retried', async () => {
    const armed = await admin(t.sandbox.url, 'POST', '/faults/webhooks', { drop: 1, next: 1 });
    assert.equal(armed.status, 200);
    assert.equal(armed.body.faults.webhooks.next[0].remaining, 1);
    const created = await sendNative(t.dfns, t.bootstrap.walletId, '1');
    await waitForStatus(t.dfns, t.bootstrap.walletId, created.id, 'Confirmed');
    await waitFor(
      () => (deliveries(t.receiver, 'wallet.transfer.confirmed').length ? true : undefined),
      5000,
      'confirmed',
    );
    await sleep(200); // several scaled retry delays (60 s / 1000)
    assert.equal(requestedFor(created.id).length, 0);
    const query = { deliveryFailed: 'true' as const };
    const failed = await t.dfns.webhooks.listWebhookEvents({ webhookId: t.bootstrap.webhookId, query });
    assert.equal(failed.items.length, 1);
    const event: Json = failed.items[0];
    assert.equal(event.kind, 'wallet.transfer.requested');
    assert.equal(event.status, '0');
    assert.match(event.error, /Dropped/);
    assert.equal(event.nextAttemptDate, undefined);
    assert.equal(
      (await admin(t.sandbox.url, 'GET', '/faults')).body.faults.webhooks.next.length,
      0,
      'one-shot rule consumed',
    );
  });

  it('duplicate: the same attempt (same id, bytes) arrives twice; standing knobs last until DELETE /faults', async () => {
    await admin(t.sandbox.url, 'POST', '/faults/webhooks', { duplicate: 1 });
    const first = await sendNative(t.dfns, t.bootstrap.walletId, '2');
    const pair = () => (requestedFor(first.id).length === 2 ? requestedFor(first.id) : undefined);
    const twice = await waitFor(pair, 5000, 'duplicate');
    assert.equal(twice[0]?.json.id, twice[1]?.json.id);
    assert.equal(twice[0]?.rawBody, twice[1]?.rawBody);
    const second = await sendNative(t.dfns, t.bootstrap.walletId, '3');
    await waitFor(() => (requestedFor(second.id).length === 2 ? true : undefined), 5000, 'standing duplicate');

    assert.equal((await admin(t.sandbox.url, 'DELETE', '/faults')).status, 200);
    const third = await sendNative(t.dfns, t.bootstrap.walletId, '4');
    await waitForStatus(t.dfns, t.bootstrap.walletId, third.id, 'Confirmed');
    const confirmedThird = () =>
      deliveries(t.receiver, 'wallet.transfer.confirmed').some((r) => transferIdOf(r) === third.id);
    await waitFor(() => (confirmedThird() ? true : undefined));
    assert.equal(requestedFor(third.id).length, 1);
  });

  it('delayMs holds a delivery back by that many real milliseconds', async () => {
    await admin(t.sandbox.url, 'POST', '/faults/webhooks', { delayMs: 400, next: 1 });
    const sent = Date.now();
    const created = await sendNative(t.dfns, t.bootstrap.walletId, '5');
    await waitFor(() => (requestedFor(created.id).length === 1 ? true : undefined), 5000, 'delayed delivery');
    assert.ok(Date.now() - sent >= 400, 'arrived after the delay');
  });

  it('rejects malformed knobs with a 400', async () => {
    const res = await admin(t.sandbox.url, 'POST', '/faults/webhooks', { drop: 2 });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.status, 400);
  });
});

describe('webhook reorder', () => {
  it('sends a reordered delivery after the following one, or after ~1 s (scaled) if none follows', async () => {
    const t = await startTestSandbox({ timeScale: 1 });
    try {
      await createSignPolicy(t.dfns, 'hold', { kind: 'AlwaysTrigger' }, approvalBy('anyone'));
      await admin(t.sandbox.url, 'POST', '/faults/webhooks', { reorder: 1, next: 1 });
      // One create emits requested, policy.triggered and policy.approval.pending together.
      await sendNative(t.dfns, t.bootstrap.walletId, '1');
      await waitFor(() => (t.receiver.requests.length === 3 ? true : undefined), 5000, 'three events');
      const kinds = t.receiver.requests.map((request) => request.json.kind);
      assert.ok(kinds.indexOf('wallet.transfer.requested') > kinds.indexOf('policy.triggered'), kinds.join());

      // Alone: held for ~1 s at scale 1, i.e. ~100 ms at scale 10 (before the broadcast 2.2 s / 10 later).
      await admin(t.sandbox.url, 'POST', '/reset', {});
      t.receiver.requests.length = 0;
      await admin(t.sandbox.url, 'POST', '/time', { timeScale: 10 });
      await admin(t.sandbox.url, 'POST', '/faults/webhooks', { reorder: true, next: 1 });
      const sent = Date.now();
      await sendNative(t.dfns, t.bootstrap.walletId, '2');
      await waitFor(() => (t.receiver.requests.length >= 1 ? true : undefined), 5000, 'held delivery');
      const waited = Date.now() - sent;
      assert.ok(waited >= 90, `held about 100 ms, got ${waited}`);
      assert.equal(t.receiver.requests[0]?.json.kind, 'wallet.transfer.requested');
    } finally {
      await t.close();
    }
  });
});
