import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toApprovalRow } from '../../src/approvals/approval-row';
import { formatApprovalRow } from '../../src/approvals/format-approval-row';
import { parseApproval } from '../../src/approvals/list-approvals';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

/** A pending approval as Dfns returns it from Get Approval (activity, policy evaluations, decisions), for a 15,000 USDC payment. */
function approval(patch: Record<string, unknown> = {}, transferPatch: Record<string, unknown> = {}) {
  return parseApproval({
    id: 'ap-1',
    initiatorId: 'us-service',
    status: 'Pending',
    expirationDate: '2026-11-22T10:00:00.000Z',
    dateUpdated: '2026-11-21T10:00:00.000Z',
    activity: {
      kind: 'Wallets:Sign',
      transferRequest: {
        id: 'xfr-1',
        walletId: 'wa-1',
        network: 'EthereumSepolia',
        externalId: 'payment:payout-7:a2',
        requestBody: {
          kind: 'Erc20',
          contract: '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238',
          to: RECIPIENT,
          amount: '15000000000',
          externalId: 'payment:payout-7:a2',
        },
        metadata: { asset: { symbol: 'USDC', decimals: 6 } },
        status: 'Pending',
        ...transferPatch,
      },
    },
    policyEvaluations: [
      { policyId: 'plc-large', triggered: true, reason: 'Transfer amount (USD 15000) is above limit (USD 10000).' },
      { policyId: 'plc-velocity', triggered: false, reason: 'Below limit.' },
    ],
    decisions: [],
    ...patch,
  });
}

describe('approval rows', () => {
  it('show the payment, the exact amount, the recipient, why and until when', () => {
    const row = toApprovalRow(approval(), new Map([['plc-large', 'standard: large payments']]));
    assert.deepEqual(row, {
      approvalId: 'ap-1',
      status: 'Pending',
      activityKind: 'Wallets:Sign',
      paymentId: 'payment:payout-7',
      attempt: 2,
      transferId: 'xfr-1',
      walletId: 'wa-1',
      network: 'EthereumSepolia',
      amount: '15000000000',
      amountText: '15000 USDC',
      recipient: RECIPIENT,
      reasons: [
        {
          policyId: 'plc-large',
          policyName: 'standard: large payments',
          reason: 'Transfer amount (USD 15000) is above limit (USD 10000).',
        },
      ],
      expirationDate: '2026-11-22T10:00:00.000Z',
      decisions: [],
    });
    assert.deepEqual(formatApprovalRow(row), [
      'ap-1  Pending  payment:payout-7 (attempt 2)',
      `    15000 USDC → ${RECIPIENT} on EthereumSepolia, transfer xfr-1, wallet wa-1`,
      '    policy "standard: large payments" (plc-large): Transfer amount (USD 15000) is above limit (USD 10000).',
      '    expires 2026-11-22T10:00:00.000Z; no decisions yet',
    ]);
  });

  it('keep amounts exact beyond float precision and fall back to minimum units without decimals', () => {
    const wei = toApprovalRow(
      approval(
        {},
        {
          requestBody: { kind: 'Native', to: RECIPIENT, amount: '123456789012345678901' },
          metadata: { asset: { symbol: 'ETH', decimals: 18 } },
        },
      ),
    );
    assert.equal(wei.amountText, '123.456789012345678901 ETH');
    const unknown = toApprovalRow(
      approval({}, { requestBody: { kind: 'Native', to: RECIPIENT, amount: '5' }, metadata: { asset: {} } }),
    );
    assert.equal(unknown.amountText, '5 minimum units of native');
  });

  it('list decisions so far, and name transfers that are not orchestrator payments', () => {
    const row = toApprovalRow(
      approval(
        {
          decisions: [
            { userId: 'us-approver-1', date: '2026-11-21T11:00:00.000Z', value: 'Approved', reason: 'known vendor' },
          ],
          expirationDate: undefined,
        },
        { externalId: 'manual-42', requestBody: { kind: 'Native', to: RECIPIENT, amount: '1' } },
      ),
    );
    assert.equal(row.paymentId, undefined);
    assert.equal(row.externalId, 'manual-42');
    const text = formatApprovalRow(row);
    assert.match(text[0] ?? '', /externalId manual-42 \(not an orchestrator payment\)/);
    assert.deepEqual(text.slice(-2), [
      '    never expires; decisions:',
      '      Approved by us-approver-1 at 2026-11-21T11:00:00.000Z: known vendor',
    ]);
  });

  it('refuse an approval they cannot read, naming it', () => {
    assert.throws(
      () => parseApproval({ id: 'ap-bad', status: 'Pending' }),
      /approval ap-bad this tool cannot read: activity: /,
    );
  });
});
