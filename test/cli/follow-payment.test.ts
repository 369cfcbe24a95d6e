import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { followPayment } from '../../src/cli/follow-payment';
import type { ShownPayment } from '../../src/cli/payments-gateway';
import { paymentVersion } from '../../src/contracts/payment-messages';
import type { PaymentStatus } from '../../src/contracts/payment-status';
import type { TimelineEntry } from '../../src/contracts/payment-state';

const entry = (event: string, status?: PaymentStatus): TimelineEntry => ({
  at: '2026-01-01T00:00:00.000Z',
  source: 'webhook',
  event,
  applied: true,
  ...(status ? { status } : {}),
});

const payment = (status: PaymentStatus, timeline: TimelineEntry[]): ShownPayment => ({
  paymentId: 'payment:follow',
  status,
  attempt: 1,
  timeline,
});

describe('followPayment (CLI)', () => {
  it('reads once, then long-polls: each change printed once, no reads while nothing changes', async () => {
    const accepted = [entry('accepted', 'Accepted')];
    const submitted = [...accepted, entry('transferAsset', 'Submitted')];
    const confirmed = [
      ...submitted,
      entry('wallet.transfer.broadcasted', 'Broadcasted'),
      entry('confirmed', 'Confirmed'),
    ];
    const answers: (ShownPayment | undefined)[] = [
      payment('Submitted', submitted),
      undefined, // the wait elapsed without a change
      payment('Confirmed', confirmed),
    ];
    const calls: string[] = [];
    const lines: string[] = [];
    const final = await followPayment(
      {
        get: async () => (calls.push('get'), payment('Accepted', accepted)),
        waitForChange: async (_id, seen, waitMs) => {
          calls.push(`wait ${seen} ${waitMs}`);
          return answers.shift();
        },
      },
      'payment:follow',
      (line) => lines.push(line),
      5_000,
    );
    assert.equal(final.status, 'Confirmed');
    assert.deepEqual(calls, ['get', 'wait 1 5000', 'wait 2 5000', 'wait 2 5000']);
    assert.deepEqual(
      lines.map((line) => line.split(/\s+/)[2]),
      ['accepted', 'transferAsset', 'wallet.transfer.broadcasted', 'confirmed'],
    );
  });

  it('counts versions over summarised entries too, so a bounded timeline is never printed twice', async () => {
    const kept = [entry('poll'), entry('confirmed', 'Confirmed')];
    const summarised = { ...payment('Confirmed', kept), timelineSummary: { omitted: 40 } };
    assert.equal(paymentVersion(summarised), 42);
    const lines: string[] = [];
    await followPayment(
      { get: async () => summarised, waitForChange: () => Promise.reject(new Error('final: no wait')) },
      'payment:follow',
      (line) => lines.push(line),
    );
    assert.equal(lines.length, 2);
  });
});
