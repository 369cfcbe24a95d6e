import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { InvalidCursorError } from '../../src/api/payments-backend';
import { openCursor, paymentPage, sealCursor } from '../../src/api/visibility-page';

const QUERY = "WorkflowType = 'paymentWorkflow' AND PaymentClient = 'acme'";

describe('listing cursors', () => {
  it("carry Temporal's page token back unchanged for the same query", () => {
    const token = Buffer.from('{"StartTime":"2026-11-30T00:00:00Z","RunID":"r1"}');
    assert.deepEqual(Buffer.from(openCursor(sealCursor(token, QUERY), QUERY)), token);
  });

  it('refuse a cursor for other filters, a forged one and garbage', () => {
    const cursor = sealCursor(Buffer.from('{"x":1}'), QUERY);
    assert.throws(() => openCursor(cursor, `${QUERY} AND PaymentStatus = 'Confirmed'`), InvalidCursorError);
    const forged = Buffer.from(
      JSON.stringify({ t: Buffer.from('{"x":2}').toString('base64url'), c: 'AAAAAAAAAAAAAAAAAAAAAA' }),
    ).toString('base64url');
    assert.throws(() => openCursor(forged, QUERY), InvalidCursorError);
    for (const garbage of ['Hc', '0', 'e30', 'bnVsbA'])
      assert.throws(() => openCursor(garbage, QUERY), InvalidCursorError, garbage);
  });
});

describe('paymentPage', () => {
  it('maps executions and their search attributes, and seals the next token', () => {
    const sa = (value: unknown) => defaultPayloadConverter.toPayload(value);
    const page = paymentPage(
      {
        executions: [
          {
            execution: { workflowId: 'payment:acme:a' },
            startTime: { seconds: 1_780_000_000, nanos: 5_000_000 } as never,
            closeTime: { seconds: 1_780_000_060, nanos: 0 } as never,
            searchAttributes: {
              indexedFields: {
                PaymentStatus: sa('Confirmed'),
                PaymentWallet: sa('wa-1'),
                PaymentNetwork: sa('Base'),
                PaymentAsset: sa('Native'),
                PaymentStuck: sa(false),
              },
            },
          },
          { execution: { workflowId: 'payment:acme:b' }, startTime: { seconds: 1_780_000_100, nanos: 0 } as never },
        ],
        nextPageToken: Buffer.from('{"next":1}'),
      },
      QUERY,
    );
    assert.deepEqual(page.items, [
      {
        paymentId: 'payment:acme:a',
        running: false,
        createdAt: '2026-05-28T20:26:40.005Z',
        status: 'Confirmed',
        walletId: 'wa-1',
        network: 'Base',
        asset: 'Native',
        stuck: false,
        closedAt: '2026-05-28T20:27:40.000Z',
      },
      { paymentId: 'payment:acme:b', running: true, createdAt: '2026-05-28T20:28:20.000Z' },
    ]);
    assert.equal(Buffer.from(openCursor(page.nextCursor as string, QUERY)).toString(), '{"next":1}');
    assert.equal(paymentPage({ executions: [] }, QUERY).nextCursor, undefined);
  });
});
