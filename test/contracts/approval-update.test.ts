import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APPROVAL_STATES, approvalUpdateSchema, type ApprovalUpdate } from '../../src/contracts/approval-update';
import { omit } from './omit';

const VALID: ApprovalUpdate = {
  kind: 'approval',
  source: 'webhook',
  approvalId: 'ap-1',
  externalId: 'payment:order-42:a1',
  status: 'Denied',
  expirationDate: '2025-01-02T00:00:00.000Z',
  reason: 'too large',
  decidedBy: 'us-approver-1',
  eventKind: 'policy.approval.resolved',
  eventTime: '2025-01-01T00:00:00.000Z',
  deliveryId: 'whe-1',
};

// The workflow validates every approval signal with this schema; what it refuses is recorded, never applied.
describe('approvalUpdateSchema', () => {
  it('lists the four Dfns approval states', () => {
    assert.deepEqual([...APPROVAL_STATES], ['Pending', 'Approved', 'Denied', 'Expired']);
  });

  it('accepts a full update and a minimal one', () => {
    assert.deepEqual(approvalUpdateSchema.parse(VALID), VALID);
    const minimal = omit(VALID, 'externalId', 'expirationDate', 'reason', 'decidedBy', 'deliveryId');
    assert.deepEqual(approvalUpdateSchema.parse(minimal), minimal);
  });

  it('accepts the operator as a source (the workflow’s own denial)', () => {
    assert.equal(approvalUpdateSchema.parse({ ...VALID, source: 'operator' }).source, 'operator');
  });

  const refused: [string, Record<string, unknown>, string][] = [
    ['an unknown status', { status: 'AutoApproved' }, 'status'],
    ['a transfer source', { source: 'submit' }, 'source'],
    ['an empty approvalId', { approvalId: '' }, 'approvalId'],
    ['an empty externalId', { externalId: '' }, 'externalId'],
    ['an empty eventKind', { eventKind: '' }, 'eventKind'],
    ['an empty eventTime', { eventTime: '' }, 'eventTime'],
    ['a numeric reason', { reason: 7 }, 'reason'],
  ];
  for (const [why, change, field] of refused) {
    it(`refuses ${why}, naming ${field}`, () => {
      const parsed = approvalUpdateSchema.safeParse({ ...VALID, ...change });
      assert.equal(parsed.success, false);
      assert.deepEqual(
        parsed.error?.issues.map((i) => i.path.join('.')),
        [field],
      );
    });
  }

  it('refuses a transfer update sent to the approval signal', () => {
    const transfer = {
      kind: 'transfer',
      source: 'webhook',
      externalId: 'payment:order-42:a1',
      transferId: 'xfr-1',
      status: 'Broadcasted',
      eventKind: 'wallet.transfer.broadcasted',
      eventTime: '2025-01-01T00:00:00.000Z',
    };
    assert.equal(approvalUpdateSchema.safeParse(transfer).success, false);
  });
});
