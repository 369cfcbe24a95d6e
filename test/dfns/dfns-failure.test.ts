import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DfnsError } from '@dfns/sdk';
import type { ApplicationFailure } from '@temporalio/common';
import { FailureType, NON_RETRYABLE_FAILURE_TYPES } from '../../src/contracts/failure-types';
import { retryAfterMs, toDfnsFailure } from '../../src/dfns/dfns-failure';

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.secret-service-account-token';

/** Shaped like the SDK's DfnsError: what its errorHandler throws for a non-2xx answer. */
class FakeDfnsError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly context: { headers: Headers; body: unknown },
  ) {
    super(message);
    this.name = 'DfnsError';
  }
}

function dfnsError(httpStatus: number, message: string, headers: Record<string, string> = {}): FakeDfnsError {
  return new FakeDfnsError(httpStatus, message, {
    headers: new Headers({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers }),
    body: { error: { message } },
  });
}

function assertNoToken(failure: ApplicationFailure): void {
  assert.ok(!failure.message.includes(TOKEN), `message leaks the token: ${failure.message}`);
  assert.ok(!JSON.stringify(failure.details ?? []).includes(TOKEN), 'details leak the token');
}

const cases: [string, FakeDfnsError, string, boolean][] = [
  ['400', dfnsError(400, 'amount must be positive'), FailureType.InvalidTransfer, true],
  [
    '400 insufficient',
    dfnsError(400, 'Insufficient funds to cover amount and fee'),
    FailureType.InsufficientFunds,
    true,
  ],
  ['422 insufficient balance', dfnsError(422, 'insufficient balance'), FailureType.InsufficientFunds, true],
  ['401', dfnsError(401, 'invalid token'), FailureType.Unauthorized, true],
  ['403', dfnsError(403, 'missing permission Wallets:TransferAsset'), FailureType.Forbidden, true],
  ['404', dfnsError(404, 'wallet not found'), FailureType.NotFound, true],
  ['409', dfnsError(409, 'externalId already used'), FailureType.ExternalIdConflict, true],
  ['408', dfnsError(408, 'request timeout'), FailureType.DfnsUnavailable, false],
  ['425', dfnsError(425, 'too early'), FailureType.DfnsUnavailable, false],
  ['429', dfnsError(429, 'rate limited', { 'Retry-After': '7' }), FailureType.DfnsUnavailable, false],
  ['500', dfnsError(500, 'internal error'), FailureType.DfnsUnavailable, false],
  ['503', dfnsError(503, 'service unavailable'), FailureType.DfnsUnavailable, false],
  [
    '-1 (no signer)',
    dfnsError(-1, 'A "signer" needs to be passed to Dfns client.'),
    FailureType.DfnsMisconfigured,
    true,
  ],
];

describe('toDfnsFailure', () => {
  for (const [why, error, type, nonRetryable] of cases) {
    it(`${why} → ${type}, ${nonRetryable ? 'non-retryable' : 'retryable'}, without the token`, () => {
      const failure = toDfnsFailure(error, 'transferAsset');
      assert.equal(failure.type, type);
      assert.equal(failure.nonRetryable, nonRetryable);
      assert.equal(
        NON_RETRYABLE_FAILURE_TYPES.includes(type as never),
        nonRetryable,
        'agrees with the retry policy list',
      );
      assert.ok(failure.message.startsWith(`transferAsset: Dfns answered ${error.httpStatus}: `), failure.message);
      assert.ok(failure.message.endsWith(error.message), failure.message);
      assertNoToken(failure);
    });
  }

  it('keeps the status and Dfns’s body in the details', () => {
    const failure = toDfnsFailure(dfnsError(400, 'bad amount'), 'transferAsset');
    assert.deepEqual(failure.details, [{ httpStatus: 400, body: { error: { message: 'bad amount' } } }]);
  });

  it('types a 403 naming the blocking policy as PolicyBlocked, non-retryable', () => {
    const error = dfnsError(403, 'Blocked by policy "cap" (plc-1): over limit');
    error.context.body = { error: { message: error.message, details: { policyId: 'plc-1', reason: 'over limit' } } };
    const failure = toDfnsFailure(error, 'transferAsset', 1);
    assert.equal(failure.type, FailureType.PolicyBlocked);
    assert.equal(failure.nonRetryable, true);
    assert.ok(NON_RETRYABLE_FAILURE_TYPES.includes(FailureType.PolicyBlocked));
    assert.equal((failure.details?.[0] as { attempt?: number }).attempt, 1);
    assertNoToken(failure);
  });

  it('never reads a policy block from the message: a 403 without a policy id is Forbidden', () => {
    assert.equal(toDfnsFailure(dfnsError(403, 'Blocked by policy plc-1'), 'transferAsset').type, FailureType.Forbidden);
    const other = dfnsError(400, 'bad');
    other.context.body = { error: { message: 'bad', details: { policyId: 'plc-1' } } };
    assert.equal(toDfnsFailure(other, 'transferAsset').type, FailureType.InvalidTransfer, 'only a 403 is a block');
  });

  it('names the transfer Dfns already holds on a 409 as the neutral existingTransferId', () => {
    const error = dfnsError(409, 'Conflicting transfer with same externalId');
    const duplicate = { id: 'xfr-held', externalId: 'payment:x:a1' };
    error.context.body = { error: { message: error.message, details: { duplicate } } };
    const failure = toDfnsFailure(error, 'transferAsset', 2);
    assert.equal(failure.type, FailureType.ExternalIdConflict);
    assert.deepEqual(failure.details, [
      { attempt: 2, existingTransferId: 'xfr-held', httpStatus: 409, body: error.context.body },
    ]);
  });

  it('leaves existingTransferId out when a 409 names no transfer', () => {
    const failure = toDfnsFailure(dfnsError(409, 'conflict'), 'transferAsset');
    assert.equal('existingTransferId' in (failure.details?.[0] as object), false);
  });

  it('honours Retry-After: 7 on a 429 as a 7000 ms next retry delay', () => {
    const failure = toDfnsFailure(dfnsError(429, 'slow down', { 'Retry-After': '7' }), 'getTransfer');
    assert.equal(failure.type, FailureType.DfnsUnavailable);
    assert.equal(failure.nonRetryable, false);
    assert.equal(failure.nextRetryDelay, 7000);
  });

  it('honours Retry-After on a 408 and a 425 too', () => {
    for (const status of [408, 425]) {
      const failure = toDfnsFailure(dfnsError(status, 'try again', { 'Retry-After': '2' }), 'getTransfer');
      assert.equal(failure.nonRetryable, false, String(status));
      assert.equal(failure.nextRetryDelay, 2000, String(status));
    }
  });

  it('keeps the other 4xx around 408 and 425 non-retryable', () => {
    for (const status of [400, 407, 410, 412, 413, 422, 424, 426]) {
      const failure = toDfnsFailure(dfnsError(status, 'refused'), 'transferAsset');
      assert.equal(failure.type, FailureType.InvalidTransfer, String(status));
      assert.equal(failure.nonRetryable, true, String(status));
    }
  });

  it('leaves the delay to the retry policy when a 503 has no Retry-After', () => {
    const failure = toDfnsFailure(dfnsError(503, 'unavailable'), 'getTransfer');
    assert.equal(failure.nonRetryable, false);
    assert.equal(failure.nextRetryDelay, undefined);
  });

  it('treats a plain Error (network failure) as retryable DfnsUnavailable', () => {
    const failure = toDfnsFailure(new TypeError('fetch failed'), 'transferAsset');
    assert.equal(failure.type, FailureType.DfnsUnavailable);
    assert.equal(failure.nonRetryable, false);
    assert.equal(failure.message, 'transferAsset: TypeError: fetch failed');
  });

  it('treats a thrown non-Error as retryable DfnsUnavailable', () => {
    const failure = toDfnsFailure('socket hang up', 'getTransfer');
    assert.equal(failure.type, FailureType.DfnsUnavailable);
    assert.equal(failure.nonRetryable, false);
    assert.equal(failure.message, 'getTransfer: socket hang up');
  });

  it('does not take an object with httpStatus that is not an Error for a Dfns error', () => {
    const failure = toDfnsFailure({ httpStatus: 400, message: 'looks like Dfns' }, 'transferAsset');
    assert.equal(failure.type, FailureType.DfnsUnavailable);
    assert.equal(failure.nonRetryable, false);
  });

  it('handles the real SDK DfnsError the same way', () => {
    const error = new DfnsError(404, 'transfer not found', {
      url: 'http://127.0.0.1/x',
      headers: new Headers({ authorization: `Bearer ${TOKEN}` }),
      body: {},
    });
    const failure = toDfnsFailure(error, 'getTransfer');
    assert.equal(failure.type, FailureType.NotFound);
    assert.equal(failure.nonRetryable, true);
    assertNoToken(failure);
  });
});

describe('retryAfterMs', () => {
  const NOW = Date.parse('2025-01-01T00:00:00Z');

  it('reads seconds, including fractions and zero', () => {
    assert.equal(retryAfterMs(dfnsError(429, 'x', { 'Retry-After': '7' }), NOW), 7000);
    assert.equal(retryAfterMs(dfnsError(429, 'x', { 'Retry-After': '1.5' }), NOW), 1500);
    assert.equal(retryAfterMs(dfnsError(429, 'x', { 'Retry-After': '0' }), NOW), 0);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    assert.equal(retryAfterMs(dfnsError(503, 'x', { 'Retry-After': 'Wed, 01 Jan 2025 00:00:30 GMT' }), NOW), 30_000);
    assert.equal(retryAfterMs(dfnsError(503, 'x', { 'Retry-After': 'Tue, 31 Dec 2024 23:00:00 GMT' }), NOW), 0);
  });

  it('ignores a missing or unreadable header and non-Dfns errors', () => {
    assert.equal(retryAfterMs(dfnsError(429, 'x'), NOW), undefined);
    assert.equal(retryAfterMs(dfnsError(429, 'x', { 'Retry-After': 'soon' }), NOW), undefined);
    assert.equal(retryAfterMs(new Error('x'), NOW), undefined);
    assert.equal(
      retryAfterMs(new FakeDfnsError(429, 'x', { headers: new Headers(), body: undefined }), NOW),
      undefined,
    );
  });
});

describe('toDfnsFailure: fee sponsors', () => {
  const sponsorError = (status: number, message: string) => {
    const error = dfnsError(status, message);
    error.context.body = { error: { message, details: { feeSponsorId: 'fs-1', reason: 'balance too low' } } };
    return error;
  };

  it('types a 4xx naming the fee sponsor as FeeSponsorUnavailable, non-retryable', () => {
    for (const status of [400, 404, 422]) {
      const failure = toDfnsFailure(sponsorError(status, 'Fee sponsor fs-1 cannot pay'), 'transferAsset', 1);
      assert.equal(failure.type, FailureType.FeeSponsorUnavailable, String(status));
      assert.equal(failure.nonRetryable, true);
      assertNoToken(failure);
    }
    assert.ok(NON_RETRYABLE_FAILURE_TYPES.includes(FailureType.FeeSponsorUnavailable));
  });

  it('reads the sponsor from the details, never the message; a 429 or 5xx stays transient', () => {
    assert.equal(
      toDfnsFailure(dfnsError(400, 'Fee sponsor cannot pay'), 'transferAsset').type,
      FailureType.InvalidTransfer,
    );
    assert.equal(toDfnsFailure(sponsorError(429, 'slow down'), 'transferAsset').type, FailureType.DfnsUnavailable);
    assert.equal(toDfnsFailure(sponsorError(503, 'down'), 'transferAsset').type, FailureType.DfnsUnavailable);
  });
});
