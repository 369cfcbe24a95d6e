import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createInitialState } from '../../sandbox/src/bootstrap';
import { createChainClock } from '../../sandbox/src/chain-clock';
import type { PolicyGate } from '../../sandbox/src/policy-gate';
import { createScheduler } from '../../sandbox/src/scheduler';
import type { TransferRecord } from '../../sandbox/src/state';
import { createStateStore } from '../../sandbox/src/state-store';

function harness(policyGate: PolicyGate) {
  const store = createStateStore(createInitialState(Date.now(), 'http://127.0.0.1:1/unused'), undefined);
  const scheduler = createScheduler();
  const emitted: string[] = [];
  const chain = createChainClock({
    store,
    scheduler,
    dispatcher: { emit: (kind) => emitted.push(kind) },
    policyGate,
    now: Date.now,
    timeScale: 1000,
    blockTimeMs: 2000,
    confirmations: 2,
  });
  const wallet = store.state.wallets[0];
  assert.ok(wallet);
  const record: TransferRecord = {
    transfer: {
      id: 'xfr-aaaaa-bbbbb-cccccccccccccccc',
      walletId: wallet.id,
      network: wallet.network,
      requester: { userId: store.state.bootstrap.userId },
      requestBody: { kind: 'Native', to: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', amount: '1' },
      metadata: { asset: {} },
      status: 'Pending',
      dateRequested: new Date().toISOString(),
    },
    nextStepAt: null,
  };
  store.state.transfers.push(record);
  return { chain, record, emitted, scheduler };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('chain clock policy seam', () => {
  it('ends a transfer Rejected with the reason when the gate rejects it', async () => {
    const { chain, record, emitted, scheduler } = harness(() => ({ outcome: 'Rejected', reason: 'Blocked by policy' }));
    chain.start(record);
    await settle();
    scheduler.stop();
    assert.equal(record.transfer.status, 'Rejected');
    assert.equal(record.transfer.reason, 'Blocked by policy');
    assert.ok(record.transfer.datePolicyResolved);
    assert.equal(record.nextStepAt, null);
    assert.deepEqual(emitted, ['wallet.transfer.rejected']);
  });

  it('leaves a transfer Pending with its approvalId when the gate waits for people', async () => {
    const { chain, record, emitted, scheduler } = harness(() => ({ outcome: 'Pending', approvalId: 'ap-1' }));
    chain.start(record);
    await settle();
    scheduler.stop();
    assert.equal(record.transfer.status, 'Pending');
    assert.equal(record.transfer.approvalId, 'ap-1');
    assert.equal(record.nextStepAt, null);
    assert.deepEqual(emitted, []);
  });

  it('walks an approved transfer to Confirmed, emitting broadcasted then confirmed', async () => {
    const { chain, record, emitted, scheduler } = harness(() => ({ outcome: 'Approved' }));
    chain.start(record);
    await settle();
    scheduler.stop();
    assert.equal(record.transfer.status, 'Confirmed');
    assert.deepEqual(emitted, ['wallet.transfer.broadcasted', 'wallet.transfer.confirmed']);
  });
});
