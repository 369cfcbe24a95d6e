import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRateLimiter } from '../../../sandbox/src/faults/rate-limiter';

describe('the sandbox rate limiter', () => {
  it('counts the limit over a sliding minute by default', () => {
    let now = 0;
    const limiter = createRateLimiter(6, () => now);
    for (let i = 0; i < 6; i++) assert.deepEqual(limiter.take(), { ok: true });
    assert.deepEqual(limiter.take(), { ok: false, retryAfterSeconds: 60 });
    now = 59_999;
    assert.equal(limiter.take().ok, false);
    now = 60_000;
    assert.deepEqual(limiter.take(), { ok: true });
    assert.equal(limiter.refused, 2);
  });

  it('allows the same rate over a shorter window: the per-minute limit scaled to it', () => {
    let now = 0;
    const limiter = createRateLimiter(60, () => now, 10_000); // 10 requests in any 10 s
    for (let i = 0; i < 10; i++) {
      now = i * 100;
      assert.deepEqual(limiter.take(), { ok: true }, `request ${i}`);
    }
    now = 1_000;
    assert.deepEqual(limiter.take(), { ok: false, retryAfterSeconds: 9 });
    now = 10_000; // the first request has left the window
    assert.deepEqual(limiter.take(), { ok: true });
    assert.equal(limiter.take().ok, false, 'the second is still in it');
  });
});
