import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApp } from '../../src/app';
import { UNROUTABLE_WINDOW_MS } from '../../src/bridge/dfns-webhook-route';
import { MAX_WEBHOOK_BODY_BYTES } from '../../src/bridge/verify-dfns-webhook';
import { DFNS_SIGNATURE_HEADER, signDfnsWebhook } from '../../src/dfns/webhook-signature';
import type { PaymentUpdate } from '../../src/contracts/payment-update';
import type { PaymentSignaler } from '../../src/temporal/payment-signaler';
import { omit } from '../contracts/omit';
import { captureLogs } from '../logging/log-capture';

const SECRET = 'whsec_bridge_test_5f1c0a9e7d';
const OLD_SECRET = 'whsec_bridge_previous_77aa';
const NOW_MS = Date.parse('2025-01-01T00:10:00.000Z');
const NOW_S = NOW_MS / 1000;
const TOLERANCE = 300;
const EXTERNAL_ID = 'payment:order-42:a1';

type SignalBehaviour = 'delivered' | 'closed' | 'unknown' | Error;
/** What findPayment answers: the payment holding the Dfns id, none, or a Temporal failure. */
type FindBehaviour = string | undefined | Error;
type Lookup = Parameters<PaymentSignaler['findPayment']>[0];

/** Everything a delivery produced: the answer, the signals sent, the lookups made and the log lines written. */
interface Harness {
  signals: { paymentId: string; update: PaymentUpdate }[];
  lookups: Lookup[];
  lines: string[];
  /** Event kinds acknowledged without a payment, as counted through onUnroutable. */
  unroutable: string[];
  deliver(
    body: string,
    signature?: string | null,
  ): Promise<{ status: number; text: string; json: Record<string, unknown> }>;
}

function harness(
  behaviour: SignalBehaviour = 'delivered',
  secrets: readonly string[] = [SECRET],
  found: FindBehaviour = undefined,
): Harness {
  const signals: Harness['signals'] = [];
  const lookups: Lookup[] = [];
  const { logger, lines } = captureLogs('bridge');
  const signaler: PaymentSignaler = {
    signal(paymentId, update) {
      signals.push({ paymentId, update });
      return behaviour instanceof Error ? Promise.reject(behaviour) : Promise.resolve(behaviour);
    },
    findPayment(by) {
      lookups.push(by);
      return found instanceof Error ? Promise.reject(found) : Promise.resolve(found);
    },
  };
  const unroutable: string[] = [];
  const onUnroutable = (kind: string) => unroutable.push(kind);
  const webhook = { secrets, toleranceSeconds: TOLERANCE, signaler, logger, now: () => NOW_MS, onUnroutable };
  const app = createApp({ webhook });

  return {
    unroutable,
    signals,
    lookups,
    lines,
    async deliver(body, signature) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const header = signature === undefined ? signDfnsWebhook(body, SECRET) : signature;
      if (header !== null) headers[DFNS_SIGNATURE_HEADER] = header;
      const response = await app.request('/webhooks/dfns', { method: 'POST', headers, body });
      const text = await response.text();
      // No answer and no log line may ever carry the webhook secret.
      for (const secret of [SECRET, OLD_SECRET]) {
        assert.ok(!text.includes(secret), `response leaks a secret: ${text}`);
        for (const line of lines) assert.ok(!line.includes(secret), `log leaks a secret: ${line}`);
      }
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        assert.fail(`response is not JSON: ${text.slice(0, 200)}`);
      }
      return { status: response.status, text, json };
    },
  };
}

function transfer(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'xfr-1',
    walletId: 'wa-1',
    network: 'EthereumSepolia',
    status: 'Broadcasted',
    externalId: EXTERNAL_ID,
    txHash: '0xabc',
    dateRequested: '2025-01-01T00:00:00.000Z',
    dateBroadcasted: '2025-01-01T00:09:00.000Z',
    ...extra,
  };
}

function envelope(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'whe-1',
    kind: 'wallet.transfer.broadcasted',
    date: '2025-01-01T00:09:30.000Z',
    data: { transferRequest: transfer() },
    timestampSent: NOW_S - 5,
    deliveryAttempt: 1,
    ...extra,
  };
}

interface ErrorBody {
  error: { code: string; message: string; issues?: { field: string; message: string }[] };
}

function errorOf(json: Record<string, unknown>): ErrorBody['error'] {
  const { error } = json as unknown as ErrorBody;
  assert.ok(error, `expected an error body, got ${JSON.stringify(json)}`);
  return error;
}

describe('POST /webhooks/dfns', () => {
  it('signals a good delivery exactly once and answers 200', async () => {
    const h = harness();
    const res = await h.deliver(JSON.stringify(envelope()));
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { status: 'delivered', paymentId: 'payment:order-42' });
    assert.equal(h.signals.length, 1);
    assert.deepEqual(h.signals[0], {
      paymentId: 'payment:order-42',
      update: {
        kind: 'transfer',
        source: 'webhook',
        externalId: EXTERNAL_ID,
        transferId: 'xfr-1',
        status: 'Broadcasted',
        txHash: '0xabc',
        eventKind: 'wallet.transfer.broadcasted',
        eventTime: '2025-01-01T00:09:30.000Z',
        deliveryId: 'whe-1',
      },
    });
    assert.deepEqual(h.lookups, [], 'our externalId names the payment; no lookup');
    assert.ok(h.lines.some((line) => line.includes('webhook signalled') && line.includes('payment:order-42')));
  });

  it('finds the payment from the externalId of a later attempt', async () => {
    const h = harness();
    const body = JSON.stringify(
      envelope({ data: { transferRequest: transfer({ externalId: 'payment:inv_7.b-2:a3' }) } }),
    );
    const res = await h.deliver(body);
    assert.equal(res.status, 200);
    assert.deepEqual(
      h.signals.map((s) => s.paymentId),
      ['payment:inv_7.b-2'],
    );
  });

  it('accepts a delivery signed with a previous secret during rotation', async () => {
    const h = harness('delivered', [SECRET, OLD_SECRET]);
    const body = JSON.stringify(envelope());
    const res = await h.deliver(body, signDfnsWebhook(body, OLD_SECRET));
    assert.equal(res.status, 200);
    assert.equal(h.signals.length, 1);
  });

  describe('refuses with 401 and signals nothing', () => {
    const cases: [string, (body: string) => string | null][] = [
      ['a signature made with another secret', (body) => signDfnsWebhook(body, 'whsec_attacker')],
      ['a missing signature header', () => null],
      ['an empty signature header', () => ''],
      ['a signature without the sha256= prefix', (body) => signDfnsWebhook(body, SECRET).slice('sha256='.length)],
      ['a signature over another body', () => signDfnsWebhook(JSON.stringify(envelope({ id: 'whe-2' })), SECRET)],
    ];
    for (const [why, sign] of cases) {
      it(`for ${why}`, async () => {
        const h = harness();
        const body = JSON.stringify(envelope());
        const res = await h.deliver(body, sign(body));
        assert.equal(res.status, 401);
        assert.equal(errorOf(res.json).code, 'invalid_signature');
        assert.deepEqual(h.signals, []);
        assert.ok(h.lines.some((line) => line.includes('bad or missing signature')));
      });
    }

    it('for a body changed by one byte after signing', async () => {
      const h = harness();
      const body = JSON.stringify(envelope());
      const tampered = body.replace('0xabc', '0xabd');
      assert.notEqual(tampered, body);
      const res = await h.deliver(tampered, signDfnsWebhook(body, SECRET));
      assert.equal(res.status, 401);
      assert.deepEqual(h.signals, []);
    });

    for (const [why, timestampSent] of [
      ['a stale timestampSent', NOW_S - 3600],
      ['a timestampSent exactly at the window edge', NOW_S - TOLERANCE],
      ['a timestampSent far in the future', NOW_S + 3600],
      ['a missing timestampSent', undefined],
      ['a string timestampSent', String(NOW_S)],
    ] as const) {
      it(`for ${why}, even when correctly signed`, async () => {
        const h = harness();
        const res = await h.deliver(JSON.stringify(envelope({ timestampSent })));
        assert.equal(res.status, 401);
        assert.equal(errorOf(res.json).code, 'stale_delivery');
        assert.deepEqual(h.signals, []);
        assert.ok(h.lines.some((line) => line.includes('outside the replay window')));
      });
    }
  });

  it('accepts a delivery one second inside the replay window', async () => {
    const h = harness();
    const res = await h.deliver(JSON.stringify(envelope({ timestampSent: NOW_S - TOLERANCE + 1 })));
    assert.equal(res.status, 200);
    assert.equal(h.signals.length, 1);
  });

  describe('refuses with 400 naming the field, and signals nothing', () => {
    it('for a signed body that is not JSON', async () => {
      const h = harness();
      const res = await h.deliver('{"id":"whe-1",');
      assert.equal(res.status, 400);
      const error = errorOf(res.json);
      assert.equal(error.code, 'malformed_body');
      assert.deepEqual(error.issues, [{ field: '(body)', message: 'is not valid JSON' }]);
      assert.deepEqual(h.signals, []);
    });

    it('for a bogus data.transferRequest.status', async () => {
      const h = harness();
      const res = await h.deliver(
        JSON.stringify(envelope({ data: { transferRequest: transfer({ status: 'Bogus' }) } })),
      );
      assert.equal(res.status, 400);
      const error = errorOf(res.json);
      assert.equal(error.code, 'malformed_body');
      assert.deepEqual(
        error.issues?.map((i) => i.field),
        ['data.transferRequest.status'],
      );
      assert.deepEqual(h.signals, []);
    });

    it('for a missing data.transferRequest', async () => {
      const h = harness();
      const res = await h.deliver(JSON.stringify(envelope({ data: {} })));
      assert.equal(res.status, 400);
      assert.deepEqual(
        errorOf(res.json).issues?.map((i) => i.field),
        ['data.transferRequest'],
      );
      assert.deepEqual(h.signals, []);
    });

    for (const body of ['null', '[]', '[{"id":"whe-1"}]', '42', '"wallet.transfer.broadcasted"', 'true']) {
      it(`for a signed JSON body that is not an object: ${body}`, async () => {
        const h = harness();
        const res = await h.deliver(body);
        assert.equal(res.status, 400);
        const error = errorOf(res.json);
        assert.equal(error.code, 'malformed_body');
        assert.deepEqual(error.issues, [{ field: '(body)', message: 'must be a JSON object' }]);
        assert.deepEqual(h.signals, []);
      });
    }

    it('for an envelope without id and kind', async () => {
      const h = harness();
      const rest = omit(envelope(), 'id', 'kind');
      const res = await h.deliver(JSON.stringify(rest));
      assert.equal(res.status, 400);
      assert.deepEqual(
        errorOf(res.json)
          .issues?.map((i) => i.field)
          .sort(),
        ['id', 'kind'],
      );
      assert.deepEqual(h.signals, []);
    });
  });

  describe('body size limit', () => {
    /** A correctly signed, valid envelope padded to exactly `bytes` bytes. */
    function paddedBody(bytes: number): string {
      const empty = JSON.stringify(envelope({ padding: '' }));
      const body = JSON.stringify(envelope({ padding: 'x'.repeat(bytes - Buffer.byteLength(empty)) }));
      assert.equal(Buffer.byteLength(body), bytes);
      return body;
    }

    it('refuses a signed delivery of 1 MiB + 1 byte with 413 and signals nothing', async () => {
      const h = harness();
      const res = await h.deliver(paddedBody(MAX_WEBHOOK_BODY_BYTES + 1));
      assert.equal(res.status, 413);
      assert.equal(errorOf(res.json).code, 'payload_too_large');
      assert.deepEqual(h.signals, []);
    });

    it('refuses an unsigned 1 MiB + 1 byte body with 413 before checking the signature', async () => {
      const h = harness();
      const res = await h.deliver('x'.repeat(MAX_WEBHOOK_BODY_BYTES + 1), null);
      assert.equal(res.status, 413);
      assert.deepEqual(h.signals, []);
    });

    it('accepts a signed delivery of exactly 1 MiB', async () => {
      assert.equal(MAX_WEBHOOK_BODY_BYTES, 1024 * 1024);
      const h = harness();
      const res = await h.deliver(paddedBody(MAX_WEBHOOK_BODY_BYTES));
      assert.equal(res.status, 200);
      assert.equal(h.signals.length, 1);
    });
  });

  describe('answers 200 "ignored" and signals nothing', () => {
    it('for an event kind the orchestrator does not use', async () => {
      const h = harness();
      const res = await h.deliver(
        JSON.stringify(envelope({ kind: 'wallet.created', data: { wallet: { id: 'wa-2' } } })),
      );
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { status: 'ignored', reason: 'event kind wallet.created is not used' });
      assert.deepEqual(h.signals, []);
    });

    it('for a transfer whose externalId is not one of ours', async () => {
      const h = harness();
      const res = await h.deliver(
        JSON.stringify(envelope({ data: { transferRequest: transfer({ externalId: 'invoice-77' }) } })),
      );
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { status: 'ignored', reason: 'not a payment of this orchestrator' });
      assert.deepEqual(h.signals, []);
      assert.deepEqual(h.lookups, [], 'an externalId that is not ours is not looked up');
    });

    it('for a transfer without an externalId', async () => {
      const h = harness();
      const rest = omit(transfer(), 'externalId');
      const res = await h.deliver(JSON.stringify(envelope({ data: { transferRequest: rest } })));
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { status: 'ignored', reason: 'transfer has no externalId' });
      assert.deepEqual(h.signals, []);
    });
  });

  it('answers 200 "late" when the payment is closed', async () => {
    const h = harness('closed');
    const res = await h.deliver(JSON.stringify(envelope()));
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { status: 'late', paymentId: 'payment:order-42' });
    assert.equal(h.signals.length, 1);
    assert.ok(h.lines.some((line) => line.includes('"level":"warn"') && line.includes('late webhook')));
  });

  it('answers 200 "unknown_payment" for a payment that never existed, and logs it apart from late', async () => {
    const h = harness('unknown');
    const res = await h.deliver(
      JSON.stringify(envelope({ data: { transferRequest: transfer({ externalId: 'payment:nope:a1' }) } })),
    );
    assert.equal(res.status, 200, 'acknowledged, so that Dfns does not redeliver it for ever');
    assert.deepEqual(res.json, { status: 'unknown_payment', paymentId: 'payment:nope' });
    assert.deepEqual(
      h.signals.map((s) => s.paymentId),
      ['payment:nope'],
    );
    const line = h.lines.find((l) => l.includes('"level":"warn"') && l.includes('does not exist'));
    assert.ok(line?.includes('payment:nope') && line.includes('whe-1'), line);
    assert.ok(!h.lines.some((l) => l.includes('late webhook')), 'not logged as late');
  });

  it('answers 503 when Temporal does not accept the signal, so Dfns redelivers', async () => {
    const h = harness(new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233'));
    const res = await h.deliver(JSON.stringify(envelope()));
    assert.equal(res.status, 503);
    const error = errorOf(res.json);
    assert.equal(error.code, 'temporal_unavailable');
    assert.ok(!res.text.includes('ECONNREFUSED'), 'the internal error stays in the log');
    const line = h.lines.find((l) => l.includes('"level":"error"'));
    assert.ok(line?.includes('ECONNREFUSED') && line.includes('payment:order-42') && line.includes('whe-1'), line);
  });

  it('answers other paths and methods with a 404 problem document, as every unknown route on the port', async () => {
    const app = createApp({
      webhook: {
        secrets: [SECRET],
        toleranceSeconds: TOLERANCE,
        now: () => NOW_MS,
        logger: captureLogs().logger,
        signaler: { signal: () => Promise.resolve('delivered'), findPayment: () => Promise.resolve(undefined) },
      },
    });
    for (const [path, method] of [
      ['/webhooks/dfns', 'GET'],
      ['/webhooks/other', 'POST'],
      ['/webhooks/dfns/', 'POST'],
    ] as const) {
      const res = await app.request(path, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      const problem = (await res.json()) as { type: string; status: number };
      assert.deepEqual([problem.type, problem.status], ['urn:problem:payments:not_found', 404]);
    }
  });

  it('never puts the secret in an answer or a log line, whatever the outcome', async () => {
    const outcomes: SignalBehaviour[] = ['delivered', 'closed', 'unknown', new Error('boom')];
    const bodies = [
      JSON.stringify(envelope()),
      JSON.stringify(envelope({ timestampSent: 0 })),
      JSON.stringify(envelope({ data: { transferRequest: transfer({ status: 'Bogus' }) } })),
      'not json',
    ];
    let deliveries = 0;
    for (const outcome of outcomes) {
      const h = harness(outcome);
      for (const body of bodies) {
        for (const signature of [undefined, null, signDfnsWebhook(body, 'wrong')]) {
          const res = await h.deliver(body, signature);
          deliveries++;
          assert.ok(!res.text.includes(SECRET));
        }
      }
      assert.ok(h.lines.length > 0);
      for (const line of h.lines) assert.ok(!line.includes(SECRET), line);
    }
    assert.equal(deliveries, outcomes.length * bodies.length * 3);
  });
});

function dfnsApproval(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'ap-1',
    initiatorId: 'us-service',
    status: 'Denied',
    dateUpdated: '2025-01-01T00:09:00.000Z',
    activity: {
      kind: 'Wallets:Sign',
      transferRequest: transfer({ status: 'Pending', approvalId: 'ap-1', txHash: undefined }),
    },
    decisions: [
      { userId: 'us-approver-1', date: '2025-01-01T00:09:00.000Z', reason: 'not whitelisted', value: 'Denied' },
    ],
    ...extra,
  };
}

function approvalEnvelope(
  approval: Record<string, unknown>,
  kind = 'policy.approval.resolved',
): Record<string, unknown> {
  return envelope({ id: 'whe-ap', kind, data: { approval } });
}

/** An approval Dfns sent without the transfer inside, so it carries no externalId of ours. */
const BARE_APPROVAL = dfnsApproval({ activity: { kind: 'Wallets:Sign' } });

describe('POST /webhooks/dfns: approval events', () => {
  it('signals an approval with our externalId to that payment as an approval update, without a lookup', async () => {
    const h = harness();
    const res = await h.deliver(JSON.stringify(approvalEnvelope(dfnsApproval())));
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { status: 'delivered', paymentId: 'payment:order-42' });
    assert.deepEqual(h.lookups, []);
    assert.deepEqual(h.signals, [
      {
        paymentId: 'payment:order-42',
        update: {
          kind: 'approval',
          source: 'webhook',
          approvalId: 'ap-1',
          externalId: EXTERNAL_ID,
          status: 'Denied',
          decidedBy: 'us-approver-1',
          reason: 'not whitelisted',
          // Every decision, kept for the audit trail.
          decisions: [
            { userId: 'us-approver-1', date: '2025-01-01T00:09:00.000Z', reason: 'not whitelisted', value: 'Denied' },
          ],
          eventKind: 'policy.approval.resolved',
          eventTime: '2025-01-01T00:09:30.000Z',
          deliveryId: 'whe-ap',
        },
      },
    ]);
  });

  it('signals a pending approval too', async () => {
    const h = harness();
    const res = await h.deliver(
      JSON.stringify(approvalEnvelope(dfnsApproval({ status: 'Pending', decisions: [] }), 'policy.approval.pending')),
    );
    assert.equal(res.status, 200);
    const [signal] = h.signals;
    assert.ok(signal?.update.kind === 'approval');
    assert.equal(signal.update.status, 'Pending');
  });

  describe('without an externalId of ours, finds the payment by the approval id', () => {
    it('and signals the payment found', async () => {
      const h = harness('delivered', [SECRET], 'payment:inv-7');
      const res = await h.deliver(JSON.stringify(approvalEnvelope(BARE_APPROVAL)));
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { status: 'delivered', paymentId: 'payment:inv-7' });
      assert.deepEqual(h.lookups, [{ approvalId: 'ap-1' }]);
      assert.equal(h.signals.length, 1);
      assert.equal(h.signals[0]?.paymentId, 'payment:inv-7');
      assert.equal(h.signals[0]?.update.kind, 'approval');
      assert.ok(h.lines.some((line) => line.includes('webhook signalled') && line.includes('payment:inv-7')));
    });

    it('and answers 503 without signalling while no payment holds it yet, so Dfns redelivers', async () => {
      const h = harness('delivered', [SECRET], undefined);
      const res = await h.deliver(JSON.stringify(approvalEnvelope(BARE_APPROVAL)));
      assert.equal(res.status, 503);
      assert.equal(errorOf(res.json).code, 'payment_not_found_yet');
      assert.deepEqual(h.lookups, [{ approvalId: 'ap-1' }]);
      assert.deepEqual(h.signals, []);
      assert.equal(h.unroutable.length, 0, 'not counted while it may still be routed');
    });

    it('and, once the event is older than the redelivery window, acknowledges it (200 "unroutable") and counts it', async () => {
      const h = harness('delivered', [SECRET], undefined);
      const dated = new Date(NOW_MS - UNROUTABLE_WINDOW_MS - 1_000).toISOString();
      const res = await h.deliver(JSON.stringify({ ...approvalEnvelope(BARE_APPROVAL), date: dated }));
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { status: 'unroutable', reason: 'no payment of this orchestrator holds it' });
      assert.deepEqual(h.signals, []);
      assert.deepEqual(h.unroutable, ['policy.approval.resolved']);
      assert.ok(h.lines.some((line) => line.includes('acknowledged without a payment') && line.includes('whe-ap')));
    });

    it('and answers 503 without signalling when the lookup fails, so Dfns redelivers', async () => {
      const h = harness('delivered', [SECRET], new Error('4 DEADLINE_EXCEEDED: visibility query timed out'));
      const res = await h.deliver(JSON.stringify(approvalEnvelope(BARE_APPROVAL)));
      assert.equal(res.status, 503);
      assert.equal(errorOf(res.json).code, 'temporal_unavailable');
      assert.ok(!res.text.includes('DEADLINE_EXCEEDED'), 'the internal error stays in the log');
      assert.deepEqual(h.signals, []);
      const line = h.lines.find((l) => l.includes('"level":"error"'));
      assert.ok(line?.includes('DEADLINE_EXCEEDED') && line.includes('whe-ap'), line);
    });

    it('and answers 200 "late" when the payment found is closed', async () => {
      const h = harness('closed', [SECRET], 'payment:inv-7');
      const res = await h.deliver(JSON.stringify(approvalEnvelope(BARE_APPROVAL)));
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { status: 'late', paymentId: 'payment:inv-7' });
    });

    it('and answers 503 when the payment found does not accept the signal', async () => {
      const h = harness(new Error('14 UNAVAILABLE'), [SECRET], 'payment:inv-7');
      const res = await h.deliver(JSON.stringify(approvalEnvelope(BARE_APPROVAL)));
      assert.equal(res.status, 503);
      const line = h.lines.find((l) => l.includes('"level":"error"'));
      assert.ok(line?.includes('payment:inv-7'), line);
    });
  });

  describe('answers 200 "ignored" without a lookup or a signal', () => {
    it('for policy.approval.resolved without an approval object', async () => {
      const h = harness('delivered', [SECRET], 'payment:inv-7');
      const res = await h.deliver(
        JSON.stringify(
          envelope({ kind: 'policy.approval.resolved', data: { approvalId: 'ap-1', status: 'Approved' } }),
        ),
      );
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { status: 'ignored', reason: 'policy.approval.resolved without an approval object' });
      assert.deepEqual(h.lookups, []);
      assert.deepEqual(h.signals, []);
    });

    it('for an approval of another activity kind', async () => {
      const h = harness('delivered', [SECRET], 'payment:inv-7');
      const res = await h.deliver(
        JSON.stringify(approvalEnvelope(dfnsApproval({ activity: { kind: 'Policies:Modify' } }))),
      );
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { status: 'ignored', reason: 'approval for Policies:Modify' });
      assert.deepEqual(h.lookups, []);
      assert.deepEqual(h.signals, []);
    });
  });

  it('refuses a malformed approval with 400 naming the field, without a lookup or a signal', async () => {
    const h = harness('delivered', [SECRET], 'payment:inv-7');
    const res = await h.deliver(JSON.stringify(approvalEnvelope(dfnsApproval({ status: 'Maybe' }))));
    assert.equal(res.status, 400);
    assert.deepEqual(
      errorOf(res.json).issues?.map((i) => i.field),
      ['data.approval.status'],
    );
    assert.deepEqual(h.lookups, []);
    assert.deepEqual(h.signals, []);
  });
});
