import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { optionsFromEnv } from '../../../sandbox/src/config/env';
import { sendNative, startTestSandbox } from '../helpers';
import { createSignPolicy } from '../policy-support';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('velocity window scale, independent of the chain time scale', () => {
  it('at time scale 1000 a 1-minute window still lasts a real minute with velocityWindowScale 1', async () => {
    const t = await startTestSandbox({ timeScale: 1000, velocityWindowScale: 1 });
    try {
      const rule = { kind: 'TransactionCountVelocity' as const, configuration: { limit: 1, timeframe: 1 } };
      await createSignPolicy(t.dfns, 'one per minute', rule, { kind: 'Block' });
      assert.equal((await sendNative(t.dfns, t.bootstrap.walletId, '1')).status, 'Pending');
      // 150 ms is 2.5 simulated minutes of chain time, but only 150 ms of the velocity window.
      await sleep(150);
      const second = await sendNative(t.dfns, t.bootstrap.walletId, '2');
      assert.equal(second.status, 'Rejected');
      assert.match(second.reason ?? '', /Number of transactions \(2\) is above limit \(1\)/);
    } finally {
      await t.close();
    }
  });

  it('a window scale above the time scale shortens windows while the chain keeps its pace', async () => {
    // 1 minute / 60_000 = 1 ms of window, with the chain at scale 1.
    const t = await startTestSandbox({ timeScale: 1, velocityWindowScale: 60_000 });
    try {
      const rule = { kind: 'TransactionCountVelocity' as const, configuration: { limit: 1, timeframe: 1 } };
      await createSignPolicy(t.dfns, 'one per minute', rule, { kind: 'Block' });
      assert.equal((await sendNative(t.dfns, t.bootstrap.walletId, '1')).status, 'Pending');
      await sleep(20);
      assert.equal((await sendNative(t.dfns, t.bootstrap.walletId, '2')).status, 'Pending');
    } finally {
      await t.close();
    }
  });

  it('SANDBOX_VELOCITY_WINDOW_SCALE sets it; a non-positive value is refused by name', () => {
    const ok = optionsFromEnv({ SANDBOX_VELOCITY_WINDOW_SCALE: '60' });
    assert.ok(ok.ok);
    assert.equal(ok.options.velocityWindowScale, 60);
    const unset = optionsFromEnv({});
    assert.ok(unset.ok);
    assert.equal(unset.options.velocityWindowScale, undefined);
    const bad = optionsFromEnv({ SANDBOX_VELOCITY_WINDOW_SCALE: '0' });
    assert.ok(!bad.ok);
    assert.match(bad.problems.join(), /SANDBOX_VELOCITY_WINDOW_SCALE/);
  });
});
