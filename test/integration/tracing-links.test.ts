import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mintApiKey, parseApiKeyEntry } from '../../src/api/api-keys';
import { PaymentClient } from '../../src/client/payment-client';
import { loadConfig } from '../../src/config';
import { startTracing, type Tracing } from '../../src/observability/tracing';
import { nativeSepoliaRequest, startPaymentStack, type PaymentStack } from '../support/payment-stack';

describe('traces of their own, linked to their parent: continued runs and batch payments', { timeout: 300_000 }, () => {
  const exporter = new InMemorySpanExporter();
  const client = mintApiKey('acme', ['payments:write', 'payments:read']);
  let stack: PaymentStack;
  let tracing: Tracing;

  before(async () => {
    stack = await startPaymentStack({
      timeScale: 10,
      apiKeys: [parseApiKeyEntry(client.entry)],
      tracing: (dfnsBaseUrl) => {
        tracing = startTracing(loadConfig({}), {
          serviceName: 'payments-test',
          dfnsBaseUrl,
          spanProcessor: new SimpleSpanProcessor(exporter),
        });
        return tracing;
      },
    });
  });
  after(async () => {
    await stack?.stop();
    await tracing?.shutdown();
  });

  const spans = () => exporter.getFinishedSpans();
  const names = () => spans().map((s) => s.name);
  const traceOf = (span: ReadableSpan) => span.spanContext().traceId;
  const runsOf = (paymentId: string) =>
    spans().filter((s) => s.name === 'RunWorkflow:paymentWorkflow' && s.attributes['payment.id'] === paymentId);
  const eventually = async (what: string, ready: () => boolean) => {
    const deadline = Date.now() + 30_000;
    while (!ready()) {
      if (Date.now() > deadline) throw new Error(`no ${what} (spans: ${names().join(', ')})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('starts each continued run in a trace of its own, linked to the run before; the payment keeps its first trace', async () => {
    // A history budget a happy payment exceeds: it continues as new at least once on its way to Confirmed. A payment
    // of the current baseline records no patch markers, so its first run reaches its first wait with about 11 events.
    const payments = new PaymentClient(stack.temporalClient, {
      taskQueue: stack.taskQueue,
      timings: { historyEventBudget: 8 },
    });
    const { paymentId } = await payments.start(nativeSepoliaRequest(stack, 'continued-1'));
    assert.equal((await payments.waitForOutcome(paymentId)).status, 'Confirmed');
    const state = await payments.getState(paymentId);
    assert.ok(
      state.timeline.some((entry) => entry.event === 'continued as new'),
      'the payment continued as new',
    );

    await eventually('the last run', () => runsOf(paymentId).length >= 2 && runsOf(paymentId).every((r) => r.ended));
    const start = spans().find(
      (s) => s.name === 'StartWorkflow:paymentWorkflow' && s.attributes.temporalWorkflowId === paymentId,
    );
    assert.ok(start);
    const runs = runsOf(paymentId).sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
    assert.equal(traceOf(runs[0]!), traceOf(start), 'the first run is in the start trace');
    assert.equal(state.traceId, traceOf(start), "the payment's state names the trace it started in");
    for (const [i, run] of runs.slice(1).entries()) {
      const previous = runs[i]!;
      const handover = spans().find((s) => s.spanContext().spanId === run.parentSpanId);
      assert.equal(handover?.name, 'ContinueAsNew:paymentWorkflow');
      assert.equal(handover?.parentSpanId, undefined, 'the continued run is a trace of its own');
      assert.notEqual(traceOf(run), traceOf(previous));
      assert.deepEqual(
        handover?.links.map((link) => [link.context.traceId, link.attributes?.['link.reason']]),
        [[traceOf(previous), 'continued from']],
      );
    }
  });

  it("starts each payment of a batch in a trace of its own, linked to the batch's, named in its memo and state", async () => {
    const rows = ['b1', 'b2'].map((key) => {
      const { idempotencyKey: _key, ...request } = nativeSepoliaRequest(stack, key);
      return { key, ...request };
    });
    const response = await fetch(`${stack.bridgeUrl}/v1/batches`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${client.key}`,
        'idempotency-key': 'traced-batch',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ rows }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    const { batchId } = (await response.json()) as { batchId: string };
    await stack.env.client.workflow.getHandle(batchId).result();

    const request = spans().find((s) => s.name === 'POST /v1/batches');
    assert.ok(request, names().join(', '));
    const batchTrace = traceOf(request);
    await eventually('both child payments run', () =>
      ['StartChildWorkflow:paymentWorkflow'].every((n) => spans().filter((s) => s.name === n).length === 2),
    );
    const roots = spans().filter((s) => s.name === 'StartChildWorkflow:paymentWorkflow');
    for (const root of roots) {
      assert.equal(root.parentSpanId, undefined, 'a batch payment is a trace of its own');
      assert.notEqual(traceOf(root), batchTrace);
      assert.deepEqual(
        root.links.map((link) => [link.context.traceId, link.attributes?.['link.reason']]),
        [[batchTrace, 'started by']],
        "linked to the batch's trace",
      );
      await eventually('the child run', () => spans().some((s) => s.parentSpanId === root.spanContext().spanId));
      const run = spans().find((s) => s.parentSpanId === root.spanContext().spanId);
      assert.equal(run?.name, 'RunWorkflow:paymentWorkflow');
      const paymentId = String(run?.attributes['payment.id']);
      const state = await stack.client.getState(paymentId);
      assert.equal(state.traceId, traceOf(root), "the child payment's state names its own trace");
      const { memo } = await stack.env.client.workflow.getHandle(paymentId).describe();
      assert.match(String(memo?.traceparent), new RegExp(`^00-${traceOf(root)}-[0-9a-f]{16}-01$`));
    }
  });
});
