import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addAmounts, totalsOf } from '../../src/contracts/batch-messages';
import { batchKeySchema, MAX_BATCH_ROWS, rowProblemField, validateBatchRows } from '../../src/contracts/batch-row';
import {
  batchChunkId,
  batchIdFor,
  batchRowIdempotencyKey,
  isClientBatchId,
  isClientPaymentId,
  paymentIdFor,
} from '../../src/contracts/payment-id';
import { idempotencyKeySchema } from '../../src/contracts/payment-request';

const ROW = {
  walletId: 'wa-acme-1',
  network: 'BaseSepolia',
  asset: { kind: 'Native' },
  to: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  amount: '1500000',
};

describe('batch rows', () => {
  it('accepts valid rows, numbered from 1, each body parsed by the payment schema', () => {
    const result = validateBatchRows([
      { key: 'a', ...ROW },
      { key: 'b', ...ROW, reference: 'x' },
    ]);
    assert.equal(result.ok, true);
    assert.deepEqual(result.ok && result.rows.map((r) => [r.row, r.key, r.body.reference]), [
      [1, 'a', undefined],
      [2, 'b', 'x'],
    ]);
  });

  it('reports every problem of every row by number and field', () => {
    const result = validateBatchRows([
      { key: 'a', ...ROW },
      { ...ROW, amount: '0' },
      { key: 'a', ...ROW, extra: 1 },
      'not a row',
    ]);
    assert.equal(result.ok, false);
    const problems = result.ok ? [] : result.problems;
    assert.deepEqual(problems.map(rowProblemField), [
      'row 2.key',
      'row 2.amount',
      'row 3.key',
      'row 3.extra',
      'row 4.(row)',
    ]);
    assert.match(problems[2]?.message ?? '', /repeats the key of row 1/);
  });

  it('refuses an empty batch and one above the limit', () => {
    const empty = validateBatchRows([]);
    assert.deepEqual(empty.ok ? [] : empty.problems.map(rowProblemField), ['rows']);
    const many = validateBatchRows(Array.from({ length: MAX_BATCH_ROWS + 1 }, (_, i) => ({ key: `r${i}`, ...ROW })));
    assert.equal(many.ok, false);
    assert.match(many.ok ? '' : (many.problems[0]?.message ?? ''), /at most 10000 rows/);
  });
});

describe('batch ids and row payment ids', () => {
  it("derives a row's payment key from the batch key and the row key, always a valid payment key", () => {
    const key = batchRowIdempotencyKey('a'.repeat(40), 'b'.repeat(59));
    assert.equal(idempotencyKeySchema.safeParse(key).success, true, 'the longest batch and row keys still fit');
    assert.equal(paymentIdFor(batchRowIdempotencyKey('payroll', 'r1'), 'acme'), 'payment:acme:payroll.r1');
    assert.equal(isClientPaymentId('payment:acme:payroll.r1', 'acme'), true);
  });

  it('keeps batch keys free of "." so one row key never belongs to two batches', () => {
    assert.equal(batchKeySchema.safeParse('pay.roll').success, false);
    assert.equal(batchKeySchema.safeParse('payroll-2026_11').success, true);
  });

  it('scopes batch ids to their client; chunk ids are not batch ids', () => {
    const id = batchIdFor('run-1', 'acme');
    assert.equal(id, 'batch:acme:run-1');
    assert.equal(isClientBatchId(id, 'acme'), true);
    assert.equal(isClientBatchId(id, 'globex'), false);
    assert.equal(isClientBatchId(batchChunkId(id, 0), 'acme'), false);
    assert.equal(batchIdFor('run-1'), 'batch:run-1');
    assert.throws(() => batchIdFor('run-1', 'Bad:Client'), RangeError);
  });
});

describe('batch amounts', () => {
  it('sums exactly with BigInt, per asset', () => {
    const big = '9007199254740993'; // above Number.MAX_SAFE_INTEGER
    const valid = validateBatchRows([
      { key: 'a', ...ROW, amount: big },
      { key: 'b', ...ROW, amount: big },
    ]);
    assert.equal(valid.ok, true);
    const totals = totalsOf(valid.ok ? valid.rows : []);
    assert.deepEqual(totals, { 'BaseSepolia:Native': '18014398509481986' });
    const into: Record<string, string> = { x: '5' };
    addAmounts(into, 'x', '7', -1n);
    assert.deepEqual(into, { x: '-2' });
  });
});
