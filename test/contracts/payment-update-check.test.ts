import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApprovalUpdate } from '../../src/contracts/approval-update';
import { checkPaymentUpdate } from '../../src/contracts/payment-update-check';
import { APPROVAL_UPDATE_FIELDS, TRANSFER_UPDATE_FIELDS } from '../../src/contracts/payment-update-fields';
import { paymentUpdateSchema } from '../../src/contracts/payment-update';
import type { TransferUpdate } from '../../src/contracts/transfer-update';

const TRANSFER: TransferUpdate = {
  kind: 'transfer',
  source: 'webhook',
  externalId: 'payment:order-42:a1',
  transferId: 'xfr-1',
  status: 'Broadcasted',
  approvalId: 'ap-1',
  txHash: '0xabc',
  fee: '21000',
  reason: 'none',
  eventKind: 'wallet.transfer.broadcasted',
  eventTime: '2025-01-01T00:00:00.000Z',
  deliveryId: 'whe-1',
};
const APPROVAL: ApprovalUpdate = {
  kind: 'approval',
  source: 'poll',
  approvalId: 'ap-1',
  externalId: 'payment:order-42:a1',
  status: 'Approved',
  expirationDate: '2025-01-02T00:00:00.000Z',
  reason: 'known vendor',
  decidedBy: 'us-1',
  eventKind: 'policy.approval.resolved',
  eventTime: '2025-01-01T00:00:00.000Z',
  deliveryId: 'whe-2',
};

/** Every way to spoil one field of a valid update: gone, empty, a number, null, an unknown word. */
function variants(valid: Record<string, unknown>, fields: readonly string[]): [string, unknown][] {
  const out: [string, unknown][] = [['valid', valid]];
  for (const field of fields) {
    const { [field]: _dropped, ...without } = valid;
    out.push([`${field} missing`, without]);
    for (const value of ['', 7, null, 'Bogus', ['x'], {}]) {
      out.push([`${field}=${JSON.stringify(value)}`, { ...valid, [field]: value }]);
    }
  }
  return out;
}

const CASES: [string, unknown][] = [
  ...variants(TRANSFER, Object.keys(TRANSFER_UPDATE_FIELDS)),
  ...variants(APPROVAL, Object.keys(APPROVAL_UPDATE_FIELDS)),
  ['an extra field', { ...TRANSFER, extra: 'dropped' }],
  ['an approval with the transfer-only fields', { ...APPROVAL, txHash: '0x1', transferId: 'x' }],
  ['a refund', { kind: 'refund', transferId: 'xfr-1' }],
  ['no kind', { ...TRANSFER, kind: undefined }],
  ['null', null],
  ['a string', 'transfer'],
  ['an array', [TRANSFER]],
  ['a number', 42],
];

// The workflow checks signal payloads without zod; the edges use paymentUpdateSchema. They must agree exactly.
describe('checkPaymentUpdate agrees with paymentUpdateSchema', () => {
  for (const [why, input] of CASES) {
    it(`${why}: the same verdict, the same fields named, the same data kept`, () => {
      const zod = paymentUpdateSchema.safeParse(input);
      const ours = checkPaymentUpdate(input);
      assert.equal(ours.ok, zod.success);
      if (zod.success && ours.ok) {
        assert.deepEqual(ours.update, zod.data);
      } else if (!zod.success && !ours.ok) {
        const zodFields = zod.error.issues.map((issue) => issue.path.join('.') || '(update)').sort();
        assert.deepEqual(ours.errors.map((e) => e.field).sort(), zodFields);
        for (const error of ours.errors) assert.ok(error.message.length > 0);
      }
    });
  }

  it('names what is wrong in words an operator can act on', () => {
    const checked = checkPaymentUpdate({ ...TRANSFER, status: 'Bogus', transferId: 3 });
    assert.equal(checked.ok, false);
    assert.deepEqual(!checked.ok && checked.errors, [
      { field: 'transferId', message: 'expected a string, received number' },
      { field: 'status', message: 'must be one of ' + TRANSFER_UPDATE_FIELDS.status.values.join(', ') },
    ]);
  });
});
