import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApprovalUpdate } from '../../src/contracts/approval-update';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import {
  applyApprovalUpdate,
  applyTransferUpdate,
  beginAttempt,
  finish,
  initialPaymentState,
  isFinal,
  moveTo,
  record,
  type PaymentState,
} from '../../src/contracts/payment-state';
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
    kind: 'transfer',
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
    assert.deepEqual(state.timeline, [
      { at: T0, source: 'workflow', event: 'accepted', status: 'Accepted', applied: true },
    ]);
  });

  it('starts not stuck, not needing attention, Accepted since creation, with no earlier attempts', () => {
    const state = fresh();
    assert.equal(state.stuck, false);
    assert.equal(state.needsAttention, false);
    assert.equal(state.statusSince, T0);
    assert.deepEqual(state.previousAttempts, []);
    assert.equal(state.approval, undefined);
    assert.equal(isFinal(state), false);
  });
});

describe('moveTo', () => {
  it('applies an allowed move and stamps updatedAt', () => {
    const state = moveTo(fresh(), 'Submitted', { source: 'submit', event: 'transferAsset' }, at(1));
    assert.equal(state.status, 'Submitted');
    assert.equal(state.updatedAt, at(1));
    assert.equal(state.statusSince, at(1));
    assert.deepEqual(last(state), {
      source: 'submit',
      event: 'transferAsset',
      at: at(1),
      status: 'Submitted',
      applied: true,
    });
  });

  it('records a refused move with the reason, leaving status and updatedAt alone', () => {
    const submitted = moveTo(fresh(), 'Submitted', { source: 'submit', event: 'transferAsset' }, at(1));
    const state = moveTo(submitted, 'Accepted', { source: 'operator', event: 'reset', note: 'operator asked' }, at(2));
    assert.equal(state.status, 'Submitted');
    assert.equal(state.updatedAt, at(1));
    assert.equal(state.statusSince, at(1));
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
    const state = fold(
      fresh(),
      update('Submitted'),
      update('Broadcasted'),
      update('Broadcasted', { deliveryId: 'whe-dup' }),
    );
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
      // Failed is final only with something on chain (a txHash); without one it is a failed attempt.
      const onChain = terminal === 'Failed' ? { txHash: '0xabc' } : {};
      const ended = fold(fresh(), update('Submitted'), update(terminal, { reason: 'first', ...onChain }));
      assert.equal(ended.status, terminal);
      for (const later of [
        'Submitted',
        'AwaitingApproval',
        'Executing',
        'Broadcasted',
        'Confirmed',
        'Failed',
        'Rejected',
      ] as const) {
        const state = applyTransferUpdate(ended, update(later, { reason: 'second' }), at(9));
        assert.equal(state.status, terminal, `${terminal} then ${later}`);
        assert.equal(state.updatedAt, ended.updatedAt);
        assert.equal(state.reason, ended.reason, `${terminal} then ${later}: reason untouched`);
        assert.equal(state.statusSince, ended.statusSince);
        assert.equal(last(state).applied, false);
      }
    }
  });

  it('ignores but records an update for an older attempt', () => {
    const current = {
      ...fold(fresh(), update('Submitted')),
      attempt: 2,
      externalId: 'payment:order-42:a2',
      transferId: 'xfr-2',
    };
    const state = applyTransferUpdate(
      current,
      update('Failed', { reason: 'nonce too low', transferId: 'xfr-1', txHash: '0xold' }),
      at(5),
    );
    assert.equal(state.status, 'Submitted');
    assert.equal(state.updatedAt, current.updatedAt);
    assert.equal(state.transferId, 'xfr-2');
    assert.equal(state.txHash, undefined);
    assert.equal(state.reason, undefined);
    assert.equal(state.timeline.length, current.timeline.length + 1);
    const entry = last(state);
    assert.equal(entry.applied, false);
    // A foreign update is recorded as an event that points the payment nowhere.
    assert.equal(entry.status, undefined);
    assert.equal(entry.at, at(5));
    assert.equal(entry.note, 'ignored: belongs to payment:order-42:a1, not the current attempt payment:order-42:a2');
  });

  it('ignores but records an update for another transfer under the same externalId', () => {
    const current = fold(fresh(), update('Submitted'));
    assert.equal(current.transferId, 'xfr-1');
    const state = applyTransferUpdate(
      current,
      update('Confirmed', { transferId: 'xfr-other', txHash: '0xother', fee: '1' }),
      at(5),
    );
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
    const state = fold(fresh(), update('Broadcasted', { txHash: '0xabc' }), update('Failed', { reason: 'reverted' }));
    assert.equal(state.status, 'Failed');
    assert.equal(state.reason, 'reverted');
  });

  it('sets reason when Rejected is applied', () => {
    const state = fold(
      fresh(),
      update('AwaitingApproval', { approvalId: 'ap-1' }),
      update('Rejected', { reason: 'denied by approver' }),
    );
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

const A2 = 'payment:order-42:a2';

/** Broadcast with a txHash and fee, as most tests of later steps start. */
function broadcasted(): PaymentState {
  return fold(fresh(), update('Submitted'), update('Broadcasted', { txHash: '0x1', fee: '100' }));
}

describe('applyTransferUpdate: failed attempts and failures that need a person', () => {
  for (const before of ['Submitted', 'AwaitingApproval', 'Executing'] as const) {
    it(`maps Dfns Failed without a txHash from ${before} to AttemptFailed, keeping the reason`, () => {
      const state = fold(
        fresh(),
        update(before, before === 'AwaitingApproval' ? { approvalId: 'ap-1' } : {}),
        update('Failed', { reason: 'signing failed' }),
      );
      assert.equal(state.status, 'AttemptFailed');
      assert.equal(state.reason, 'signing failed');
      assert.equal(state.needsAttention, false);
      assert.equal(isFinal(state), false);
      assert.equal(state.statusSince, at(2));
      assert.deepEqual([last(state).status, last(state).applied], ['AttemptFailed', true]);
    });
  }

  it('maps Dfns Failed carrying a txHash to Failed and flags it for a person', () => {
    const state = fold(
      fresh(),
      update('Executing'),
      update('Failed', { txHash: '0xdead', reason: 'execution reverted' }),
    );
    assert.equal(state.status, 'Failed');
    assert.equal(state.txHash, '0xdead');
    assert.equal(state.reason, 'execution reverted');
    assert.equal(state.needsAttention, true);
    assert.equal(isFinal(state), true);
  });

  it('maps Dfns Failed without a txHash to Failed when an earlier update already put one on chain', () => {
    const state = applyTransferUpdate(broadcasted(), update('Failed', { reason: 'out of gas' }), at(5));
    assert.equal(state.status, 'Failed');
    assert.equal(state.txHash, '0x1');
    assert.equal(state.needsAttention, true);
    assert.equal(state.reason, 'out of gas');
  });

  it('lets a failed attempt become final Failed when a later read shows it reached the chain', () => {
    const failed = fold(fresh(), update('Executing'), update('Failed'));
    assert.equal(failed.status, 'AttemptFailed');
    const state = applyTransferUpdate(
      failed,
      update('Failed', { source: 'poll', eventKind: 'getTransfer', txHash: '0xdead' }),
      at(5),
    );
    assert.equal(state.status, 'Failed');
    assert.equal(state.needsAttention, true);
    assert.equal(state.txHash, '0xdead');
  });

  it('refuses a late Executing or Broadcasted after a failed attempt', () => {
    const failed = fold(fresh(), update('Executing'), update('Failed'));
    for (const late of ['Executing', 'Broadcasted'] as const) {
      const state = applyTransferUpdate(failed, update(late), at(5));
      assert.equal(state.status, 'AttemptFailed', late);
      assert.equal(last(state).note, `ignored: would move backwards from AttemptFailed to ${late}`);
    }
  });

  it('never flags Confirmed or Rejected payments, nor a refused late Failed', () => {
    assert.equal(fold(fresh(), update('Confirmed', { txHash: '0x1' })).needsAttention, false);
    assert.equal(fold(fresh(), update('Rejected', { reason: 'policy' })).needsAttention, false);
    const confirmed = fold(
      fresh(),
      update('Confirmed', { txHash: '0x1' }),
      update('Failed', { txHash: '0x1', reason: 'late' }),
    );
    assert.equal(confirmed.status, 'Confirmed');
    assert.equal(confirmed.needsAttention, false);
    assert.equal(confirmed.reason, undefined);
  });

  it('clears a flag for a person when the transfer confirms by itself; the timeline keeps why it was set', () => {
    const broadcast = fold(fresh(), update('Broadcasted', { txHash: '0x1' }));
    const flagged = record(broadcast, { source: 'workflow', event: 'stuck: escalated to a person' }, at(3));
    const confirmed = applyTransferUpdate({ ...flagged, needsAttention: true }, update('Confirmed'), at(4));
    assert.equal(confirmed.needsAttention, false);
    assert.ok(confirmed.timeline.some((entry) => entry.event === 'stuck: escalated to a person'));
    assert.equal(last(confirmed).note, 'confirmed by itself: no longer needs a person');
  });

  it('takes the hash a transfer confirms with: a mined speed-up replacement is its transaction', () => {
    const broadcast = fold(fresh(), update('Broadcasted', { txHash: '0x1', fee: '10' }));
    const confirmed = applyTransferUpdate(broadcast, update('Confirmed', { txHash: '0x2', fee: '12' }), at(4));
    assert.equal(confirmed.txHash, '0x2');
    assert.equal(confirmed.fee, '12');
  });
});

const CANCEL = { reason: 'cancelled by ops: wrong amount' };

describe('applyTransferUpdate: while an operator cancels', () => {
  it('maps Dfns Rejected to Cancelled', () => {
    const executing = fold(fresh(), update('Executing'));
    const state = applyTransferUpdate(
      executing,
      update('Rejected', { source: 'poll', eventKind: 'abortTransfer', reason: 'Aborted' }),
      at(5),
      CANCEL,
    );
    assert.equal(state.status, 'Cancelled');
    assert.equal(state.reason, CANCEL.reason, "the operator's reason, not Dfns's");
    assert.equal(state.needsAttention, false);
    assert.deepEqual([last(state).status, last(state).applied], ['Cancelled', true]);
  });

  it('keeps Rejected as Rejected when nobody is cancelling', () => {
    const executing = fold(fresh(), update('Executing'));
    assert.equal(applyTransferUpdate(executing, update('Rejected'), at(5), undefined).status, 'Rejected');
    assert.equal(applyTransferUpdate(executing, update('Rejected'), at(5)).status, 'Rejected');
  });

  it('does not turn other statuses into a cancellation', () => {
    const executing = fold(fresh(), update('Executing'));
    assert.equal(
      applyTransferUpdate(executing, update('Broadcasted', { txHash: '0x1' }), at(5), CANCEL).status,
      'Broadcasted',
    );
    assert.equal(
      applyTransferUpdate(executing, update('Confirmed', { txHash: '0x1' }), at(5), CANCEL).status,
      'Confirmed',
    );
    assert.equal(applyTransferUpdate(broadcasted(), update('Failed'), at(5), CANCEL).status, 'Failed');
  });

  // Dfns documents that Abort Transfer sets the transfer to Failed (nothing on chain): while cancelling, that is the
  // cancellation, never a retryable failed attempt (a retry would send the cancelled payment).
  it('maps the Failed an abort produces (nothing on chain) to Cancelled, not to a retryable AttemptFailed', () => {
    const executing = fold(fresh(), update('Executing'));
    const state = applyTransferUpdate(
      executing,
      update('Failed', { source: 'poll', eventKind: 'abortTransfer', reason: 'Aborted' }),
      at(5),
      CANCEL,
    );
    assert.equal(state.status, 'Cancelled');
    assert.equal(isFinal(state), true);
    assert.equal(state.reason, CANCEL.reason);
  });

  it('treats Failed after broadcast as on chain even when no txHash was ever seen', () => {
    const seen = fold(fresh(), update('Broadcasted'));
    const state = applyTransferUpdate({ ...seen, txHash: undefined }, update('Failed'), at(5));
    assert.equal(state.status, 'Failed');
    assert.equal(state.needsAttention, true);
  });
});

describe('applyTransferUpdate: speed-up, stuck and statusSince', () => {
  it('lets a speedUpTransfer answer replace the txHash and fee', () => {
    const state = applyTransferUpdate(
      broadcasted(),
      update('Broadcasted', { source: 'poll', eventKind: 'speedUpTransfer', txHash: '0x2', fee: '300' }),
      at(5),
    );
    assert.equal(state.status, 'Broadcasted');
    assert.equal(state.txHash, '0x2');
    assert.equal(state.fee, '300');
    assert.equal(last(state).applied, false, 'no status change');
  });

  it('keeps the old fee when the speed-up answer has none, and everything when it has no txHash', () => {
    const noFee = applyTransferUpdate(
      broadcasted(),
      update('Broadcasted', { source: 'poll', eventKind: 'speedUpTransfer', txHash: '0x2' }),
      at(5),
    );
    assert.deepEqual([noFee.txHash, noFee.fee], ['0x2', '100']);
    const noHash = applyTransferUpdate(
      broadcasted(),
      update('Broadcasted', { source: 'poll', eventKind: 'speedUpTransfer', fee: '300' }),
      at(5),
    );
    assert.deepEqual([noHash.txHash, noHash.fee], ['0x1', '100']);
  });

  it('does not let any other event replace a known txHash or fee', () => {
    const state = applyTransferUpdate(
      broadcasted(),
      update('Broadcasted', { eventKind: 'wallet.transfer.broadcasted', txHash: '0x2', fee: '300' }),
      at(5),
    );
    assert.deepEqual([state.txHash, state.fee], ['0x1', '100']);
  });

  it('ignores a speed-up answer for another transfer', () => {
    const state = applyTransferUpdate(
      broadcasted(),
      update('Broadcasted', { eventKind: 'speedUpTransfer', transferId: 'xfr-other', txHash: '0x2' }),
      at(5),
    );
    assert.equal(state.txHash, '0x1');
    assert.equal(last(state).note, 'ignored: belongs to transfer xfr-other, not xfr-1');
  });

  it('clears stuck when the payment leaves Broadcasted, and keeps it while it stays', () => {
    const stuck: PaymentState = { ...broadcasted(), stuck: true };
    assert.equal(applyTransferUpdate(stuck, update('Broadcasted', { txHash: '0x1' }), at(5)).stuck, true);
    assert.equal(
      applyTransferUpdate(stuck, update('Executing'), at(5)).stuck,
      true,
      'a refused update changes nothing',
    );
    assert.equal(applyTransferUpdate(stuck, update('Confirmed'), at(5)).stuck, false);
    assert.equal(applyTransferUpdate(stuck, update('Failed'), at(5)).stuck, false);
  });

  it('moves statusSince only when the status changes', () => {
    const state = fold(
      fresh(),
      update('Submitted'),
      update('Broadcasted', { txHash: '0x1' }),
      update('Broadcasted', { txHash: '0x1' }),
    );
    assert.equal(state.statusSince, at(2));
  });
});

function approval(status: ApprovalUpdate['status'], extra: Partial<ApprovalUpdate> = {}): ApprovalUpdate {
  return {
    kind: 'approval',
    source: 'webhook',
    approvalId: 'ap-1',
    externalId: EXTERNAL_ID,
    status,
    eventKind: status === 'Pending' ? 'policy.approval.pending' : 'policy.approval.resolved',
    eventTime: T0,
    ...extra,
  };
}

/** Submitted, and Dfns said the transfer waits for approval ap-1 (the approval itself not seen yet). */
function awaiting(): PaymentState {
  return fold(fresh(), update('AwaitingApproval', { approvalId: 'ap-1' }));
}

const EXPIRES = '2025-01-04T00:00:00.000Z';

describe('applyApprovalUpdate', () => {
  it('moves a submitted payment to AwaitingApproval on a pending approval for its attempt, and records the approval', () => {
    const submitted = fold(fresh(), update('Submitted'));
    const state = applyApprovalUpdate(
      submitted,
      approval('Pending', { expirationDate: EXPIRES, deliveryId: 'whe-9' }),
      at(5),
    );
    assert.equal(state.status, 'AwaitingApproval');
    assert.equal(state.statusSince, at(5));
    assert.equal(state.updatedAt, at(5));
    assert.equal(state.approvalId, 'ap-1');
    assert.equal(state.approval?.id, 'ap-1');
    assert.equal(state.approval?.status, 'Pending');
    assert.equal(state.approval?.expirationDate, EXPIRES);
    assert.equal(state.approval?.decidedBy, undefined);
    assert.deepEqual(last(state), {
      source: 'webhook',
      event: 'policy.approval.pending',
      deliveryId: 'whe-9',
      eventTime: T0,
      at: at(5),
      status: 'AwaitingApproval',
      applied: true,
    });
  });

  it('records a pending approval without moving when the transfer already said AwaitingApproval', () => {
    const before = awaiting();
    const state = applyApprovalUpdate(before, approval('Pending', { expirationDate: EXPIRES }), at(5));
    assert.equal(state.status, 'AwaitingApproval');
    assert.equal(state.statusSince, before.statusSince);
    assert.equal(state.approval?.status, 'Pending');
    assert.equal(state.approval?.expirationDate, EXPIRES);
    assert.equal(last(state).applied, false);
    assert.equal(last(state).note, 'ignored: already AwaitingApproval');
  });

  it('records an approved approval as applied but leaves the status to the transfer’s own events', () => {
    const pending = applyApprovalUpdate(awaiting(), approval('Pending', { expirationDate: EXPIRES }), at(5));
    const state = applyApprovalUpdate(
      pending,
      approval('Approved', { decidedBy: 'us-approver-1', reason: 'ok' }),
      at(6),
    );
    assert.equal(state.status, 'AwaitingApproval');
    assert.equal(state.statusSince, pending.statusSince);
    assert.equal(state.reason, undefined);
    assert.equal(state.approval?.status, 'Approved');
    assert.equal(state.approval?.decidedBy, 'us-approver-1');
    assert.equal(state.approval?.expirationDate, EXPIRES, 'kept from the pending update');
    const entry = last(state);
    assert.equal(entry.applied, true);
    assert.equal(entry.status, undefined);
    assert.equal(entry.note, 'approved; waiting for Dfns to execute');
    assert.equal(applyTransferUpdate(state, update('Executing'), at(7)).status, 'Executing');
  });

  const denials: [ApprovalUpdate['status'], Partial<ApprovalUpdate>, string][] = [
    ['Denied', { decidedBy: 'us-approver-1', reason: 'too large' }, 'approval denied by us-approver-1: too large'],
    ['Denied', { decidedBy: 'us-approver-1' }, 'approval denied by us-approver-1'],
    ['Denied', { reason: 'too large' }, 'approval denied: too large'],
    ['Denied', {}, 'approval denied'],
    ['Expired', {}, 'approval expired'],
    ['Expired', { reason: 'no decision in 24h' }, 'approval expired: no decision in 24h'],
  ];
  for (const [status, extra, reason] of denials) {
    it(`ends the payment Rejected on ${status} ${JSON.stringify(extra)} with reason "${reason}"`, () => {
      const state = applyApprovalUpdate(awaiting(), approval(status, extra), at(5));
      assert.equal(state.status, 'Rejected');
      assert.equal(state.reason, reason);
      assert.equal(state.needsAttention, false);
      assert.equal(isFinal(state), true);
      assert.equal(state.approval?.status, status);
      assert.deepEqual([last(state).status, last(state).applied], ['Rejected', true]);
    });
  }

  it('ends the payment Cancelled with the operator’s reason on Denied or Expired while cancelling', () => {
    for (const status of ['Denied', 'Expired'] as const) {
      const state = applyApprovalUpdate(
        awaiting(),
        approval(status, { decidedBy: 'us-service', reason: 'cancelled by ops' }),
        at(5),
        { reason: 'cancelled by alice: duplicate' },
      );
      assert.equal(state.status, 'Cancelled', status);
      assert.equal(state.reason, 'cancelled by alice: duplicate', status);
      assert.equal(state.approval?.status, status);
    }
  });

  it('does not cancel when the approval turns out approved while cancelling', () => {
    const state = applyApprovalUpdate(awaiting(), approval('Approved', { decidedBy: 'us-approver-1' }), at(5), {
      reason: 'cancelled by alice',
    });
    assert.equal(state.status, 'AwaitingApproval');
    assert.equal(state.reason, undefined);
    assert.equal(state.approval?.status, 'Approved');
  });

  for (const first of ['Approved', 'Denied', 'Expired'] as const) {
    it(`never changes an approval that is already ${first}`, () => {
      const decided = applyApprovalUpdate(
        awaiting(),
        approval(first, { decidedBy: 'us-approver-1', reason: 'first' }),
        at(5),
      );
      for (const later of ['Pending', 'Approved', 'Denied', 'Expired'] as const) {
        if (later === first) continue;
        const state = applyApprovalUpdate(
          decided,
          approval(later, { decidedBy: 'us-approver-2', reason: 'second' }),
          at(6),
        );
        assert.deepEqual(state.approval, decided.approval, `${first} then ${later}`);
        assert.equal(state.status, decided.status, `${first} then ${later}`);
        assert.equal(state.reason, decided.reason, `${first} then ${later}`);
        assert.equal(state.timeline.length, decided.timeline.length + 1);
        assert.equal(last(state).applied, false);
        assert.equal(last(state).note, `ignored: approval is already ${first}`);
      }
    });
  }

  it('records a duplicate denial without changing the payment’s status or reason', () => {
    const denied = applyApprovalUpdate(
      awaiting(),
      approval('Denied', { decidedBy: 'us-approver-1', reason: 'too large' }),
      at(5),
    );
    const state = applyApprovalUpdate(
      denied,
      approval('Denied', { decidedBy: 'us-approver-1', reason: 'too large', deliveryId: 'whe-dup' }),
      at(6),
    );
    assert.equal(state.status, 'Rejected');
    assert.equal(state.reason, denied.reason);
    assert.equal(state.statusSince, denied.statusSince);
    assert.equal(state.updatedAt, denied.updatedAt);
    assert.equal(state.timeline.length, denied.timeline.length + 1);
    assert.equal(last(state).deliveryId, 'whe-dup');
  });

  it('takes the reason from a denial that arrives after the transfer’s own rejection', () => {
    const rejected = fold(awaiting(), update('Rejected', { approvalId: 'ap-1', reason: 'Denied by approver' }));
    assert.equal(rejected.reason, 'Denied by approver');
    const state = applyApprovalUpdate(
      rejected,
      approval('Denied', { decidedBy: 'us-approver-1', reason: 'too large' }),
      at(5),
    );
    assert.equal(state.status, 'Rejected');
    assert.equal(state.statusSince, rejected.statusSince);
    assert.equal(state.reason, 'approval denied by us-approver-1: too large');
    assert.equal(state.approval?.status, 'Denied');
    assert.deepEqual([last(state).applied, last(state).note], [true, 'reason taken from the approval']);
  });

  it('takes the reason from an expiry that arrives after the transfer’s own rejection', () => {
    const rejected = fold(awaiting(), update('Rejected', { approvalId: 'ap-1', reason: 'Expired' }));
    const state = applyApprovalUpdate(rejected, approval('Expired'), at(5));
    assert.equal(state.status, 'Rejected');
    assert.equal(state.reason, 'approval expired');
  });

  it('keeps the reason of a rejected payment when the approval is not its own', () => {
    const rejected = fold(awaiting(), update('Rejected', { approvalId: 'ap-1', reason: 'Denied by approver' }));
    const state = applyApprovalUpdate(
      rejected,
      approval('Denied', { approvalId: 'ap-other', decidedBy: 'us-approver-1' }),
      at(5),
    );
    assert.equal(state.reason, 'Denied by approver');
    assert.equal(last(state).applied, false);
  });

  it('does not rewrite the reason of a payment that ended otherwise', () => {
    const cancelled = applyApprovalUpdate(awaiting(), approval('Denied', { decidedBy: 'us-service' }), at(5), {
      reason: 'cancelled by alice',
    });
    const late = applyApprovalUpdate(
      cancelled,
      approval('Denied', { decidedBy: 'us-service', reason: 'again' }),
      at(6),
    );
    assert.equal(late.status, 'Cancelled');
    assert.equal(late.reason, 'cancelled by alice');
    const confirmed = fold(awaiting(), update('Confirmed', { txHash: '0x1' }));
    assert.equal(
      applyApprovalUpdate(confirmed, approval('Denied', { decidedBy: 'us-approver-1' }), at(5)).reason,
      undefined,
    );
  });

  it('ignores but records an approval for an earlier attempt', () => {
    const second = beginAttempt(fold(fresh(), update('Executing'), update('Failed')), A2, 'retry', at(3));
    const state = applyApprovalUpdate(second, approval('Denied', { decidedBy: 'us-approver-1' }), at(5));
    assert.equal(state.status, 'Accepted');
    assert.equal(state.approvalId, undefined);
    assert.equal(state.approval, undefined);
    assert.equal(state.reason, undefined);
    assert.equal(state.timeline.length, second.timeline.length + 1);
    assert.equal(last(state).applied, false);
    assert.equal(last(state).note, "ignored: approval ap-1 is not this attempt's (none)");
  });

  it('ignores but records an approval other than the one the current transfer waits for', () => {
    const state = applyApprovalUpdate(awaiting(), approval('Denied', { approvalId: 'ap-other' }), at(5));
    assert.equal(state.status, 'AwaitingApproval');
    assert.equal(state.approvalId, 'ap-1');
    assert.equal(state.approval, undefined);
    assert.equal(last(state).note, "ignored: approval ap-other is not this attempt's (ap-1)");
  });

  it('accepts an update without externalId for the approval it already knows (a read by approval id)', () => {
    const noExternalId = approval('Denied', { source: 'poll', eventKind: 'getApproval', decidedBy: 'us-approver-1' });
    delete noExternalId.externalId;
    assert.equal(applyApprovalUpdate(awaiting(), noExternalId, at(5)).status, 'Rejected');
    // Without a known approval id nothing ties it to this payment.
    const unknown = applyApprovalUpdate(fold(fresh(), update('Submitted')), noExternalId, at(5));
    assert.equal(unknown.status, 'Submitted');
    assert.equal(last(unknown).note, "ignored: approval ap-1 is not this attempt's (none)");
  });

  it('does not mutate the state it was given', () => {
    const before = awaiting();
    const snapshot = structuredClone(before);
    applyApprovalUpdate(before, approval('Pending'), at(5));
    applyApprovalUpdate(before, approval('Denied'), at(5), { reason: 'cancelled' });
    applyApprovalUpdate(before, approval('Approved', { approvalId: 'ap-other' }), at(5));
    assert.deepEqual(before, snapshot);
  });
});

describe('beginAttempt', () => {
  /** Attempt 1 went through an approval and failed before broadcast. */
  function failedAttempt(): PaymentState {
    let state = awaiting();
    state = applyApprovalUpdate(state, approval('Approved', { decidedBy: 'us-approver-1' }), at(2));
    state = applyTransferUpdate(state, update('Executing', { fee: '5' }), at(3));
    state = applyTransferUpdate(state, update('Failed', { reason: 'nonce too low' }), at(4));
    assert.equal(state.status, 'AttemptFailed');
    return { ...state, failureType: 'DfnsUnavailable' };
  }

  it('starts the next attempt Accepted with the new externalId and clears the old attempt’s facts', () => {
    const failed = failedAttempt();
    const state = beginAttempt(failed, A2, 'automatic retry after: nonce too low', at(9));
    assert.equal(state.attempt, 2);
    assert.equal(state.externalId, A2);
    assert.equal(state.status, 'Accepted');
    assert.equal(state.statusSince, at(9));
    assert.equal(state.updatedAt, at(9));
    assert.equal(state.createdAt, T0);
    assert.equal(state.stuck, false);
    assert.equal(state.needsAttention, false);
    assert.equal(state.paymentId, PAYMENT_ID);
    assert.deepEqual(state.request, REQUEST);
    for (const key of ['transferId', 'approvalId', 'approval', 'txHash', 'fee', 'reason', 'failureType'] as const) {
      assert.equal(key in state, false, `${key} is cleared`);
    }
  });

  it('keeps a summary of the failed attempt and a timeline entry saying why the new one started', () => {
    const failed = failedAttempt();
    const state = beginAttempt(failed, A2, 'automatic retry after: nonce too low', at(9));
    assert.deepEqual(state.previousAttempts, [
      // The approval that held it stays with the attempt, for the audit trail.
      { attempt: 1, externalId: EXTERNAL_ID, transferId: 'xfr-1', reason: 'nonce too low', approval: failed.approval },
    ]);
    assert.equal(failed.approval?.status, 'Approved');
    assert.deepEqual(state.timeline.slice(0, -1), failed.timeline);
    assert.deepEqual(last(state), {
      source: 'workflow',
      event: 'attempt 2 started',
      note: 'automatic retry after: nonce too low; externalId payment:order-42:a2',
      at: at(9),
      applied: true,
    });
  });

  it('leaves transferId and reason out of the summary when the attempt had none', () => {
    const state = beginAttempt({ ...fresh(), status: 'AttemptFailed' }, A2, 'operator retry', at(1));
    assert.deepEqual(state.previousAttempts, [{ attempt: 1, externalId: EXTERNAL_ID }]);
  });

  it('refuses to start an attempt unless the current one failed with nothing on chain', () => {
    for (const status of ['Accepted', 'Broadcasted', 'Confirmed', 'Failed', 'Cancelled'] as const) {
      const state = beginAttempt({ ...fresh(), status }, A2, 'retry', at(1));
      assert.equal(state.attempt, 1, status);
      assert.equal(state.externalId, EXTERNAL_ID, status);
      assert.match(last(state).note ?? '', /only a failed attempt can be retried/);
    }
  });

  it('accumulates summaries over several attempts', () => {
    const second = beginAttempt(failedAttempt(), A2, 'retry', at(9));
    const failedAgain = fold(second, update('Submitted', { externalId: A2, transferId: 'xfr-2' }));
    const third = beginAttempt(
      applyTransferUpdate(
        failedAgain,
        update('Failed', { externalId: A2, transferId: 'xfr-2', reason: 'again' }),
        at(10),
      ),
      'payment:order-42:a3',
      'retry',
      at(11),
    );
    assert.equal(third.attempt, 3);
    assert.deepEqual(
      third.previousAttempts.map((a) => [a.attempt, a.externalId, a.transferId, a.reason]),
      [
        [1, EXTERNAL_ID, 'xfr-1', 'nonce too low'],
        [2, A2, 'xfr-2', 'again'],
      ],
    );
  });

  it('follows the new attempt’s transfer and ignores the old one’s late events', () => {
    const state = beginAttempt(failedAttempt(), A2, 'retry', at(9));
    const late = applyTransferUpdate(state, update('Confirmed', { txHash: '0xold' }), at(10));
    assert.equal(late.status, 'Accepted');
    assert.equal(late.txHash, undefined);
    assert.equal(last(late).note, `ignored: belongs to ${EXTERNAL_ID}, not the current attempt ${A2}`);
    const next = applyTransferUpdate(state, update('Submitted', { externalId: A2, transferId: 'xfr-2' }), at(10));
    assert.equal(next.status, 'Submitted');
    assert.equal(next.transferId, 'xfr-2');
  });

  it('does not mutate the state it was given', () => {
    const before = failedAttempt();
    const snapshot = structuredClone(before);
    beginAttempt(before, A2, 'retry', at(9));
    assert.deepEqual(before, snapshot);
  });
});

describe('record', () => {
  it('appends an entry, not applied by default, and changes nothing else', () => {
    const before = broadcasted();
    const state = record(before, { source: 'workflow', event: 'speed-up refused', note: 'not supported' }, at(7));
    assert.deepEqual({ ...state, timeline: before.timeline }, before);
    assert.deepEqual(last(state), {
      source: 'workflow',
      event: 'speed-up refused',
      note: 'not supported',
      at: at(7),
      applied: false,
    });
  });

  it('marks the entry applied when asked', () => {
    assert.equal(last(record(fresh(), { source: 'operator', event: 'retry requested' }, at(1), true)).applied, true);
  });
});

describe('finish', () => {
  it('ends a payment with the status and reason given', () => {
    const failed = fold(fresh(), update('Executing'), update('Failed', { reason: 'nonce too low' }));
    const state = finish(
      failed,
      'Failed',
      'operator window closed',
      { source: 'workflow', event: 'operator window closed' },
      at(9),
    );
    assert.equal(state.status, 'Failed');
    assert.equal(state.reason, 'operator window closed');
    assert.equal(state.statusSince, at(9));
    assert.deepEqual([last(state).status, last(state).applied], ['Failed', true]);
  });

  it('is a recorded no-op on a payment that is already final', () => {
    const confirmed = fold(fresh(), update('Confirmed', { txHash: '0x1' }));
    const state = finish(confirmed, 'Cancelled', 'too late', { source: 'operator', event: 'cancel' }, at(9));
    assert.equal(state.status, 'Confirmed');
    assert.equal(state.reason, undefined);
    assert.equal(state.updatedAt, confirmed.updatedAt);
    assert.equal(last(state).applied, false);
    assert.equal(last(state).note, 'ignored: payment is already final (Confirmed)');
  });
});

describe('isFinal', () => {
  it('is true exactly for the terminal statuses', () => {
    for (const status of [
      'Accepted',
      'Submitted',
      'AwaitingApproval',
      'Executing',
      'Broadcasted',
      'AttemptFailed',
    ] as const) {
      assert.equal(isFinal({ ...fresh(), status }), false, status);
    }
    for (const status of ['Confirmed', 'Failed', 'Rejected', 'Cancelled'] as const)
      assert.equal(isFinal({ ...fresh(), status }), true, status);
  });
});
