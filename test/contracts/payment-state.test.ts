import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import { applyTransferUpdate, initialPaymentState, moveTo, type PaymentState } from '../../src/contracts/payment-state';
import type { TransferUpdate } from '../../src/contracts/transfer-update';

const REQUEST: PaymentRequest = {
  idempotencyKey: 'order-42',
  walletId: 'wa-test',
  network: 'EthereumSepolia',
  asset: { kind: 'Native' },
  to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  amount: '1000',
};
const PAYMENT_ID = 'payment:order-42';
const EXTERNAL_ID = 'payment:order-42:a1';
const T0 = '2025-01-01T00:00:00.000Z';
const at = (minute: number) => `2025-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;

function fresh(): PaymentState {
  return initialPaymentState(PAYMENT_ID, REQUEST, EXTERNAL_ID, T0);
}

function update(status: TransferUpdate['status'], extra: Partial<TransferUpdate> = {}): TransferUpdate {
  return {
    source: 'webhook',
    externalId: EXTERNAL_ID,
    transferId: 'xfr-1',
    status,
    eventKind: `wallet.transfer.${status.toLowerCase()}`,
    eventTime: T0,
    ...extra,
  };
}

/** Applies updates in order, one minute apart, starting at minute 1. */
function fold(state: PaymentState, ...updates: TransferUpdate[]): PaymentState {
  return updates.reduce((s, u, i) => applyTransferUpdate(s, u, at(i + 1)), state);
}

const last = (state: PaymentState) => {
  const entry = state.timeline.at(-1);
  assert.ok(entry, 'timeline is not empty');
  return entry;
};

describe('initialPaymentState', () => {
  it('starts Accepted at attempt 1 with one applied timeline entry', () => {
    const state = fresh();
    assert.equal(state.status, 'Accepted');
    assert.equal(state.attempt, 1);
    assert.equal(state.externalId, EXTERNAL_ID);
    assert.equal(state.createdAt, T0);
    assert.equal(state.updatedAt, T0);
    assert.deepEqual(state.timeline, [{ at: T0, source: 'workflow', event: 'accepted', status: 'Accepted', applied: true }]);
  });
});

describe('moveTo', () => {
  it('applies an allowed move and stamps updatedAt', () => {
    const state = moveTo(fresh(), 'Submitted', { source: 'submit', event: 'transferAsset' }, at(1));
    assert.equal(state.status, 'Submitted');
    assert.equal(state.updatedAt, at(1));
    assert.deepEqual(last(state), { source: 'submit', event: 'transferAsset', at: at(1), status: 'Submitted', applied: true });
  });

  it('records a refused move with the reason, leaving status and updatedAt alone', () => {
    const submitted = moveTo(fresh(), 'Submitted', { source: 'submit', event: 'transferAsset' }, at(1));
    const state = moveTo(submitted, 'Accepted', { source: 'operator', event: 'reset', note: 'operator asked' }, at(2));
    assert.equal(state.status, 'Submitted');
    assert.equal(state.updatedAt, at(1));
    assert.equal(state.timeline.length, 3);
    assert.deepEqual(last(state), {
      source: 'operator',
      event: 'reset',
      at: at(2),
      status: 'Accepted',
      applied: false,
      note: 'operator asked; ignored: would move backwards from Submitted to Accepted',
    });
  });

  it('does not mutate the state it was given', () => {
    const before = fresh();
    const snapshot = structuredClone(before);
    moveTo(before, 'Cancelled', { source: 'operator', event: 'cancel' }, at(1));
    assert.deepEqual(before, snapshot);
  });
});

describe('applyTransferUpdate', () => {
  it('follows the happy path Submitted → Executing → Broadcasted → Confirmed', () => {
    const state = fold(
      fresh(),
      update('Submitted', { source: 'submit', eventKind: 'transferAsset' }),
      update('Executing'),
      update('Broadcasted', { txHash: '0xabc' }),
      update('Confirmed', { fee: '21000' }),
    );
    assert.equal(state.status, 'Confirmed');
    assert.equal(state.updatedAt, at(4));
    assert.deepEqual(
      state.timeline.map((e) => [e.status, e.applied]),
      [
        ['Accepted', true],
        ['Submitted', true],
        ['Executing', true],
        ['Broadcasted', true],
        ['Confirmed', true],
      ],
    );
    assert.equal(state.transferId, 'xfr-1');
    assert.equal(state.txHash, '0xabc');
    assert.equal(state.fee, '21000');
    assert.equal(state.reason, undefined);
  });

  it('copies the source, event kind, delivery id and event time into the timeline', () => {
    const state = fold(fresh(), update('Broadcasted', { deliveryId: 'whe-1', eventTime: '2024-12-31T23:59:00Z' }));
    assert.deepEqual(last(state), {
      source: 'webhook',
      event: 'wallet.transfer.broadcasted',
      deliveryId: 'whe-1',
      eventTime: '2024-12-31T23:59:00Z',
      at: at(1),
      status: 'Broadcasted',
      applied: true,
    });
  });

  it('records a duplicate delivery as not applied', () => {
    const state = fold(fresh(), update('Submitted'), update('Broadcasted'), update('Broadcasted', { deliveryId: 'whe-dup' }));
    assert.equal(state.status, 'Broadcasted');
    assert.equal(state.updatedAt, at(2));
    const dup = last(state);
    assert.equal(dup.applied, false);
    assert.equal(dup.status, 'Broadcasted');
    assert.equal(dup.deliveryId, 'whe-dup');
    assert.equal(dup.note, 'ignored: already Broadcasted');
  });

  it('never moves backwards when Confirmed arrives before a late Broadcasted', () => {
    const state = fold(fresh(), update('Submitted'), update('Confirmed'), update('Broadcasted', { txHash: '0xlate' }));
    assert.equal(state.status, 'Confirmed');
    assert.equal(state.updatedAt, at(2));
    assert.equal(state.timeline.length, 4);
    const late = last(state);
    assert.equal(late.applied, false);
    assert.equal(late.status, 'Broadcasted');
    assert.equal(late.note, 'ignored: payment is already final (Confirmed)');
    // The late event still carries a fact the Confirmed one lacked.
    assert.equal(state.txHash, '0xlate');
  });

  it('refuses a backwards move between non-terminal states', () => {
    const state = fold(fresh(), update('Executing'), update('AwaitingApproval', { approvalId: 'ap-1' }));
    assert.equal(state.status, 'Executing');
    assert.equal(last(state).note, 'ignored: would move backwards from Executing to AwaitingApproval');
  });

  it('keeps a terminal state final against every later status', () => {
    for (const terminal of ['Confirmed', 'Failed', 'Rejected'] as const) {
      const ended = fold(fresh(), update('Submitted'), update(terminal, { reason: 'first' }));
      for (const later of ['Submitted', 'AwaitingApproval', 'Executing', 'Broadcasted', 'Confirmed', 'Failed', 'Rejected'] as const) {
        const state = applyTransferUpdate(ended, update(later, { reason: 'second' }), at(9));
        assert.equal(state.status, terminal, `${terminal} then ${later}`);
        assert.equal(state.updatedAt, ended.updatedAt);
        assert.equal(state.reason, ended.reason, `${terminal} then ${later}: reason untouched`);
        assert.equal(last(state).applied, false);
      }
    }
  });

  it('ignores but records an update for an older attempt', () => {
    const current = { ...fold(fresh(), update('Submitted')), attempt: 2, externalId: 'payment:order-42:a2', transferId: 'xfr-2' };
    const state = applyTransferUpdate(current, update('Failed', { reason: 'nonce too low', transferId: 'xfr-1', txHash: '0xold' }), at(5));
    assert.equal(state.status, 'Submitted');
    assert.equal(state.updatedAt, current.updatedAt);
    assert.equal(state.transferId, 'xfr-2');
    assert.equal(state.txHash, undefined);
    assert.equal(state.reason, undefined);
    assert.equal(state.timeline.length, current.timeline.length + 1);
    const entry = last(state);
    assert.equal(entry.applied, false);
    assert.equal(entry.status, 'Failed');
    assert.equal(entry.at, at(5));
    assert.equal(entry.note, 'ignored: belongs to payment:order-42:a1, not the current attempt payment:order-42:a2');
  });

  it('ignores but records an update for another transfer under the same externalId', () => {
    const current = fold(fresh(), update('Submitted'));
    assert.equal(current.transferId, 'xfr-1');
    const state = applyTransferUpdate(current, update('Confirmed', { transferId: 'xfr-other', txHash: '0xother', fee: '1' }), at(5));
    assert.equal(state.status, 'Submitted');
    assert.equal(state.transferId, 'xfr-1');
    assert.equal(state.txHash, undefined);
    assert.equal(state.fee, undefined);
    const entry = last(state);
    assert.equal(entry.applied, false);
    assert.equal(entry.note, 'ignored: belongs to transfer xfr-other, not xfr-1');
  });

  it('adopts the transfer id from the first update when none is known yet', () => {
    const state = fold(fresh(), update('Executing', { transferId: 'xfr-9' }));
    assert.equal(state.transferId, 'xfr-9');
    assert.equal(state.status, 'Executing');
  });

  it('keeps the first value of each fact, collected from any update of the current transfer', () => {
    const state = fold(
      fresh(),
      update('AwaitingApproval', { approvalId: 'ap-1' }),
      update('Executing', { approvalId: 'ap-2' }),
      update('Broadcasted', { txHash: '0x1' }),
      update('Broadcasted', { txHash: '0x2', fee: '100' }),
      update('Confirmed', { fee: '200' }),
    );
    assert.equal(state.status, 'Confirmed');
    assert.equal(state.approvalId, 'ap-1');
    assert.equal(state.txHash, '0x1');
    // The fee arrived on a refused duplicate and is kept anyway.
    assert.equal(state.fee, '100');
  });

  it('sets reason when Failed is applied', () => {
    const state = fold(fresh(), update('Broadcasted'), update('Failed', { reason: 'reverted' }));
    assert.equal(state.status, 'Failed');
    assert.equal(state.reason, 'reverted');
  });

  it('sets reason when Rejected is applied', () => {
    const state = fold(fresh(), update('AwaitingApproval', { approvalId: 'ap-1' }), update('Rejected', { reason: 'denied by approver' }));
    assert.equal(state.status, 'Rejected');
    assert.equal(state.reason, 'denied by approver');
  });

  it('does not set reason from a non-failure update, even when it carries one', () => {
    const state = fold(fresh(), update('Confirmed', { reason: 'should not be kept' }));
    assert.equal(state.status, 'Confirmed');
    assert.equal(state.reason, undefined);
  });

  it('does not set reason from a Failed update that was refused', () => {
    const state = fold(fresh(), update('Confirmed'), update('Failed', { reason: 'late failure' }));
    assert.equal(state.status, 'Confirmed');
    assert.equal(state.reason, undefined);
    assert.equal(last(state).applied, false);
  });

  it('does not mutate the state it was given', () => {
    const before = fold(fresh(), update('Submitted'));
    const snapshot = structuredClone(before);
    applyTransferUpdate(before, update('Confirmed', { txHash: '0x1' }), at(7));
    applyTransferUpdate(before, update('Confirmed', { externalId: 'payment:other:a1' }), at(8));
    assert.deepEqual(before, snapshot);
  });
});
