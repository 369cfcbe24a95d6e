// Reads the failures recorded by the activities before neutral failure details (histories recorded with the
// previous workflow and activities) and checks the legacy reader reaches the decisions the old workflow made.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readLegacyRefusal } from '../../src/dfns/legacy-failure-details';
import { recordedFailures } from '../support/recorded-failures';

describe('readLegacyRefusal', () => {
  it('reads a recorded 403 policy block as a policy block on the first attempt, typed Forbidden as then', () => {
    const [failure] = recordedFailures('legacy-policy-blocked-403');
    assert.ok(failure);
    assert.deepEqual(readLegacyRefusal(failure), { type: 'Forbidden', attempt: 1, policyBlocked: true });
  });

  it('reads the transfer a recorded 409 named', () => {
    const [failure] = recordedFailures('legacy-duplicate-external-id-409');
    assert.ok(failure);
    const refusal = readLegacyRefusal(failure);
    assert.deepEqual(refusal, {
      type: 'ExternalIdConflict',
      attempt: 1,
      policyBlocked: false,
      existingTransferId: 'xfr-held',
    });
  });

  it('reads the attempt of a refusal on a retry, and a Forbidden without a policy word as a permission refusal', () => {
    const failure = {
      type: 'Forbidden',
      message: 'transferAsset: Dfns answered 403: missing permission',
      details: [{ attempt: 3 }],
    };
    assert.deepEqual(readLegacyRefusal(failure), { type: 'Forbidden', attempt: 3, policyBlocked: false });
  });

  it('treats a refusal without details as a first try of unknown type', () => {
    assert.deepEqual(readLegacyRefusal({ message: 'x' }), {
      type: 'DfnsUnavailable',
      attempt: 1,
      policyBlocked: false,
    });
  });
});
