import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { takeHttpFault } from '../../../sandbox/src/faults/fault-queues';
import { FaultStateSchema, noFaults } from '../../../sandbox/src/faults/fault-schema';
import { admin, rawCall, startTestSandbox } from '../helpers';

/** A pinned sequence of rolls, so a probability decision is exact. */
const rolls = (...values: number[]) => {
  let index = 0;
  return () => values[index++ % values.length] as number;
};

describe('HTTP faults as a probability per call', () => {
  it('a rate rule fails exactly the calls whose roll is below its probability, and is never consumed', () => {
    const faults = noFaults();
    faults.httpRates.push({ status: 503, probability: 0.25 });
    const random = rolls(0.1, 0.3, 0.24, 0.9);
    const outcomes = [1, 2, 3, 4].map(() => takeHttpFault(faults, '/wallets', random)?.fault.status);
    assert.deepEqual(outcomes, [503, undefined, 503, undefined]);
    assert.equal(faults.httpRates.length, 1);
  });

  it('counted rules go first and are consumed; rates honour `paths`', () => {
    const faults = noFaults();
    faults.http.push({ status: 429, remaining: 1 });
    faults.httpRates.push({ status: 500, probability: 1, paths: '/wallets/' });
    const always = () => 0;
    assert.deepEqual(takeHttpFault(faults, '/auth/action/init', always), {
      fault: { status: 429, remaining: 0 },
      changed: true,
    });
    assert.equal(takeHttpFault(faults, '/auth/action/init', always), undefined, 'rate limited to /wallets/');
    assert.equal(takeHttpFault(faults, '/wallets/wa-1/transfers', always)?.fault.status, 500);
  });

  it('state saved before rates existed still loads (no rates, no reorder hold)', () => {
    const old = noFaults() as Record<string, unknown>;
    delete old.httpRates;
    const parsed = FaultStateSchema.parse({
      ...old,
      webhooks: { standing: { drop: 0, duplicate: 0, reorder: 0, delayMs: 0 }, next: [] },
    });
    assert.deepEqual(parsed.httpRates, []);
    assert.equal(parsed.webhooks.standing.reorderHoldMs, 0);
  });

  it('through the admin API: a 30% 503 rate fails about 30% of 400 calls; 0 turns it off', async () => {
    const t = await startTestSandbox();
    try {
      const armed = await admin(t.sandbox.url, 'POST', '/faults/http', { status: 503, probability: 0.3 });
      assert.equal(armed.status, 200);
      assert.deepEqual(armed.body.faults.httpRates, [{ status: 503, probability: 0.3 }]);
      const rateLimited = await admin(t.sandbox.url, 'POST', '/faults/http', {
        status: 429,
        probability: 0.1,
        retryAfterSeconds: 0,
      });
      assert.equal(rateLimited.body.faults.httpRates.length, 2);
      // Replacing the same status and paths keeps one rule.
      await admin(t.sandbox.url, 'POST', '/faults/http', { status: 503, probability: 0.3 });
      assert.equal((await admin(t.sandbox.url, 'GET', '/faults')).body.faults.httpRates.length, 2);

      const statuses: number[] = [];
      for (let i = 0; i < 400; i += 1) statuses.push((await rawCall(t.bootstrap, 'GET', '/wallets')).status);
      const count = (status: number) => statuses.filter((s) => s === status).length;
      // 503 with p = 0.3 out of 400: mean 120, sd ~9; 429 rolls only after 503 missed: mean 28, sd ~5.
      assert.ok(count(503) > 75 && count(503) < 165, `503s: ${count(503)}`);
      assert.ok(count(429) > 5 && count(429) < 60, `429s: ${count(429)}`);
      assert.equal(count(200) + count(503) + count(429), 400);
      const { injected } = (await admin(t.sandbox.url, 'GET', '/requests')).body;
      assert.deepEqual(injected, { 503: count(503), 429: count(429) }, 'every injected answer is counted');

      await admin(t.sandbox.url, 'POST', '/faults/http', { status: 503, probability: 0 });
      await admin(t.sandbox.url, 'POST', '/faults/http', { status: 429, probability: 0, retryAfterSeconds: 0 });
      assert.deepEqual((await admin(t.sandbox.url, 'GET', '/faults')).body.faults.httpRates, []);
      for (let i = 0; i < 20; i += 1) assert.equal((await rawCall(t.bootstrap, 'GET', '/wallets')).status, 200);
    } finally {
      await t.close();
    }
  });

  it('refuses a rule with both or neither of count and probability, naming the field', async () => {
    const t = await startTestSandbox();
    try {
      for (const rule of [{ status: 503 }, { status: 503, count: 1, probability: 0.5 }]) {
        const res = await admin(t.sandbox.url, 'POST', '/faults/http', rule);
        assert.equal(res.status, 400);
        assert.match(JSON.stringify(res.body), /count/);
      }
      const tooLikely = await admin(t.sandbox.url, 'POST', '/faults/http', { status: 503, probability: 1.5 });
      assert.equal(tooLikely.status, 400);
    } finally {
      await t.close();
    }
  });
});
