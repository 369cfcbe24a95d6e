import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkInputs } from '../../src/batches/temporal-batches';
import { initialProgress, totalsOf, type BatchWorkflowInput } from '../../src/contracts/batch-messages';
import { MAX_BATCH_ROWS, validateBatchRows } from '../../src/contracts/batch-row';

/** Temporal refuses payloads above 2 MB and warns above 512 KB; a chunk and the batch input stay well below. */
const PAYLOAD_WARNING_BYTES = 512 * 1024;

describe('a 10,000-row batch in Temporal payloads', () => {
  const raw = Array.from({ length: MAX_BATCH_ROWS }, (_, i) => ({
    key: `employee-${String(i + 1).padStart(6, '0')}`,
    walletId: 'wa-01jf8q3m4n5p6r7s8t9v0w1x2y',
    network: 'EthereumSepolia',
    asset: { kind: 'Erc20', contract: '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238', symbol: 'USDC', decimals: 6 },
    to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    amount: String(1_000_000 + i),
    reference: `November payroll, employee ${i + 1}`,
  }));
  const validation = validateBatchRows(raw);
  const rows = validation.ok ? validation.rows : [];

  it('validates all of them', () => assert.equal(rows.length, MAX_BATCH_ROWS));

  it('splits them into 20 chunks of 500, in order, each far below the payload limits', () => {
    const chunks = chunkInputs('batch:acme:payroll', rows);
    assert.equal(chunks.length, 20);
    assert.deepEqual(
      chunks.flatMap((chunk) => chunk.rows.map((row) => row.row)),
      rows.map((row) => row.row),
    );
    const largest = Math.max(...chunks.map((chunk) => Buffer.byteLength(JSON.stringify(chunk))));
    assert.ok(largest < PAYLOAD_WARNING_BYTES / 2, `largest chunk ${largest} bytes`);
  });

  it('starts the batch workflow with counts and totals only, a few hundred bytes', () => {
    const input: BatchWorkflowInput = {
      batchId: 'batch:acme:payroll',
      batchKey: 'payroll',
      clientId: 'acme',
      total: rows.length,
      totals: totalsOf(rows),
      chunks: 20,
      concurrency: 50,
    };
    assert.ok(Buffer.byteLength(JSON.stringify(input)) < 1_000);
    const expected = ((MAX_BATCH_ROWS * (2 * 1_000_000 + MAX_BATCH_ROWS - 1)) / 2).toString();
    assert.deepEqual(initialProgress(input).byStatus.Pending.amounts, {
      'EthereumSepolia:0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238': expected,
    });
  });
});
