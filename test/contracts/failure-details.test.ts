// The neutral reader against failures recorded by today's activities (the histories recorded with this code).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureDetails, readRefusal } from '../../src/contracts/failure-details';
import { recordedFailures } from '../support/recorded-failures';

describe('readRefusal', () => {
  it('reads a recorded policy block from its failure type alone', () => {
    const [failure] = recordedFailures('policy-blocked-403');
    assert.ok(failure);
    assert.equal(failure.type, 'PolicyBlocked');
    assert.deepEqual(readRefusal(failure), { type: 'PolicyBlocked', attempt: 1, policyBlocked: true });
  });

  it('reads the transfer a recorded 409 named from the neutral existingTransferId', () => {
    const [failure] = recordedFailures('duplicate-external-id-409');
    assert.ok(failure);
    const refusal = readRefusal(failure);
    assert.deepEqual(refusal, {
      type: 'ExternalIdConflict',
      attempt: 1,
      policyBlocked: false,
      existingTransferId: 'xfr-held',
    });
  });

  it('does not read the legacy Dfns body, nor a policy block from a Forbidden message', () => {
    const body = { error: { details: { duplicate: { id: 'xfr-1' } } } };
    const failure = {
      type: 'Forbidden',
      message: 'Dfns answered 403: Blocked by policy',
      details: [{ httpStatus: 403, body }],
    };
    assert.deepEqual(readRefusal(failure), { type: 'Forbidden', attempt: 1, policyBlocked: false });
  });
});

describe('failureDetails', () => {
  it('keeps well-typed fields and drops the rest', () => {
    assert.deepEqual(failureDetails({ details: [{ attempt: 2, existingTransferId: 'xfr-9', extra: true }] }), {
      attempt: 2,
      existingTransferId: 'xfr-9',
    });
    assert.deepEqual(failureDetails({ details: [{ attempt: '2', existingTransferId: 7 }] }), {});
    assert.deepEqual(failureDetails({ details: [{ attempt: 0, existingTransferId: '' }] }), {});
    assert.deepEqual(failureDetails({ details: ['text'] }), {});
    assert.deepEqual(failureDetails({ details: null }), {});
    assert.deepEqual(failureDetails({}), {});
  });
});
