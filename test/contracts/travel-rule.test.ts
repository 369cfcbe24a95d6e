import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toFieldErrors } from '../../src/contracts/field-errors';
import { paymentRequestSchema } from '../../src/contracts/payment-request';
import { parseTravelRuleThresholds, travelRuleProblem } from '../../src/contracts/travel-rule-requirement';

const REQUEST = {
  idempotencyKey: 'order-42',
  walletId: 'wa-01abc-def',
  network: 'Ethereum',
  asset: { kind: 'Native' },
  to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  amount: '1000000000000000000',
} as const;
const PAYLOAD = {
  kind: 'Notabene',
  beneficiaryVASPdid: 'did:web:beneficiary.example',
  originator: { originatorPersons: [{ naturalPerson: { name: 'A' } }] },
  beneficiary: { beneficiaryPersons: [{ naturalPerson: { name: 'B' } }] },
};

/** The field errors of a request carrying `travelRule`, as the API's problem document lists them. */
function errorsOf(travelRule: unknown): [string, string][] {
  const parsed = paymentRequestSchema.safeParse({ ...REQUEST, travelRule });
  if (parsed.success) return [];
  return toFieldErrors(parsed.error, { root: '(request)' }).map((e) => [e.field, e.message]);
}

describe('the Travel Rule payload of a payment request', () => {
  it('accepts the Notabene shape Dfns forwards, with or without the VASP DID and the proof', () => {
    assert.deepEqual(errorsOf(PAYLOAD), []);
    const { beneficiaryVASPdid: _, ...withoutDid } = PAYLOAD;
    assert.deepEqual(errorsOf({ ...withoutDid, beneficiaryProof: { type: 'signature', proof: '0x01' } }), []);
  });

  it('names each bad field', () => {
    assert.deepEqual(
      errorsOf({ kind: 'Sumsub', beneficiaryVASPdid: 'vasp-1', originator: [], beneficiary: {}, beneficiaryProof: 1 }),
      [
        ['travelRule.kind', 'must be "Notabene" (the Travel Rule provider Dfns supports)'],
        ['travelRule.beneficiaryVASPdid', 'must be a DID (did:<method>:<id>)'],
        ['travelRule.beneficiaryProof', 'must be an object (the ownership proof)'],
        ['travelRule.originator', 'must be an object (the originator, IVMS101)'],
        ['travelRule.beneficiary', 'must not be empty (the beneficiary, IVMS101)'],
      ],
    );
    assert.deepEqual(
      errorsOf({ kind: 'Notabene' }).map(([field]) => field),
      ['travelRule.originator', 'travelRule.beneficiary'],
    );
    assert.match(errorsOf({ ...PAYLOAD, extra: 1 })[0]?.[0] ?? '', /^travelRule/);
    const large = { ...PAYLOAD, originator: { note: 'x'.repeat(20_000) } };
    assert.match(errorsOf(large)[0]?.[1] ?? '', /must be at most 16384 bytes as JSON/);
  });
});

describe('Travel Rule thresholds', () => {
  const thresholds = parseTravelRuleThresholds(' Ethereum:Native=1000000000000000000, ');
  assert.equal(thresholds.length, 1, 'blank entries are skipped');
  const from = [
    { threshold: thresholds[0]!, from: 'the deployment' },
    { threshold: { network: 'Ethereum' as const, asset: 'Native', minAmount: '500' }, from: 'the client' },
  ];

  it('requires the data at or above the lowest applying threshold, and names whose it is', () => {
    assert.equal(travelRuleProblem({ ...REQUEST, amount: '499' }, from), undefined);
    const problem = travelRuleProblem({ ...REQUEST, amount: '500' }, from);
    assert.equal(problem?.field, 'travelRule');
    assert.match(problem?.message ?? '', /from 500 \(minimum units\) must carry Travel Rule data \(the client\)/);
    assert.equal(travelRuleProblem({ ...REQUEST, amount: '500', travelRule: PAYLOAD as never }, from), undefined);
    assert.equal(travelRuleProblem({ ...REQUEST, network: 'Base', amount: '10000' }, from), undefined);
  });

  it('refuses a malformed TRAVEL_RULE_REQUIRED_FROM entry by name', () => {
    assert.throws(() => parseTravelRuleThresholds('Ethereum:Native=1.5'), /"Ethereum:Native=1.5" is not NETWORK/);
    assert.throws(() => parseTravelRuleThresholds('Moon:Native=1'), /network must be one of/);
  });
});
