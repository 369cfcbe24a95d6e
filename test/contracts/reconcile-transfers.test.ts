import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LedgerEntry } from '../../src/contracts/ledger-entry';
import {
  duplicateFindings,
  matchTransfers,
  mergeLive,
  paymentIdsOf,
  type LiveTransfers,
} from '../../src/contracts/reconcile-transfers';
import type { PaymentFact, TransferFact } from '../../src/contracts/reconciliation-facts';

const WALLET = 'wa-1';
const transfer = (id: string, fields: Partial<TransferFact> = {}): TransferFact => ({
  transferId: id,
  walletId: WALLET,
  status: 'Confirmed',
  amount: '1000',
  fee: '21000',
  txHash: `0x${id}`,
  requestedAt: '2026-01-01T00:00:00.000Z',
  ...fields,
});
const ledger = (fields: Partial<LedgerEntry> = {}): LedgerEntry => ({
  v: 1,
  status: 'Confirmed',
  walletId: WALLET,
  network: 'EthereumSepolia',
  asset: 'Native',
  symbol: 'ETH',
  decimals: 18,
  amount: '1000',
  fee: '21000',
  txHash: '0xt1',
  transferId: 't1',
  externalId: 'payment:p1:a1',
  attempt: 1,
  ...fields,
});
const closed = (fields: Partial<LedgerEntry> = {}): PaymentFact => ({ state: 'closed', ledger: ledger(fields) });

describe('matchTransfers', () => {
  it('finds nothing when a closed payment and its transfer agree', () => {
    const match = matchTransfers([transfer('t1', { externalId: 'payment:p1:a1' })], { 'payment:p1': closed() });
    assert.deepEqual(match.findings, []);
    assert.deepEqual(match.live, {});
  });

  it('reports a transfer without an externalId of ours, or naming no payment, as sent outside the orchestrator', () => {
    const match = matchTransfers(
      [
        transfer('t9'),
        transfer('t8', { externalId: 'invoice-17' }),
        transfer('t7', { externalId: 'payment:ghost:a1', requester: 'us-person' }),
      ],
      { 'payment:ghost': { state: 'missing' } },
    );
    assert.deepEqual(
      match.findings.map((f) => [f.kind, f.id]),
      [
        ['unmatched_transfer', 'unmatched_transfer:t9'],
        ['unmatched_transfer', 'unmatched_transfer:t8'],
        ['unmatched_transfer', 'unmatched_transfer:t7'],
      ],
    );
    assert.match(match.findings[2]?.summary ?? '', /by us-person .*no payment payment:ghost exists/);
  });

  it('names each field on which a closed payment and its transfer disagree', () => {
    const match = matchTransfers(
      [transfer('t1', { externalId: 'payment:p1:a1', status: 'Failed', txHash: '0xother', amount: '999', fee: '5' })],
      { 'payment:p1': closed() },
    );
    const [finding] = match.findings;
    assert.equal(finding?.kind, 'outcome_mismatch');
    assert.deepEqual(finding?.differences, [
      { field: 'status', orchestrator: 'Confirmed', dfns: 'Failed' },
      { field: 'txHash', orchestrator: '0xt1', dfns: '0xother' },
      { field: 'amount', orchestrator: '1000', dfns: '999' },
      { field: 'fee', orchestrator: '21000', dfns: '5' },
    ]);
    assert.equal(finding?.id, 'outcome_mismatch:t1:status=Failed,txHash=0xother,amount=999,fee=5');
  });

  it('accepts the Dfns endings a cancelled payment can have', () => {
    for (const status of ['Rejected', 'Failed'] as const) {
      const match = matchTransfers(
        [transfer('t1', { externalId: 'payment:p1:a1', status, fee: undefined, txHash: undefined })],
        {
          'payment:p1': closed({ status: 'Cancelled', fee: undefined, txHash: undefined }),
        },
      );
      assert.deepEqual(match.findings, [], status);
    }
  });

  it("counts a confirmed payment's other live transfer toward duplicates, with the payment's own", () => {
    const match = matchTransfers([transfer('t2', { externalId: 'payment:p1:a2' })], { 'payment:p1': closed() });
    assert.deepEqual(match.findings, []);
    assert.deepEqual(match.live, { 'payment:p1': { walletId: WALLET, transferIds: ['t2'], own: 't1' } });
    const [duplicate] = duplicateFindings(match.live);
    assert.equal(duplicate?.kind, 'duplicate_transfer');
    assert.deepEqual(duplicate?.transferIds, ['t1', 't2']);
  });

  it('reports an earlier attempt that Dfns shows live while the payment did not confirm', () => {
    const match = matchTransfers([transfer('t0', { externalId: 'payment:p1:a1', status: 'Broadcasted' })], {
      'payment:p1': closed({ status: 'Failed', transferId: 't1', externalId: 'payment:p1:a2', attempt: 2 }),
    });
    const [finding] = match.findings;
    assert.equal(finding?.kind, 'outcome_mismatch');
    assert.deepEqual(finding?.differences, [{ field: 'status', orchestrator: 'Failed', dfns: 'Broadcasted' }]);
  });

  it("ignores an earlier attempt's failed transfer", () => {
    const match = matchTransfers(
      [transfer('t0', { externalId: 'payment:p1:a1', status: 'Failed', txHash: undefined })],
      {
        'payment:p1': closed({ transferId: 't1', externalId: 'payment:p1:a2', attempt: 2 }),
      },
    );
    assert.deepEqual(match.findings, []);
    assert.deepEqual(match.live, {});
  });

  it("leaves a running payment's transfers for later, counting its live ones", () => {
    const match = matchTransfers([transfer('t1', { externalId: 'payment:p1:a1', status: 'Broadcasted' })], {
      'payment:p1': { state: 'running', status: 'Broadcasted' },
    });
    assert.deepEqual(match.findings, []);
    assert.equal(match.running, 1);
    assert.deepEqual(match.live['payment:p1']?.transferIds, ['t1']);
    assert.deepEqual(duplicateFindings(match.live), [], 'one live transfer is no duplicate');
  });

  it('finds duplicates of a running payment across pages', () => {
    const running: Record<string, PaymentFact> = { 'payment:p1': { state: 'running' } };
    const live: Record<string, LiveTransfers> = {};
    mergeLive(live, matchTransfers([transfer('t2', { externalId: 'payment:p1:a2' })], running).live);
    mergeLive(live, matchTransfers([transfer('t1', { externalId: 'payment:p1:a1' })], running).live);
    const [duplicate] = duplicateFindings(live);
    assert.equal(duplicate?.id, 'duplicate_transfer:payment:p1:t1,t2');
  });

  it('reads each payment id once from a page', () => {
    assert.deepEqual(
      paymentIdsOf([
        transfer('a', { externalId: 'payment:acme:k1:a1' }),
        transfer('b', { externalId: 'payment:acme:k1:a2' }),
        transfer('c', { externalId: 'other' }),
        transfer('d'),
      ]),
      ['payment:acme:k1'],
    );
  });
});
