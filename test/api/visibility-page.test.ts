import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { InvalidCursorError } from '../../src/api/payments-backend';
import { cursorSeal, paymentPage } from '../../src/api/visibility-page';

const QUERY = "WorkflowType = 'paymentWorkflow' AND PaymentClient = 'acme'";
const cursors = cursorSeal('visibility-page-test-secret-0123456789');

/** A cursor as anyone could mint one without the server's secret: a plain SHA-256 of query and token. */
function unkeyedCursor(token: string, query: string): string {
  const t = Buffer.from(token).toString('base64url');
  const c = createHash('sha256').update(`${query}\n${t}`).digest('base64url');
  return Buffer.from(JSON.stringify({ t, c })).toString('base64url');
}

describe('listing cursors', () => {
  it("carry Temporal's page token back unchanged for the same query", () => {
    const token = Buffer.from('{"StartTime":"2026-11-30T00:00:00Z","RunID":"r1"}');
    assert.deepEqual(Buffer.from(cursors.open(cursors.seal(token, QUERY), QUERY)), token);
  });

  it('refuse a cursor for other filters or another client', () => {
    const cursor = cursors.seal(Buffer.from('{"x":1}'), QUERY);
    assert.throws(() => cursors.open(cursor, `${QUERY} AND PaymentStatus = 'Confirmed'`), InvalidCursorError);
    assert.throws(() => cursors.open(cursor, QUERY.replace('acme', 'globex')), InvalidCursorError);
  });

  it('refuse a cursor minted without the secret: unkeyed, under another secret, truncated, or garbage', () => {
    assert.throws(() => cursors.open(unkeyedCursor('{"x":2}', QUERY), QUERY), InvalidCursorError);
    const elsewhere = cursorSeal('another-replica-secret-0123456789abc').seal(Buffer.from('{"x":3}'), QUERY);
    assert.throws(() => cursors.open(elsewhere, QUERY), InvalidCursorError);
    const sealed = JSON.parse(Buffer.from(cursors.seal(Buffer.from('{"x":4}'), QUERY), 'base64url').toString()) as {
      t: string;
      c: string;
    };
    const truncated = Buffer.from(JSON.stringify({ t: sealed.t, c: sealed.c.slice(0, 22) })).toString('base64url');
    assert.throws(() => cursors.open(truncated, QUERY), InvalidCursorError, 'a shorter MAC is refused, not compared');
    for (const garbage of ['Hc', '0', 'e30', 'bnVsbA'])
      assert.throws(() => cursors.open(garbage, QUERY), InvalidCursorError, garbage);
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
      cursors,
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
    assert.equal(Buffer.from(cursors.open(page.nextCursor as string, QUERY)).toString(), '{"next":1}');
    assert.equal(paymentPage({ executions: [] }, QUERY, cursors).nextCursor, undefined);
  });
});
