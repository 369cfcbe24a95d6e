import type { Connection } from '@temporalio/client';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkWorkerHealth } from '../../src/temporal/worker-health';

/** A connection whose describeTaskQueue answers with these pollers, recording what it was asked. */
function answering(pollers: { identity: string; secondsAgo: number }[]) {
  const asked: unknown[] = [];
  const now = Math.floor(Date.now() / 1000);
  const connection = {
    workflowService: {
      describeTaskQueue: (request: unknown) => {
        asked.push(request);
        const answer = pollers.map((p) => ({ identity: p.identity, lastAccessTime: { seconds: now - p.secondsAgo } }));
        return Promise.resolve({ pollers: answer });
      },
    },
  } as unknown as Connection;
  return { connection, asked };
}

describe('checkWorkerHealth', () => {
  const target = { namespace: 'payments-ns', taskQueue: 'payments', host: 'c0ffee' };

  it('is healthy when a worker on this host polled the workflow task queue recently', async () => {
    const { connection, asked } = answering([{ identity: '7@c0ffee', secondsAgo: 5 }]);
    assert.deepEqual(await checkWorkerHealth(connection, target), {
      healthy: true,
      detail: 'a worker on c0ffee polls task queue payments',
    });
    const request = asked[0] as { namespace: string; taskQueue: { name: string }; taskQueueType: number };
    assert.equal(request.namespace, 'payments-ns');
    assert.equal(request.taskQueue.name, 'payments');
    assert.equal(request.taskQueueType, 1, 'the workflow task queue');
  });

  it("is unhealthy when only other hosts' workers poll", async () => {
    const { connection } = answering([
      { identity: '7@another-host', secondsAgo: 1 },
      { identity: '8@c0ffee2', secondsAgo: 1 },
    ]);
    const health = await checkWorkerHealth(connection, target);
    assert.deepEqual(health, { healthy: false, detail: 'no worker on c0ffee polls task queue payments' });
  });

  it('is unhealthy when this host last polled longer ago than allowed', async () => {
    const { connection } = answering([{ identity: '7@c0ffee', secondsAgo: 300 }]);
    const health = await checkWorkerHealth(connection, { ...target, maxSilenceSeconds: 120 });
    assert.equal(health.healthy, false);
    assert.match(health.detail, /^the worker on c0ffee last polled 30\d s ago$/);
  });
});
