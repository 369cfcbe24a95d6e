import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { callbackOutcome, dfnsCallOutcome, dfnsIds } from '../../src/observability/activity-observer';
import { CallbackFailureType } from '../../src/contracts/failure-types';
import { toDfnsFailure } from '../../src/dfns/dfns-failure';

/** An error shaped like @dfns/sdk's DfnsError. */
function dfnsError(httpStatus: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`status ${httpStatus}`), { httpStatus, context: { headers: new Headers(headers) } });
}

describe('the activity observer', () => {
  it('classifies Dfns failures into bounded outcomes', () => {
    assert.equal(dfnsCallOutcome(toDfnsFailure(dfnsError(429, { 'retry-after': '2' }), 'getTransfer')), 'rate_limited');
    assert.equal(dfnsCallOutcome(toDfnsFailure(dfnsError(503), 'getTransfer')), 'server_error');
    assert.equal(dfnsCallOutcome(toDfnsFailure(dfnsError(400), 'transferAsset')), 'client_error');
    assert.equal(dfnsCallOutcome(toDfnsFailure(new TypeError('fetch failed'), 'getTransfer')), 'network_error');
    assert.equal(dfnsCallOutcome(ApplicationFailure.retryable('unreadable', 'DfnsUnavailable')), 'network_error');
  });

  it('carries the Retry-After wait on the failure it observes', () => {
    const failure = toDfnsFailure(dfnsError(429, { 'retry-after': '2' }), 'getTransfer');
    assert.equal(failure.nextRetryDelay, 2000);
  });

  it('binds the Dfns ids and the payment attempt an activity input names, and nothing else', () => {
    const submit = { request: { walletId: 'wa-1', amount: '5', to: '0xabc' }, externalId: 'payment:k:a2' };
    assert.deepEqual(dfnsIds(submit), { walletId: 'wa-1', externalId: 'payment:k:a2', paymentAttempt: 2 });
    assert.deepEqual(dfnsIds({ walletId: 'wa-1', transferId: 'xfr-1' }), { walletId: 'wa-1', transferId: 'xfr-1' });
    assert.deepEqual(dfnsIds({ approvalId: 'ap-1', reason: 'too slow' }), { approvalId: 'ap-1' });
    assert.deepEqual(dfnsIds(undefined), {});
  });
});

describe('callbackOutcome', () => {
  it('labels a refused callback blocked, apart from answers, silence and a missing secret', () => {
    const failure = (type: string, nonRetryable: boolean) =>
      nonRetryable ? ApplicationFailure.nonRetryable('x', type) : ApplicationFailure.retryable('x', type);
    assert.equal(callbackOutcome(failure(CallbackFailureType.CallbackBlocked, true)), 'blocked');
    assert.equal(callbackOutcome(failure(CallbackFailureType.CallbackRefused, false)), 'refused');
    assert.equal(callbackOutcome(failure(CallbackFailureType.CallbackUnreachable, false)), 'unreachable');
    assert.equal(callbackOutcome(failure(CallbackFailureType.CallbackNotConfigured, true)), 'not_configured');
    assert.equal(callbackOutcome(new Error('socket hang up')), 'unreachable');
  });
});
