import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  paymentStateQuery,
  paymentUpdateSignal,
  type PaymentOutcome,
  type PaymentWorkflowInput,
} from '../../src/contracts/payment-messages';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import { PAYMENT_WORKFLOW_TYPE } from '../../src/contracts/workflow-types';
import { FakeDfns } from '../support/fake-dfns';
import { startTimeSkipping, testInput, withWorker } from '../support/time-skipping';

const MINUTE = 60_000;
const TX = `0x${'c'.repeat(64)}`;

describe(
  'stuck transfers on networks without speed-up (time-skipping test server, scripted Dfns)',
  { timeout: 120_000 },
  () => {
    let env: TestWorkflowEnvironment;
    let bundle: WorkflowBundle;
    before(async () => ({ env, bundle } = await startTimeSkipping()));
    after(async () => env?.teardown());

    const cases: [string, Partial<PaymentRequest>][] = [
      [
        'Tron',
        {
          network: 'Tron',
          asset: { kind: 'Trc20', contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' },
          to: 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL',
        },
      ],
      ['Solana', { network: 'Solana', asset: { kind: 'Native' }, to: '14grJpemFaf88c8tiVb77W7TYg2W3ir6pfkKz3YjhhZ5' }],
    ];
    for (const [name, request] of cases) {
      it(`${name}: a stuck broadcast is flagged for a person and never sped up; it still follows the transfer`, async () => {
        const fake = new FakeDfns();
        // Broadcast for 40 minutes, past the 20-minute threshold, then confirmed. Counted in server time: Tron, with no
        // confirmed webhook, is read every block from its expected confirmation time, not only at the silences.
        let broadcastAt = Infinity;
        fake.onRead = () =>
          Context.current().info.currentAttemptScheduledTimestampMs >= broadcastAt + 40 * MINUTE
            ? { status: 'Confirmed' }
            : {};
        const timings = { stuckAfterMs: 20 * MINUTE, firstPollAfterMs: 10 * MINUTE, maxPollIntervalMs: 10 * MINUTE };
        const { outcome, state } = await withWorker(env, bundle, fake, async (taskQueue) => {
          const input: PaymentWorkflowInput = testInput(`escalate-${name}`, timings, request);
          const handle: WorkflowHandle<(i: PaymentWorkflowInput) => Promise<PaymentOutcome>> =
            await env.client.workflow.start(PAYMENT_WORKFLOW_TYPE, {
              workflowId: input.paymentId,
              taskQueue,
              args: [input],
            });
          for (let i = 0; i < 200 && (await handle.query(paymentStateQuery)).status === 'Accepted'; i++) {
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
          await handle.signal(
            paymentUpdateSignal,
            fake.set(`${input.paymentId}:a1`, { status: 'Broadcasted', txHash: TX }),
          );
          broadcastAt = await env.currentTimeMs(); // no time passes until the result is awaited
          return { outcome: await handle.result(), state: await handle.query(paymentStateQuery) };
        });
        assert.equal(outcome.status, 'Confirmed');
        // A person was asked to look (the timeline entry below); the transfer then confirmed by itself, which clears
        // the flag.
        assert.equal(outcome.needsAttention, undefined, 'the flag cleared once the transfer confirmed by itself');
        assert.equal(state.needsAttention, false);
        assert.equal(fake.count('speedUpTransfer'), 0);
        const events = state.timeline.map((entry) => entry.event);
        assert.ok(events.indexOf('stuck') < events.indexOf('stuck: escalated to a person'), events.join(', '));
        const escalation = state.timeline.find((entry) => entry.event === 'stuck: escalated to a person');
        assert.match(escalation?.note ?? '', new RegExp(`cannot speed up or cancel a transfer on ${name}`));
      });
    }
  },
);
