// The Dfns activities against a scripted SDK surface: what each call sends, and what the payment records.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDfnsActivities } from '../../activities/dfns-activities';
import { NO_CLIENT_BINDINGS } from '../../src/clients/client-bindings';
import type { DfnsGateway } from '../../src/dfns/dfns-gateway';

const ref = { walletId: 'wa-1', transferId: 'xfr-1' };
const transfer = {
  id: 'xfr-1',
  walletId: 'wa-1',
  status: 'Broadcasted',
  txHash: '0xaaa',
  replacementId: 'tx-9',
  requestBody: { kind: 'Native', to: '0x1', amount: '1', externalId: 'payment:k:a1' },
};

describe('the speed-up activity', () => {
  it('asks Dfns to speed up, then records the transfer it reads, not the replacement transaction Dfns answers', async () => {
    const calls: string[] = [];
    const wallets = {
      speedUpTransfer: async (request: typeof ref) => {
        calls.push(`speedUp ${request.transferId}`);
        return { id: 'tx-9', walletId: 'wa-1', status: 'Broadcasted', requestBody: { kind: 'SpeedUpTransaction' } };
      },
      getTransfer: async (request: typeof ref) => {
        calls.push(`get ${request.transferId}`);
        return transfer;
      },
    };
    const activities = createDfnsActivities({
      dfns: { wallets, policies: {} } as unknown as DfnsGateway,
      payers: { clients: NO_CLIENT_BINDINGS, pools: [] }, // no submission here: reads and a speed-up only
    });
    const update = await activities.speedUpTransfer(ref);
    assert.deepEqual(calls, ['speedUp xfr-1', 'get xfr-1']);
    assert.equal(update.transferId, 'xfr-1');
    assert.equal(update.status, 'Broadcasted');
    assert.equal(update.externalId, 'payment:k:a1');
    assert.equal(update.eventKind, 'speedUpTransfer');
  });
});
