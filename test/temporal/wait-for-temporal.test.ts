import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TemporalUnreachableError, waitForTemporal } from '../../src/temporal/wait-for-temporal';

/** A clock that moves only when the code under test sleeps, and a logger that keeps what it is told. */
function harness() {
  let clock = 0;
  const sleeps: number[] = [];
  const warnings: Record<string, unknown>[] = [];
  return {
    sleeps,
    warnings,
    options: {
      target: '127.0.0.1:7233',
      logger: { warn: (fields: Record<string, unknown>, message: string) => warnings.push({ ...fields, message }) },
      sleep: async (ms: number) => {
        sleeps.push(ms);
        clock += ms;
      },
      now: () => clock,
    },
  };
}

const refused = () => new Error('tcp connect error: Connection refused');

describe('waitForTemporal', () => {
  it('retries with doubling waits capped at maxDelayMs, logging why each attempt failed, until it connects', async () => {
    const h = harness();
    let calls = 0;
    const connection = await waitForTemporal(
      async () => {
        calls++;
        if (calls < 8) throw refused();
        return 'connected';
      },
      { ...h.options, initialDelayMs: 500, maxDelayMs: 8_000 },
    );
    assert.equal(connection, 'connected');
    assert.deepEqual(h.sleeps, [500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    assert.equal(h.warnings.length, 7);
    assert.deepEqual(h.warnings[0], {
      temporal: '127.0.0.1:7233',
      attempt: 1,
      reason: 'tcp connect error: Connection refused',
      retryInMs: 500,
      message: 'waiting for Temporal: cannot connect yet',
    });
  });

  it('gives up with a typed error naming the address and the last reason once the timeout has passed', async () => {
    const h = harness();
    await assert.rejects(
      waitForTemporal(async () => Promise.reject(refused()), { ...h.options, timeoutMs: 10_000 }),
      (error: unknown) =>
        error instanceof TemporalUnreachableError &&
        error.type === 'TemporalUnreachable' &&
        /127\.0\.0\.1:7233 unreachable for 10 s/.test(error.message) &&
        /Connection refused/.test(error.message),
    );
    // 500 + 1000 + 2000 + 4000, then what is left of the 10 s: the last attempt is made at the deadline.
    assert.deepEqual(h.sleeps, [500, 1_000, 2_000, 4_000, 2_500]);
  });

  it('connects at once, without a warning, when Temporal is there', async () => {
    const h = harness();
    assert.equal(await waitForTemporal(async () => 42, h.options), 42);
    assert.deepEqual(h.sleeps, []);
    assert.deepEqual(h.warnings, []);
  });
});
