import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { PaymentClient } from '../../src/client/payment-client';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import { signDfnsWebhook } from '../../src/dfns/webhook-signature';
import { AppMetric, WorkerMetric } from '../../src/observability/metric-names';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';
import { scrape, sumOf } from './prometheus-text';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

/** A receiver on loopback answering each request with the next of `answers` (then 200), counting connections. */
async function callbackReceiver(answers: number[] = []) {
  const receiver = { connections: 0, requests: 0, answers, port: 0, server: undefined as Server | undefined };
  const server = createServer((req, res) => {
    receiver.requests++;
    req.resume();
    res.writeHead(answers.shift() ?? 200).end();
  });
  server.on('connection', () => receiver.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.server = server;
  return receiver;
}
type CallbackReceiver = Awaited<ReturnType<typeof callbackReceiver>>;
const closeReceiver = (receiver: CallbackReceiver | undefined) =>
  new Promise<void>((resolve) => {
    receiver?.server?.closeAllConnections();
    if (receiver?.server) receiver.server.close(() => resolve());
    else resolve();
  });

describe('both /metrics endpoints after a payment on the real stack', { timeout: 180_000 }, () => {
  let stack: PaymentStack;
  /** The test's own callback receiver, allowed over http on loopback; `inside` stands for what is not allowed. */
  let allowed: CallbackReceiver;
  let inside: CallbackReceiver;
  before(async () => {
    allowed = await callbackReceiver();
    inside = await callbackReceiver();
    stack = await startPaymentStack({
      timeScale: 10,
      callbackSecret: 'metrics-test-callback-secret',
      callbackInsecureHosts: [`127.0.0.1:${allowed.port}`],
    });
  });
  after(async () => {
    await stack?.stop();
    await Promise.all([closeReceiver(allowed), closeReceiver(inside)]);
  });

  const request = (key: string): PaymentRequest => ({
    idempotencyKey: key,
    walletId: stack.sandbox.bootstrap.walletId,
    network: stack.sandbox.bootstrap.network as PaymentRequest['network'],
    asset: { kind: 'Erc20', contract: stack.sandbox.bootstrap.erc20.contract, symbol: 'USDC', decimals: 6 },
    to: RECIPIENT,
    amount: '1500000',
  });

  it('moves the webhook, Dfns and payment counters, and counts running payments from visibility', async () => {
    const appUrl = stack.appMetricsUrl;
    const onApiPort = await fetch(`${stack.bridgeUrl}/metrics`);
    assert.equal(onApiPort.status, 404, 'the public port serves no metrics');
    assert.equal(onApiPort.headers.get('content-type'), 'application/problem+json');
    const appBefore = (await scrape(appUrl)).samples;
    const workerBefore = (await scrape(stack.workerMetricsUrl)).samples;
    assert.equal(sumOf(appBefore, AppMetric.webhookDeliveries, { outcome: 'accepted' }), 0);

    const { paymentId } = await stack.client.start(request(`metrics-${Date.now()}`));
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Confirmed');
    const forged = JSON.stringify({
      id: 'whe-x',
      kind: 'wallet.transfer.failed',
      timestampSent: Math.floor(Date.now() / 1000),
    });
    const refused = await fetch(`${stack.bridgeUrl}/webhooks/dfns`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-dfns-webhook-signature': signDfnsWebhook(forged, 'not-the-secret'),
      },
      body: forged,
    });
    assert.equal(refused.status, 401);

    // A payment on a task queue no worker polls stays Running in Accepted: the gauge must see it through visibility.
    const idle = new PaymentClient(stack.env.client, { taskQueue: `idle-${Date.now()}` });
    const parked = await idle.start(request(`metrics-parked-${Date.now()}`));
    try {
      let accepted = 0;
      for (let i = 0; i < 50 && accepted < 1; i++) {
        const { samples } = await scrape(appUrl);
        assert.equal(sumOf(samples, AppMetric.visibilityUp), 1, 'every visibility query was accepted');
        accepted = sumOf(samples, AppMetric.paymentsByStatus, { status: 'Accepted' });
        if (accepted < 1) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.ok(accepted >= 1, 'the parked payment is counted as Accepted');
    } finally {
      await stack.env.client.workflow.getHandle(parked.paymentId).terminate('test over');
    }

    const app = (await scrape(appUrl)).samples;
    // Broadcasted and Confirmed arrive as webhooks (the happy path never polls).
    assert.ok(sumOf(app, AppMetric.webhookDeliveries, { outcome: 'accepted' }) >= 2);
    assert.equal(sumOf(app, AppMetric.webhookDeliveries, { outcome: 'bad_signature' }), 1);
    assert.ok(sumOf(app, `${AppMetric.webhookSignalLatency}_count`) >= 2);
    assert.ok(
      sumOf(app, 'http_requests_total', { method: 'POST', status: '200' }) >= 2,
      'the Hono middleware counts requests',
    );
    assert.ok(sumOf(app, 'process_cpu_seconds_total') > 0, 'default process metrics');
    for (const name of [AppMetric.paymentsStuck, AppMetric.paymentsNeedingAttention, AppMetric.approvalsExpiringSoon]) {
      assert.ok(
        app.some((s) => s.name === name),
        `${name} is exported`,
      );
    }

    // The workflow's meter reports through a sink after the task completes; give the exporter a moment.
    let worker = (await scrape(stack.workerMetricsUrl)).samples;
    for (let i = 0; i < 20 && sumOf(worker, WorkerMetric.paymentsFinished, { status: 'Confirmed' }) < 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      worker = (await scrape(stack.workerMetricsUrl)).samples;
    }
    const moved = (name: string, labels: Record<string, string> = {}) =>
      sumOf(worker, name, labels) - sumOf(workerBefore, name, labels);
    assert.equal(moved(WorkerMetric.dfnsCalls, { operation: 'submitTransfer', outcome: 'ok' }), 1);
    assert.ok(moved(`${WorkerMetric.dfnsCallDuration}_count`, { operation: 'submitTransfer' }) >= 1);
    assert.ok(moved(WorkerMetric.paymentsStarted) >= 1);
    assert.equal(moved(WorkerMetric.paymentsFinished, { status: 'Confirmed' }), 1);
    assert.equal(moved(`${WorkerMetric.timeToFinal}_count`, { status: 'Confirmed' }), 1);
    assert.ok(moved(`${WorkerMetric.timeToFinal}_sum`, { status: 'Confirmed' }) > 0);
    // And the SDK's own metrics are on the same endpoint.
    assert.ok(moved('temporal_workflow_completed') >= 1, 'the SDK counts the completed workflow');
    assert.ok(worker.some((s) => s.name === 'temporal_activity_schedule_to_start_latency_bucket'));
    assert.ok(
      worker.some((s) => s.name === 'temporal_worker_task_slots_available' && s.labels.worker_type),
      'dashboard label',
    );
  });

  it('counts a Dfns 429 as rate limited, and the Retry-After wait the activity honoured', async () => {
    const before = (await scrape(stack.workerMetricsUrl)).samples;
    // The next transfer POST answers 429 with Retry-After: 1; the signing handshake is not touched.
    const fault = await fetch(`${stack.sandbox.url}/_sandbox/faults/http`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 429, count: 1, retryAfterSeconds: 1, paths: '/wallets/' }),
    });
    assert.ok(fault.ok, `fault injection answered ${fault.status}`);
    const { paymentId } = await stack.client.start(request(`metrics-429-${Date.now()}`));
    assert.equal((await stack.client.waitForOutcome(paymentId)).status, 'Confirmed');

    const after = (await scrape(stack.workerMetricsUrl)).samples;
    const moved = (name: string, labels: Record<string, string>) =>
      sumOf(after, name, labels) - sumOf(before, name, labels);
    const submit = { operation: 'submitTransfer' };
    assert.equal(moved(WorkerMetric.dfnsCalls, { ...submit, outcome: 'rate_limited' }), 1);
    assert.equal(moved(WorkerMetric.dfnsCalls, { ...submit, outcome: 'ok' }), 1, 'the retry went through');
    assert.equal(moved(`${WorkerMetric.dfnsRetryAfterWait}_count`, submit), 1);
    assert.equal(moved(`${WorkerMetric.dfnsRetryAfterWait}_sum`, submit), 1, 'one wait of Retry-After: 1 second');
  });

  it('counts outcome callbacks: a refused one, then the delivered retry', async () => {
    allowed.answers.push(503, 200);
    const before = (await scrape(stack.workerMetricsUrl)).samples;
    const { paymentId } = await stack.client.start({
      ...request(`metrics-callback-${Date.now()}`),
      callbackUrl: `http://127.0.0.1:${allowed.port}/outcome`,
    });
    assert.equal((await stack.client.waitForOutcome(paymentId)).status, 'Confirmed');
    const after = (await scrape(stack.workerMetricsUrl)).samples;
    const moved = (outcome: string) =>
      sumOf(after, WorkerMetric.callbacks, { outcome }) - sumOf(before, WorkerMetric.callbacks, { outcome });
    assert.deepEqual([moved('refused'), moved('delivered')], [1, 1]);
    assert.equal(allowed.answers.length, 0, 'the service was called twice');
  });

  it("refuses a callback to the sandbox's admin reset, started straight in Temporal: counted blocked, payment confirmed", async () => {
    const transfersBefore = (await stack.sandboxTransfers()).length;
    assert.ok(transfersBefore > 0);
    const before = (await scrape(stack.workerMetricsUrl)).samples;
    const sandboxPort = new URL(stack.sandbox.url).port;
    const urls = [
      `${stack.sandbox.url}/_sandbox/reset`,
      `https://127.0.0.1:${sandboxPort}/_sandbox/reset`,
      `https://[::ffff:127.0.0.1]:${inside.port}/admin`,
      `http://127.0.0.1:${inside.port}/admin`,
    ];
    for (const [i, callbackUrl] of urls.entries()) {
      const { paymentId } = await stack.client.start({ ...request(`metrics-blocked-${i}-${Date.now()}`), callbackUrl });
      assert.equal((await stack.client.waitForOutcome(paymentId)).status, 'Confirmed');
      const blocked = (await stack.client.getState(paymentId)).timeline.filter(
        (e) => e.event === 'outcome callback blocked',
      );
      assert.equal(blocked.length, 1, callbackUrl);
      assert.match(blocked[0]?.note ?? '', /https URL|loopback/);
    }
    const after = (await scrape(stack.workerMetricsUrl)).samples;
    const moved = (outcome: string) =>
      sumOf(after, WorkerMetric.callbacks, { outcome }) - sumOf(before, WorkerMetric.callbacks, { outcome });
    assert.deepEqual([moved('blocked'), moved('delivered'), moved('refused')], [urls.length, 0, 0]);
    assert.equal(inside.connections, 0);
    assert.equal((await stack.sandboxTransfers()).length, transfersBefore + urls.length, 'the sandbox was not reset');
  });
});
