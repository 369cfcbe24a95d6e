import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driftFindings, emptyTally, sameBalances, tallyHistory } from '../../src/contracts/balance-drift';
import { assetKey, type HistoryFact } from '../../src/contracts/reconciliation-facts';

const USDC = '0x1c7d4b196cb0c7b01d743fbc6116a902379c7238';
const event = (fields: Partial<HistoryFact>): HistoryFact => ({
  key: `${fields.txHash ?? '0x1'}::${fields.direction ?? 'Out'}:NativeTransfer`,
  direction: 'Out',
  asset: 'Native',
  value: '0',
  txHash: '0x1',
  timestamp: '2026-01-01T00:00:00.000Z',
  ...fields,
});

describe('the balance identity', () => {
  it('adds incoming value, subtracts outgoing value and the fee of each outgoing transaction once', () => {
    const tally = tallyHistory(emptyTally(), [
      event({ direction: 'In', asset: USDC, value: '5000000', fee: '999' }), // the sender's fee
      event({ txHash: '0xa', asset: USDC, value: '2500000', fee: '65000' }),
      event({ txHash: '0xb', value: '1000', fee: '21000' }),
      event({ txHash: '0xb', value: '7', fee: '21000', key: '0xb:1:Out:NativeTransfer' }), // same transaction
      event({ txHash: '0xc', value: '0', fee: '42000' }), // a revert: nothing moved, the fee burnt
    ]);
    assert.deepEqual(tally.net, { [USDC]: '2500000', Native: String(-1000 - 7 - 65000 - 21000 - 42000) });
    assert.equal(tally.events, 5);
  });

  it("pays a transaction's fee once when its events straddle two pages", () => {
    const first = tallyHistory(emptyTally(), [event({ txHash: '0xd', value: '1', fee: '10' })]);
    const second = tallyHistory(first, [event({ txHash: '0xd', value: '2', fee: '10', key: 'other' })]);
    assert.equal(second.net.Native, String(-1 - 2 - 10));
  });

  it('finds no drift when the history explains the balance, and the unexplained difference otherwise', () => {
    const checkpoint = { Native: '100000', [USDC]: '10' };
    const tally = tallyHistory(emptyTally(), [event({ value: '1000', fee: '9000' })]);
    assert.deepEqual(driftFindings('wa-1', checkpoint, tally, { Native: '90000', [USDC]: '10' }, 'run-2'), []);
    const [drift, ...rest] = driftFindings('wa-1', checkpoint, tally, { Native: '89000', [USDC]: '10' }, 'run-2');
    assert.deepEqual(rest, []);
    assert.equal(drift?.id, 'balance_drift:wa-1:Native:run-2');
    assert.deepEqual(drift?.differences, [{ field: 'balance', orchestrator: '90000', dfns: '89000' }]);
    assert.match(drift?.summary ?? '', /-1000 unexplained/);
  });

  it('treats an asset missing from one side as zero', () => {
    assert.ok(sameBalances({ Native: '0' }, {}));
    assert.ok(!sameBalances({ Native: '1' }, {}));
    const [drift] = driftFindings('wa-1', {}, emptyTally(), { [USDC]: '5' }, 'run-3');
    assert.equal(drift?.asset, USDC);
  });

  it('names EVM contracts in lower case and keeps base58 ids as they are', () => {
    assert.equal(assetKey('Erc20', '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238'), USDC);
    assert.equal(
      assetKey('Spl', '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU'),
      '4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU',
    );
    assert.equal(assetKey('Native'), 'Native');
  });
});
