import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TEMPORAL_DEV_SERVER_DYNAMIC_CONFIG } from '../../src/temporal/dev-server-flags';
import { temporalCliPath } from '../support/temporal-cli';
import { freePort } from '../support/free-port';

const ROUTINE = 40;
const URGENT = 3;
/** Activities the rate-limited queue starts per second: the routine backlog takes about ten seconds. */
const RATE = 4;

/**
 * Priority orders tasks within one partition of a queue (https://docs.temporal.io/develop/task-queue-priority-fairness);
 * across the dev server's four, a lighter partition's routine task can go before a heavier one's urgent task. One
 * partition makes the order this test checks exact.
 */
const ONE_PARTITION = ['matching.numTaskqueueReadPartitions=1', 'matching.numTaskqueueWritePartitions=1'];

/**
 * Task priority on the dev server the project runs (Temporal CLI 1.5.1, server 1.29.1), started with the project's
 * dynamic config: urgent activities (priorityKey 1) scheduled after a backlog of routine ones (the default, 3) on a
 * rate-limited queue are dispatched ahead of most of that backlog.
 */
describe('Temporal task priority on the dev server', { timeout: 120_000 }, () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: temporalCliPath() },
        port: await freePort(),
        extraArgs: [...TEMPORAL_DEV_SERVER_DYNAMIC_CONFIG, ...ONE_PARTITION].flatMap((value) => [
          '--dynamic-config-value',
          value,
        ]),
      },
    });
  });
  after(async () => env?.teardown());

  it('urgent activities overtake a backlog of routine ones on a rate-limited queue', async () => {
    const queue = `priority-${process.pid}-${Date.now()}`;
    const order: string[] = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: queue,
      workflowsPath: fileURLToPath(new URL('./priority-workflows.ts', import.meta.url)),
      activities: { record: async (name: string) => void order.push(name) },
      maxTaskQueueActivitiesPerSecond: RATE,
      maxConcurrentActivityTaskExecutions: 1,
    });
    await worker.runUntil(
      env.client.workflow.execute('priorityBacklog', {
        taskQueue: queue,
        workflowId: queue,
        args: [{ queue, routine: ROUTINE, urgent: URGENT }],
      }),
    );
    assert.equal(order.length, ROUTINE + URGENT);
    console.log(`dispatch order: ${order.join(', ')}`);
    const urgentAt = order.flatMap((name, i) => (name.startsWith('urgent') ? [i] : []));
    const first = urgentAt[0]!;
    const last = urgentAt.at(-1)!;
    // In arrival order they would run last. By priority they go next once scheduled, one after another, ahead of
    // the routine tasks still waiting (at least 10 of them even if this machine is slow to schedule them).
    assert.equal(last - first, URGENT - 1, `urgent together: ${order.join(', ')}`);
    assert.ok(order.length - 1 - last >= 10, `urgent ahead of the backlog: ${order.join(', ')}`);
  });
});
