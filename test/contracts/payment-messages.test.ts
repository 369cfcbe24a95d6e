import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cancelUpdate,
  DEFAULT_PAYMENT_TIMINGS,
  legacyApprovalUpdateSignal,
  legacyTransferUpdateSignal,
  paymentStateQuery,
  paymentUpdateSignal,
  retryUpdate,
  speedUpUpdate,
} from '../../src/contracts/payment-messages';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('payment messages', () => {
  // The names are the wire contract between the bridge, the client and running workflows: renaming one strands them.
  it('keeps the signal, query and update names running payments answer to', () => {
    assert.equal(paymentUpdateSignal.name, 'paymentUpdate');
    // Superseded, but payments started before paymentUpdate existed have them in their histories.
    assert.equal(legacyTransferUpdateSignal.name, 'transferUpdate');
    assert.equal(legacyApprovalUpdateSignal.name, 'approvalUpdate');
    assert.equal(paymentStateQuery.name, 'paymentState');
    assert.deepEqual([cancelUpdate.name, retryUpdate.name, speedUpUpdate.name], ['cancel', 'retry', 'speedUp']);
  });

  it('defaults to a minute before the first poll, human-sized approval waits and three automatic attempts', () => {
    assert.deepEqual(DEFAULT_PAYMENT_TIMINGS, {
      firstPollAfterMs: MINUTE,
      maxPollIntervalMs: 10 * MINUTE,
      approvalPollIntervalMs: 15 * MINUTE,
      approvalGraceMs: 5 * MINUTE,
      maxApprovalWaitMs: 3 * DAY,
      maxAutoAttempts: 3,
      operatorWindowMs: 7 * DAY,
      cancelStuckTransfers: false,
      maxApprovalPollIntervalMs: 4 * 60 * MINUTE,
      maxStuckPollIntervalMs: 60 * MINUTE,
      maxRetryBackoffMs: 60 * MINUTE,
      historyEventBudget: 2_000,
      timelineLimit: 100,
      refillRecheckMs: 2 * MINUTE,
      approvalFirstPollMs: 30_000,
      approvalFastPollMs: 100_000,
      approvalFastWindowMs: 30 * MINUTE,
      policyExplanationWaitMs: MINUTE,
    });
    assert.equal('stuckAfterMs' in DEFAULT_PAYMENT_TIMINGS, false, 'the network decides unless a test overrides it');
    assert.equal(
      'stuckRepeatAfterMs' in DEFAULT_PAYMENT_TIMINGS,
      false,
      'the network decides unless a test overrides it',
    );
    assert.equal('refillWaitMs' in DEFAULT_PAYMENT_TIMINGS, false, 'PAYMENT_POOL_REFILL_WAIT_MINUTES decides');
  });
});
