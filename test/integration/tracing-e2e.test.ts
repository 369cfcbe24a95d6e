import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mintApiKey, parseApiKeyEntry } from '../../src/api/api-keys';
import { PaymentClient } from '../../src/client/payment-client';
import { loadConfig } from '../../src/config';
import { startTracing, type Tracing } from '../../src/observability/tracing';
import { paymentDataConverter } from '../../src/temporal/data-converter';
import { WORKFLOWS_PATH, workflowBundleOptions } from '../../src/temporal/workflow-bundle';
import { keepHistory } from '../support/histories';
import { nativeSepoliaRequest, startPaymentStack, type PaymentStack } from '../support/payment-stack';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

/** The types of the events a workflow's commands made, in order: what replay checks against the code. */
const COMMAND_EVENTS = new Set([
  'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
  'EVENT_TYPE_TIMER_STARTED',
  'EVENT_TYPE_TIMER_CANCELED',
  'EVENT_TYPE_MARKER_RECORDED',
  'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
  'EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED',
  'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED',
  'EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
]);

async function commandEvents(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  const types = proto.temporal.api.enums.v1.EventType;
  return (history.events ?? [])
    .map((event) => types[event.eventType ?? 0] ?? String(event.eventType))
    .filter((type) => COMMAND_EVENTS.has(type));
}

describe('one payment traced across the API, Temporal, the worker, Dfns and the bridge', { timeout: 240_000 }, () => {
  const exporter = new InMemorySpanExporter();
  const client = mintApiKey('acme', ['payments:write', 'payments:read']);
  let stack: PaymentStack;
  let tracing: Tracing;

  before(async () => {
    // No OTLP endpoint: the spans go to memory, and every process part of the stack runs in this one.
    const config = loadConfig({});
    stack = await startPaymentStack({
      timeScale: 10,
      apiKeys: [parseApiKeyEntry(client.entry)],
      tracing: (dfnsBaseUrl) => {
        tracing = startTracing(config, {
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
  const named = (name: string, traceId?: string) =>
    spans().filter((s) => s.name === name && (traceId === undefined || s.spanContext().traceId === traceId));
  const one = (name: string, traceId: string): ReadableSpan => {
    const found = named(name, traceId);
    assert.equal(
      found.length,
      1,
      `one ${name} in the trace (spans: ${spans()
        .map((s) => s.name)
        .join(', ')})`,
    );
    return found[0]!;
  };
  /** The trace of the payment started through the API in the first test. */
  const apiTrace = () => named('POST /v1/payments')[0]!.spanContext().traceId;
  const parentOf = (span: ReadableSpan) => span.parentSpanId;
  const id = (span: ReadableSpan) => span.spanContext().spanId;
  /** Waits (bounded) until the exporter holds what `ready` looks for: workflow spans arrive with each activation. */
  const eventually = async (what: string, ready: () => boolean) => {
    const deadline = Date.now() + 30_000;
    while (!ready()) {
      if (Date.now() > deadline)
        throw new Error(
          `no ${what} (spans: ${spans()
            .map((s) => s.name)
            .join(', ')})`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('starts a trace at the API request and follows it into the workflow, its activities and Dfns', async () => {
    const body = { ...nativeSepoliaRequest(stack, 'traced-1'), idempotencyKey: undefined };
    const response = await fetch(`${stack.bridgeUrl}/v1/payments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${client.key}`,
        'idempotency-key': 'traced-1',
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 201);
    const started = (await response.json()) as { paymentId: string; traceId?: string };
    const paymentId = started.paymentId;
    const handle = stack.env.client.workflow.getHandle(paymentId);
    const outcome = (await handle.result()) as { status: string; transferId: string };
    assert.equal(outcome.status, 'Confirmed');
    await keepHistory('traced-api-payment', handle);

    // The API request is the root; Temporal's client span is its child, and the workflow's run is the client span's.
    const request = spans().find((s) => s.name === 'POST /v1/payments' && s.kind === SpanKind.SERVER);
    assert.ok(
      request,
      `an API request span (spans: ${spans()
        .map((s) => s.name)
        .join(', ')})`,
    );
    const traceId = request.spanContext().traceId;
    assert.equal(parentOf(request), undefined, 'the API request starts the trace');
    assert.equal(request.attributes['http.route'], '/v1/payments');
    assert.equal(request.attributes['http.response.status_code'], 201);
    assert.equal(started.traceId, traceId, 'the answer names the trace');

    await eventually('workflow run span', () => named('RunWorkflow:paymentWorkflow', traceId).length === 1);
    const start = one('UpdateWithStartWorkflow:snapshot', traceId);
    assert.equal(parentOf(start), id(request));
    const run = one('RunWorkflow:paymentWorkflow', traceId);
    assert.equal(parentOf(run), id(start));
    assert.equal(run.attributes['payment.id'], paymentId);
    assert.equal(run.attributes.network, 'EthereumSepolia');

    // The submit activity: scheduled by the run, executed by the worker, its Dfns requests under it.
    const scheduled = one('StartActivity:submitTransfer', traceId);
    assert.equal(parentOf(scheduled), id(run));
    const submit = one('RunActivity:submitTransfer', traceId);
    assert.equal(parentOf(submit), id(scheduled));
    assert.equal(submit.attributes['payment.id'], paymentId);
    assert.equal(submit.attributes.network, 'EthereumSepolia');
    assert.equal(submit.attributes['dfns.transfer_id'], outcome.transferId);
    const dfns = spans().filter((s) => parentOf(s) === id(submit));
    assert.deepEqual(dfns.map((s) => s.name).sort(), [
      'POST /auth/action',
      'POST /auth/action/init',
      'POST /wallets/{walletId}/transfers',
    ]);
    for (const call of dfns) {
      assert.equal(call.kind, SpanKind.CLIENT);
      assert.equal(call.attributes['http.request.method'], 'POST');
      assert.ok([200, 201].includes(Number(call.attributes['http.response.status_code'])), call.name);
      assert.equal(call.attributes['http.route'], call.name.slice('POST '.length));
    }

    // The payment's state names its trace, and so does the API's view of it.
    assert.equal((await stack.client.getState(paymentId)).traceId, traceId);
    const view = await fetch(`${stack.bridgeUrl}/v1/payments/${encodeURIComponent(paymentId)}`, {
      headers: { authorization: `Bearer ${client.key}` },
    });
    assert.equal(((await view.json()) as { traceId?: string }).traceId, traceId);
  });

  it("traces each webhook delivery and its signal, linked to the payment's trace", async () => {
    const paymentId = 'payment:acme:traced-1';
    const traceId = apiTrace();
    const deliveries = () =>
      named('POST /webhooks/dfns').filter((s) => s.attributes['payment.id'] === paymentId && s.links.length > 0);
    await eventually('traced webhook deliveries', () => deliveries().length >= 2);
    for (const delivery of deliveries()) {
      assert.equal(parentOf(delivery), undefined, 'Dfns starts each delivery: a trace of its own');
      assert.notEqual(delivery.spanContext().traceId, traceId);
      assert.deepEqual(
        delivery.links.map((link) => link.context.traceId),
        [traceId],
        "the delivery links to the payment's trace",
      );
      assert.match(String(delivery.attributes['dfns.transfer_id']), /\S/);
      assert.equal(delivery.attributes['http.response.status_code'], 200);
    }
    // Each delivery's signal, and the workflow handling it, are in the delivery's trace.
    await eventually('handled signals', () =>
      deliveries().every((d) => named('HandleSignal:paymentUpdate', d.spanContext().traceId).length === 1),
    );
    for (const delivery of deliveries()) {
      const signal = one('SignalWorkflow:paymentUpdate', delivery.spanContext().traceId);
      assert.equal(parentOf(signal), id(delivery));
      assert.equal(parentOf(one('HandleSignal:paymentUpdate', delivery.spanContext().traceId)), id(signal));
    }
    const kinds = deliveries().map((d) => d.attributes['dfns.event']);
    assert.ok(kinds.includes('wallet.transfer.confirmed'), `delivered kinds: ${kinds.join(', ')}`);
  });

  it('puts no secret in any span: no key, token, webhook secret or signature', async () => {
    const { bootstrap } = stack.sandbox;
    const sent = (await (await fetch(`${stack.sandbox.url}/_sandbox/deliveries`)).json()) as {
      items: { headers: Record<string, string> }[];
    };
    const signatures = sent.items.flatMap((item) =>
      Object.entries(item.headers)
        .filter(([name]) => /signature/i.test(name))
        .map(([, value]) => value),
    );
    assert.ok(signatures.length > 0, 'the sandbox signed its deliveries');
    const secrets = [
      client.key,
      bootstrap.authToken,
      bootstrap.webhookSecret,
      ...bootstrap.privateKey.split('\n').filter((line) => line.length > 20),
      ...signatures,
    ];
    const exported = JSON.stringify(
      spans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, links: s.links })),
    );
    for (const secret of secrets) assert.ok(!exported.includes(secret), 'a secret is in an exported span');
    // Nor a header of the kind that carries them, nor a user-action signature or token by name.
    assert.doesNotMatch(exported, /authorization|x-dfns-useraction|user_agent|Bearer |sha256=/i);
    assert.ok(spans().length > 15, `spans checked: ${spans().length}`);
  });

  it('puts the trace on every log line of the traced operations', async () => {
    const paymentId = 'payment:acme:traced-1';
    const traceId = apiTrace();
    const ofPayment = () => stack.logs.records().filter((line) => line.paymentId === paymentId);
    // The workflow's lines reach the worker's logger through a sink, after the task that wrote them completed.
    await eventually('the workflow log line', () => ofPayment().some((line) => line.msg === 'payment final'));
    const lines = ofPayment();
    const webhook = lines.filter((line) => line.msg === 'webhook signalled');
    const workflow = lines.filter((line) => line.sdkComponent === 'workflow');
    assert.ok(webhook.length >= 2 && workflow.length >= 1, `lines: ${lines.map((l) => l.msg).join(' | ')}`);
    for (const line of lines) {
      assert.match(String(line.trace_id), /^[0-9a-f]{32}$/, `trace_id on "${String(line.msg)}"`);
      assert.match(String(line.span_id), /^[0-9a-f]{16}$/, `span_id on "${String(line.msg)}"`);
    }
    for (const line of workflow) assert.equal(line.trace_id, traceId);
    const deliveryTraces = new Set(named('POST /webhooks/dfns').map((s) => s.spanContext().traceId));
    for (const line of webhook) assert.ok(deliveryTraces.has(String(line.trace_id)), 'a delivery trace');
  });

  it('adds no command to a payment: a traced and an untraced payment make the same commands, and replay both ways', async () => {
    const untraced = new PaymentClient(stack.env.client, { taskQueue: stack.taskQueue });
    const [traced, plain] = await Promise.all([
      stack.client.start(nativeSepoliaRequest(stack, 'traced-2')),
      untraced.start(nativeSepoliaRequest(stack, 'untraced-2')),
    ]);
    const handles = [traced, plain].map((p) => stack.env.client.workflow.getHandle(p.paymentId));
    for (const handle of handles) assert.equal(((await handle.result()) as { status: string }).status, 'Confirmed');
    // The typed client's start is the root of the traced one; the untraced one made no span at all.
    const root = one('StartWorkflow:paymentWorkflow', named('StartWorkflow:paymentWorkflow')[0]!.spanContext().traceId);
    assert.equal(root.attributes.temporalWorkflowId, traced.paymentId);
    assert.equal((await untraced.getState(plain.paymentId)).traceId, undefined);
    // Its webhook deliveries are traced by the bridge (payment.id names it there); nothing else of it is.
    const ofPlain = spans().filter(
      (s) =>
        (s.attributes['payment.id'] === plain.paymentId || s.attributes.temporalWorkflowId === plain.paymentId) &&
        s.name !== 'POST /webhooks/dfns',
    );
    assert.deepEqual(
      ofPlain.map((s) => s.name).filter((name) => !/^(DescribeWorkflow|SignalWorkflow:paymentUpdate)$/.test(name)),
      [],
      'the untraced payment made no span of its own',
    );
    const [tracedCommands, plainCommands] = await Promise.all(handles.map(commandEvents));
    assert.deepEqual(tracedCommands, plainCommands);

    // Replayed by a worker without the tracing module, and by one with it: the traced history has no extra command.
    const withTracing = (await bundleWorkflowCode({ ...workflowBundleOptions(), logger: quiet })).code;
    const without = (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet })).code;
    const apiPayment = stack.env.client.workflow.getHandle('payment:acme:traced-1');
    // The stack encrypts its payloads: the replaying worker decrypts them with the stack's codec, as the worker did.
    const dataConverter = paymentDataConverter(stack.codec);
    for (const handle of [...handles, apiPayment]) {
      const history = await handle.fetchHistory();
      const replayName = handle.workflowId;
      await Worker.runReplayHistory({ workflowBundle: { code: withTracing }, replayName, dataConverter }, history);
      await Worker.runReplayHistory({ workflowBundle: { code: without }, replayName, dataConverter }, history);
    }
  });
});
