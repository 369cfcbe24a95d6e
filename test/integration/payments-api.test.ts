import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mintApiKey, parseApiKeyEntry } from '../../src/api/api-keys';
import { createTemporalPayments } from '../../src/api/temporal-payments';
import { PaymentClient } from '../../src/client/payment-client';
import { loadConfig } from '../../src/config';
import type { PaymentWorkflowInput } from '../../src/contracts/payment-messages';
import type { PaymentBody } from '../../src/contracts/payment-request';
import { paymentTimingsFromConfig } from '../../src/payment-timings-config';
import { PaymentClientIdKey, PaymentStatusKey } from '../../src/contracts/search-attributes';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';
import { callApi, type ApiRequest } from '../support/stack-api';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const ALL = ['payments:write', 'payments:read', 'payments:operate'] as const;

describe('the payments API over HTTP on the real stack', { timeout: 180_000 }, () => {
  let stack: PaymentStack;
  const acme = mintApiKey('acme', [...ALL]);
  const globex = mintApiKey('globex', [...ALL]);
  const reader = mintApiKey('acme', ['payments:read']);

  before(async () => {
    stack = await startPaymentStack({
      timeScale: 10,
      apiKeys: [acme, globex, reader].map((key) => parseApiKeyEntry(key.entry)),
    });
  });
  after(async () => {
    await stack?.stop();
  });

  const body = (amount = '1500000') => ({
    walletId: stack.sandbox.bootstrap.walletId,
    network: stack.sandbox.bootstrap.network,
    asset: { kind: 'Native' },
    to: RECIPIENT,
    amount,
  });
  const call = (path: string, key: string, init?: ApiRequest) => callApi(stack.bridgeUrl, key, path, init);
  const path = (id: string, action = '') => `/v1/payments/${encodeURIComponent(id)}${action}`;

  it('starts once per key (201, then 200 with the same payment), refuses a changed body (422), all atomically', async () => {
    const [first, second] = await Promise.all([
      call('/v1/payments', acme.key, { method: 'POST', idempotencyKey: 'api-1', json: body() }),
      call('/v1/payments', acme.key, { method: 'POST', idempotencyKey: 'api-1', json: body() }),
    ]);
    assert.deepEqual(
      [first.status, second.status].sort(),
      [200, 201],
      'two concurrent starts: one created it, one found it',
    );
    assert.equal(first.json.paymentId, 'payment:acme:api-1');
    assert.equal(second.json.paymentId, first.json.paymentId);
    assert.equal(first.json.clientId, 'acme');
    const replay = await call('/v1/payments', acme.key, { method: 'POST', idempotencyKey: 'api-1', json: body() });
    assert.equal(replay.status, 200);
    const conflict = await call('/v1/payments', acme.key, { method: 'POST', idempotencyKey: 'api-1', json: body('2') });
    assert.equal(conflict.status, 422);
    assert.deepEqual(conflict.json.errors, [
      { field: 'Idempotency-Key', message: 'already used with a different body' },
    ]);

    const description = await stack.env.client.workflow.getHandle('payment:acme:api-1').describe();
    assert.equal(description.typedSearchAttributes.get(PaymentClientIdKey), 'acme');
    const runs = [];
    for await (const run of stack.env.client.workflow.list({ query: `WorkflowId = 'payment:acme:api-1'` }))
      runs.push(run.runId);
    assert.equal(runs.length, 1, 'one workflow run for the key');
  });

  it('reads the payment to its end, then refuses to cancel it (409 with the reason)', async () => {
    const started = await call('/v1/payments', acme.key, { method: 'POST', idempotencyKey: 'api-2', json: body() });
    assert.equal(started.status, 201);
    const outcome = await stack.env.client.workflow.getHandle('payment:acme:api-2').result();
    assert.equal((outcome as { status: string }).status, 'Confirmed');
    const read = await call(path('payment:acme:api-2'), reader.key);
    assert.equal(read.status, 200);
    assert.equal(read.json.status, 'Confirmed');
    assert.match(read.json.txHash, /^0x[0-9a-f]{64}$/);
    assert.match(read.json.transferId, /./);
    assert.ok(read.json.timeline.length >= 4);
    const cancel = await call(path('payment:acme:api-2', '/cancel'), acme.key, {
      method: 'POST',
      json: { reason: 'too late' },
    });
    assert.equal(cancel.status, 409);
    assert.match(cancel.json.detail, /closed \(Confirmed\)/);
    const replayClosed = await call('/v1/payments', acme.key, {
      method: 'POST',
      idempotencyKey: 'api-2',
      json: body(),
    });
    assert.equal(replayClosed.status, 200, 'a replay after the payment closed still finds it');
    assert.equal(replayClosed.json.status, 'Confirmed');
  });

  it("hides one client's payments from another (404 everywhere) and needs the scope (403)", async () => {
    await call('/v1/payments', acme.key, { method: 'POST', idempotencyKey: 'api-3', json: body() });
    assert.equal((await call(path('payment:acme:api-3'), globex.key)).status, 404);
    assert.equal(
      (await call(path('payment:acme:api-3', '/cancel'), globex.key, { method: 'POST', json: { reason: 'x' } })).status,
      404,
    );
    assert.equal(
      (await call(path('payment:acme:api-3', '/retry'), globex.key, { method: 'POST', json: {} })).status,
      404,
    );
    const forbidden = await call('/v1/payments', reader.key, { method: 'POST', idempotencyKey: 'api-4', json: body() });
    assert.equal(forbidden.status, 403);
    const none = await stack.env.client.workflow
      .getHandle('payment:acme:api-4')
      .describe()
      .catch(() => undefined);
    assert.equal(none, undefined, 'a refused start starts nothing');
  });

  it("lists only the caller's payments, newest first, page by page with a cursor", async () => {
    await call('/v1/payments', globex.key, { method: 'POST', idempotencyKey: 'api-g', json: body() });
    const expected = ['payment:acme:api-1', 'payment:acme:api-2', 'payment:acme:api-3'];
    // Visibility is eventually consistent: wait (bounded) until all of acme's payments are indexed.
    for (let i = 0; i < 50; i++) {
      const all = await call('/v1/payments?limit=100', acme.key);
      if (all.json.items.length >= expected.length) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const listed = await call(`/v1/payments?limit=2${cursor ? `&cursor=${cursor}` : ''}`, acme.key);
      assert.equal(listed.status, 200);
      assert.ok(listed.json.items.length <= 2);
      seen.push(...listed.json.items.map((item: { paymentId: string }) => item.paymentId));
      cursor = listed.json.nextCursor;
      if (!cursor) break;
    }
    assert.deepEqual([...seen].sort(), expected);

    // A cursor is bound to its filters; one the API did not issue is refused at once, never sent to Temporal.
    const firstPage = await call('/v1/payments?limit=1', acme.key);
    assert.ok(firstPage.json.nextCursor);
    const otherFilters = await call(
      `/v1/payments?limit=1&status=Confirmed&cursor=${firstPage.json.nextCursor}`,
      acme.key,
    );
    assert.equal(otherFilters.status, 400);
    const started = Date.now();
    const foreign = await call('/v1/payments?cursor=Hc', acme.key);
    assert.equal(foreign.status, 400);
    assert.deepEqual(foreign.json.errors, [{ field: 'cursor', message: 'is not a cursor from this listing' }]);
    assert.ok(Date.now() - started < 2000, 'refused without waiting on Temporal');
    assert.equal(
      (await call(`/v1/payments?limit=1&cursor=${firstPage.json.nextCursor}`, globex.key)).status,
      400,
      "another client's cursor",
    );
    const confirmed = await call('/v1/payments?status=Confirmed&limit=100', acme.key);
    assert.ok(confirmed.json.items.every((item: { status: string }) => item.status === 'Confirmed'));
    assert.ok(confirmed.json.items.some((item: { paymentId: string }) => item.paymentId === 'payment:acme:api-2'));
    const description = await stack.env.client.workflow.getHandle('payment:acme:api-2').describe();
    assert.equal(description.typedSearchAttributes.get(PaymentStatusKey), 'Confirmed');
  });

  it('reports ready once Temporal holds the search attributes', async () => {
    const response = await fetch(`${stack.bridgeUrl}/readyz`);
    assert.equal(response.status, 200);
  });

  it('says "unchanged" after a long-poll that Temporal answered but nothing changed', async () => {
    // Parked on a queue no worker polls: the change Update is never taken, so the wait runs out while Temporal is up.
    const parked = await new PaymentClient(stack.env.client, { taskQueue: `idle-${Date.now()}` }).start({
      ...body(),
      idempotencyKey: `long-poll-${Date.now()}`,
    });
    try {
      const backend = createTemporalPayments(stack.env.client, {
        taskQueue: stack.taskQueue,
        namespace: 'default',
        cursorSecret: 'payments-api-test-cursor-secret-0123',
      });
      assert.equal(await backend.waitForChange(parked.paymentId, 0, 1_500), 'unchanged');
    } finally {
      await stack.env.client.workflow.getHandle(parked.paymentId).terminate('test over');
    }
  });

  it('gives new payments the polling timings set in the environment, and none when unset', async () => {
    const startedInput = async (paymentId: string) => {
      const history = await stack.env.client.workflow.getHandle(paymentId).fetchHistory();
      const stored = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      // Stored encrypted: the stack's codec decrypts it as the worker would.
      const [payload] = await stack.codec!.decode([stored!]);
      return JSON.parse(Buffer.from(payload!.data!).toString()) as PaymentWorkflowInput;
    };
    const env = { PAYMENT_APPROVAL_POLL_MINUTES: '5', PAYMENT_APPROVAL_FAST_WINDOW_MINUTES: '0' };
    const backend = createTemporalPayments(stack.env.client, {
      taskQueue: stack.taskQueue,
      namespace: 'default',
      cursorSecret: 'payments-api-test-cursor-secret-0123',
      timings: paymentTimingsFromConfig(loadConfig(env))!,
    });
    const started = await backend.start('acme', 'api-timings', body() as PaymentBody);
    assert.equal(started.kind, 'started');
    const input = await startedInput('payment:acme:api-timings');
    assert.deepEqual(input.timings, { approvalPollIntervalMs: 300_000, approvalFastWindowMs: 0 });
    assert.equal(input.request.amount, '1500000');
    assert.equal((await startedInput('payment:acme:api-1')).timings, undefined, 'unset: the workflow defaults');
  });
});
