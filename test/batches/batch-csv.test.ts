import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBatchCsv, reportCsv } from '../../src/batches/batch-csv';
import { rowProblemField } from '../../src/contracts/batch-row';
import { progressLine } from '../../src/cli/batch-progress-line';
import { emptyTallies, type BatchProgress } from '../../src/contracts/batch-messages';

const TO = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const USDC = '0x036CbD53842c5426634e7929541eC2318f3dCF7e';
const MINT = 'Gh9ZwEmdLJ8DscKNTkTqPbNwLNNBjuSzaG9Vp2KGtKJr';

describe('batch CSV', () => {
  it('builds assets from the asset column (with symbol, decimals, createDestinationAccount) and skips empty cells', () => {
    const csv = [
      '\ufeffkey,walletId,network,asset,symbol,decimals,createDestinationAccount,to,amount,reference',
      `r1,wa-a-1,BaseSepolia,ERC20:${USDC},USDC,6,,${TO},1500000,`,
      `r2,wa-a-1,BaseSepolia,,,,,${TO},7,"payout, with comma"`,
      `r3,wa-a-1,SolanaDevnet,spl:${MINT},,,yes,9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin,10,`,
    ].join('\r\n');
    const result = parseBatchCsv(csv);
    assert.equal(result.ok, true, JSON.stringify(result));
    const rows = result.ok ? result.rows : [];
    assert.deepEqual(rows[0]?.body.asset, { kind: 'Erc20', contract: USDC, symbol: 'USDC', decimals: 6 });
    assert.equal(rows[0]?.body.reference, undefined);
    assert.deepEqual(rows[1]?.body.asset, { kind: 'Native' });
    assert.equal(rows[1]?.body.reference, 'payout, with comma');
    assert.deepEqual(rows[2]?.body.asset, { kind: 'Spl', mint: MINT, createDestinationAccount: true });
  });

  it('reads spl2022:MINT as a Token-2022 asset, with the allowOwnerOffCurve column', () => {
    const csv = [
      'key,walletId,network,asset,createDestinationAccount,allowOwnerOffCurve,to,amount',
      // @solana/spl-token's test ATA (a PDA) as the recipient, opted in.
      `r1,wa-a-1,SolanaDevnet,SPL2022:${MINT},yes,yes,DShWnroshVbeUp28oopA3Pu7oFPDBtC1DBmPECXXAQ9n,10`,
      `r2,wa-a-1,SolanaDevnet,spl2022:${MINT},yes,,DShWnroshVbeUp28oopA3Pu7oFPDBtC1DBmPECXXAQ9n,10`,
    ].join('\n');
    const result = parseBatchCsv(csv);
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.problems.map(rowProblemField), ['row 2.to']);
    const accepted = parseBatchCsv(csv.split('\n').slice(0, 2).join('\n'));
    assert.deepEqual(accepted.ok ? accepted.rows[0]?.body.asset : accepted.problems, {
      kind: 'Spl2022',
      mint: MINT,
      createDestinationAccount: true,
      allowOwnerOffCurve: true,
    });
  });

  it('names each bad cell once, by row and column; an unknown column is an unknown field', () => {
    const csv = [
      'key,network,asset,to,amount,colour',
      `r1,BaseSepolia,gold,${TO},5,`,
      `r2,BaseSepolia,native,${TO},5,red`,
    ].join('\n');
    const result = parseBatchCsv(csv);
    assert.equal(result.ok, false);
    const fields = result.ok ? [] : result.problems.map(rowProblemField);
    assert.deepEqual(fields, ['row 1.asset', 'row 1.walletId', 'row 2.colour', 'row 2.walletId']);
  });

  it('reports a malformed file as a whole', () => {
    const result = parseBatchCsv('key,amount\n"r1,5\n');
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.problems.map(rowProblemField), ['(csv)']);
  });

  it('writes the report with a header and quotes what needs quoting', () => {
    const csv = reportCsv([
      {
        row: 1,
        key: 'r1',
        paymentId: 'payment:b.r1',
        status: 'Rejected',
        asset: 'BaseSepolia:Native',
        amount: '5',
        reason: 'Policy "cap", blocked',
      },
    ]);
    assert.equal(
      csv,
      'row,key,paymentId,status,asset,amount,transferId,txHash,reason,failureType\n' +
        '1,r1,payment:b.r1,Rejected,BaseSepolia:Native,5,,,"Policy ""cap"", blocked",\n',
    );
  });
});

describe('progress line', () => {
  it('draws the final share of rows and every non-zero status', () => {
    const byStatus = emptyTallies();
    byStatus.Confirmed.count = 6;
    byStatus.Rejected.count = 2;
    byStatus.InFlight.count = 4;
    byStatus.Pending.count = 4;
    const progress = { total: 16, byStatus } as BatchProgress;
    assert.equal(
      progressLine(progress),
      '[████████████░░░░░░░░░░░░] 8/16 · Confirmed 6 · Rejected 2 · in flight 4 · pending 4',
    );
  });
});
