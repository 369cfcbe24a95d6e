import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DfnsError } from '@dfns/sdk';
import {
  sendNative,
  startReceiver,
  startTestSandbox,
  waitFor,
  type Receiver,
  type ReceivedRequest,
  type TestSandbox,
} from '../helpers';

function assertSigned(request: ReceivedRequest, secret: string) {
  const expected = `sha256=${createHmac('sha256', secret).update(request.rawBody).digest('hex')}`;
  assert.equal(request.headers['x-dfns-webhook-signature'], expected);
  assert.equal(request.headers['content-type'], 'application/json');
  assert.equal(request.rawBody, JSON.stringify(JSON.parse(request.rawBody)), 'compact JSON body');
}

function transferOf(request: ReceivedRequest): { id: string; status: string } {
  return (request.json.data as { transferRequest: { id: string; status: string } }).transferRequest;
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  return promise.then(
    () => 200,
    (err: unknown) => (err instanceof DfnsError ? err.httpStatus : -2),
  );
}

describe('webhooks', () => {
  let t: TestSandbox;
  const receivers: Receiver[] = [];
  before(async () => {
    t = await startTestSandbox({ timeScale: 1000 });
  });
  after(async () => {
    await t.close();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });

  it('signs deliveries and redelivers a failed one with a new id, attempt 2 and retryOf', async () => {
    const flaky = await startReceiver((index) => (index === 0 ? 500 : 200));
    receivers.push(flaky);
    const webhook = await t.dfns.webhooks.createWebhook({
      body: { url: flaky.url, events: ['wallet.transfer.requested'] },
    });
    assert.match(webhook.id, /^wh-/);
    assert.match(webhook.secret, /^whsec_/);
    assert.equal(webhook.status, 'Enabled');

    const transfer = await sendNative(t.dfns, t.bootstrap.walletId, '1');
    const [first, second] = await waitFor(
      () => (flaky.requests.length >= 2 ? flaky.requests : undefined),
      5000,
      'two deliveries',
    );
    assert.ok(first && second);
    assertSigned(first, webhook.secret);
    assertSigned(second, webhook.secret);
    assert.equal(first.json.kind, 'wallet.transfer.requested');
    assert.equal(first.json.deliveryAttempt, 1);
    assert.equal(first.json.retryOf, undefined);
    assert.match(String(first.json.id), /^whe-/);
    assert.ok(Number.isInteger(first.json.timestampSent));
    assert.ok(Math.abs(Date.now() / 1000 - Number(first.json.timestampSent)) < 60, 'timestampSent is unix seconds');
    assert.notEqual(second.json.id, first.json.id);
    assert.equal(second.json.deliveryAttempt, 2);
    assert.equal(second.json.retryOf, first.json.id);
    assert.deepEqual(second.json.data, first.json.data);
    assert.equal(second.json.date, first.json.date);
    assert.equal(transferOf(first).id, transfer.id);
    assert.equal(transferOf(first).status, 'Pending');

    // The receiver saw attempt 2 slightly before the sandbox recorded its outcome.
    const events = await waitFor(async () => {
      const list = await t.dfns.webhooks.listWebhookEvents({ webhookId: webhook.id });
      return list.items.length === 2 ? list : undefined;
    });
    assert.deepEqual(
      events.items.map((event) => event.id),
      [second.json.id, first.json.id],
    );
    const [okEvent, failedEvent] = events.items.map((event): Record<string, unknown> => event);
    assert.ok(okEvent && failedEvent);
    assert.equal(failedEvent.status, '500');
    assert.equal(failedEvent.deliveryFailed, true);
    assert.equal(typeof failedEvent.nextAttemptDate, 'string');
    assert.equal(okEvent.status, '200');
    assert.equal(okEvent.deliveryFailed, false);
    assert.equal(okEvent.retryOf, first.json.id);
    const failedOnly = await t.dfns.webhooks.listWebhookEvents({
      webhookId: webhook.id,
      query: { deliveryFailed: 'true' },
    });
    assert.deepEqual(
      failedOnly.items.map((event) => event.id),
      [first.json.id],
    );
    const one = await t.dfns.webhooks.getWebhookEvent({ webhookId: webhook.id, webhookEventId: String(first.json.id) });
    assert.deepEqual(one.data, first.json.data);

    await new Promise((resolve) => setTimeout(resolve, 150)); // longer than the scaled retry delay
    assert.equal(flaky.requests.length, 2, 'no delivery after the 200');
  });

  it('redelivers policy events too: a new id per attempt, retryOf, the same approval data', async () => {
    const flaky = await startReceiver((index) => (index === 0 ? 502 : 200));
    receivers.push(flaky);
    const events = ['policy.approval.pending' as const];
    const webhook = await t.dfns.webhooks.createWebhook({ body: { url: flaky.url, events } });
    const policy = await t.dfns.policies.createPolicy({
      body: {
        name: 'hold everything',
        activityKind: 'Wallets:Sign',
        rule: { kind: 'AlwaysTrigger' },
        action: { kind: 'RequestApproval', approvalGroups: [{ quorum: 1, approvers: {} }] },
      },
    });
    try {
      const transfer = await sendNative(t.dfns, t.bootstrap.walletId, '9');
      const [first, second] = await waitFor(
        () => (flaky.requests.length >= 2 ? flaky.requests : undefined),
        5000,
        'retry',
      );
      assert.ok(first && second);
      assertSigned(second, webhook.secret);
      assert.equal(second.json.kind, 'policy.approval.pending');
      assert.notEqual(second.json.id, first.json.id);
      assert.equal(second.json.retryOf, first.json.id);
      assert.equal(second.json.deliveryAttempt, 2);
      assert.deepEqual(second.json.data, first.json.data);
      const approval = (second.json.data as { approval: { id: string; activity: { transferRequest: { id: string } } } })
        .approval;
      assert.equal(approval.id, transfer.approvalId);
      assert.equal(approval.activity.transferRequest.id, transfer.id);
    } finally {
      await t.dfns.policies.archivePolicy({ policyId: policy.id });
      await t.dfns.webhooks.deleteWebhook({ webhookId: webhook.id });
    }
  });

  it('delivers every transfer status change to the bootstrap webhook', async () => {
    const transfer = await sendNative(t.dfns, t.bootstrap.walletId, '2');
    const mine = () =>
      t.receiver.requests.filter(
        (request) => String(request.json.kind).startsWith('wallet.transfer.') && transferOf(request).id === transfer.id,
      );
    await waitFor(() => (mine().length >= 3 ? true : undefined), 5000, 'three events');
    const byKind = new Map(mine().map((request) => [request.json.kind, request]));
    assert.equal(transferOf(byKind.get('wallet.transfer.requested') as ReceivedRequest).status, 'Pending');
    assert.equal(transferOf(byKind.get('wallet.transfer.broadcasted') as ReceivedRequest).status, 'Broadcasted');
    assert.equal(transferOf(byKind.get('wallet.transfer.confirmed') as ReceivedRequest).status, 'Confirmed');
    for (const request of mine()) assertSigned(request, t.bootstrap.webhookSecret);
  });

  it('manages webhooks: list, get without secret, update, ping, delete', async () => {
    const target = await startReceiver();
    receivers.push(target);
    const created = await t.dfns.webhooks.createWebhook({
      body: { url: target.url, events: ['*'], description: 'ops' },
    });
    const listed = await t.dfns.webhooks.listWebhooks();
    assert.ok(listed.items.some((webhook) => webhook.id === t.bootstrap.webhookId));
    const fetched = await t.dfns.webhooks.getWebhook({ webhookId: created.id });
    assert.equal(fetched.description, 'ops');
    assert.equal('secret' in fetched, false);

    const body = { status: 'Disabled' as const, description: 'paused' };
    const updated = await t.dfns.webhooks.updateWebhook({ webhookId: created.id, body });
    assert.equal(updated.status, 'Disabled');
    assert.equal(updated.url, target.url);
    await sendNative(t.dfns, t.bootstrap.walletId, '3');

    const ping = await t.dfns.webhooks.pingWebhook({ webhookId: created.id });
    assert.equal(ping.status, '200');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(
      target.requests.map((request) => request.json.kind),
      ['webhook.ping'],
      'a disabled webhook only gets pings',
    );
    assertSigned(target.requests[0] as ReceivedRequest, created.secret);

    assert.deepEqual(await t.dfns.webhooks.deleteWebhook({ webhookId: created.id }), { deleted: true });
    assert.equal(await statusOf(t.dfns.webhooks.getWebhook({ webhookId: created.id })), 404);
    assert.equal(await statusOf(t.dfns.webhooks.createWebhook({ body: { url: 'not a url', events: ['*'] } })), 400);
    assert.equal(await statusOf(t.dfns.webhooks.createWebhook({ body: { url: target.url, events: [] } })), 400);
  });
});

describe('webhook retries', () => {
  it('gives up after 5 attempts and leaves the last one without nextAttemptDate', async () => {
    const broken = await startReceiver(() => 503);
    const t = await startTestSandbox({ timeScale: 1, webhookRetryDelaysMs: [10, 10, 10, 10] });
    try {
      const webhook = await t.dfns.webhooks.createWebhook({
        body: { url: broken.url, events: ['wallet.transfer.requested'] },
      });
      await sendNative(t.dfns, t.bootstrap.walletId, '1');
      await waitFor(() => (broken.requests.length >= 5 ? true : undefined), 5000, 'five attempts');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(broken.requests.length, 5);
      assert.deepEqual(
        broken.requests.map((request) => request.json.deliveryAttempt),
        [1, 2, 3, 4, 5],
      );
      const events = await waitFor(async () => {
        const list = await t.dfns.webhooks.listWebhookEvents({
          webhookId: webhook.id,
          query: { deliveryFailed: 'true' },
        });
        return list.items.length === 5 ? list.items : undefined;
      });
      const [last, ...earlier] = events as Record<string, unknown>[];
      assert.equal(last?.deliveryAttempt, 5);
      assert.equal(last?.nextAttemptDate, undefined);
      for (const event of earlier) assert.equal(typeof event.nextAttemptDate, 'string');
    } finally {
      await t.close();
      await broken.close();
    }
  });
});
