import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ledgerEntry } from '../../src/contracts/ledger-entry';
import type { PaymentState } from '../../src/contracts/payment-state';
import type { PolicyTrigger } from '../../src/contracts/policy-triggers';
import { exportRow } from '../../src/exports/export-row';

const TX = `0x${'a'.repeat(64)}`;

/** A confirmed payment's final state, with the compliance parts a test adds. */
function confirmed(patch: Partial<PaymentState> = {}, travelRule = false): PaymentState {
  return {
    status: 'Confirmed',
    request: {
      idempotencyKey: 'k-1',
      walletId: 'wa-1',
      network: 'EthereumSepolia',
      asset: { kind: 'Native' },
      to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      amount: '1000',
      ...(travelRule
        ? { travelRule: { kind: 'Notabene', originator: { name: 'SECRET-A' }, beneficiary: { name: 'SECRET-B' } } }
        : {}),
    },
    externalId: 'payment:k-1:a1',
    attempt: 1,
    previousAttempts: [],
    transferId: 'xfr-1',
    txHash: TX,
    timeline: [],
    ...patch,
  } as PaymentState;
}

const trigger = (alertLevel: 'HIGH' | 'SEVERE', outcome: PolicyTrigger['outcome']): PolicyTrigger =>
  ({ attempt: 1, check: 'screening', outcome, alertLevel, at: '2026-01-02T03:04:00.000Z' }) as PolicyTrigger;

describe('compliance decisions in the ledger entry and the accounting export', () => {
  it('adds nothing to a payment without compliance decisions (its entry is as before)', () => {
    const entry = ledgerEntry(confirmed());
    assert.equal('compliance' in entry, false);
    const row = exportRow('payment:k-1', entry);
    assert.deepEqual([row?.screening, row?.approvals, row?.travelRuleSent], ['', '', '']);
  });

  it('shows the screening result, each approver decision with who and when, and that Travel Rule data was sent', () => {
    const state = confirmed(
      {
        policyTriggers: [trigger('HIGH', 'approvalRequired')],
        approval: {
          id: 'ap-1',
          status: 'Approved',
          decisions: [{ userId: 'us-officer', value: 'Approved', date: '2026-01-02T03:04:05.000Z' }],
        },
      },
      true,
    );
    const entry = ledgerEntry(state);
    assert.deepEqual(entry.compliance, {
      screening: ['HIGH approvalRequired'],
      decisions: ['Approved by us-officer at 2026-01-02T03:04:05.000Z'],
      travelRuleSent: true,
    });
    assert.doesNotMatch(JSON.stringify(entry), /SECRET/, 'the Travel Rule data itself stays out');
    const row = exportRow('payment:k-1', entry);
    assert.equal(row?.screening, 'HIGH approvalRequired');
    assert.equal(row?.approvals, 'Approved by us-officer at 2026-01-02T03:04:05.000Z');
    assert.equal(row?.travelRuleSent, 'true');
  });
});
