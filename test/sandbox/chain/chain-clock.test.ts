import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createInitialState } from '../../../sandbox/src/bootstrap/bootstrap';
import { createChainClock } from '../../../sandbox/src/chain/chain-clock';
import type { ChainFaultMode } from '../../../sandbox/src/faults/fault-schema';
import { createScheduler } from '../../../sandbox/src/chain/scheduler';
import { createStateStore } from '../../../sandbox/src/state/state-store';
import { createTimeControl } from '../../../sandbox/src/state/time-control';
import type { TransferRecord } from '../../../sandbox/src/wallets/transfer-schema';

function harness(network: string, fault?: ChainFaultMode) {
  const store = createStateStore(createInitialState(Date.now(), 'http://127.0.0.1:1/unused'), undefined);
  if (fault) store.state.faults.chain.push({ mode: fault, remaining: 1 });
  const scheduler = createScheduler();
  const emitted: string[] = [];
  const chain = createChainClock({
    store,
    scheduler,
    dispatcher: { emit: (kind) => emitted.push(kind) },
    time: createTimeControl(1000),
    confirmations: 2,
  });
  const wallet = store.state.wallets.find((candidate) => candidate.network === network);
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
  return { chain, record, emitted, scheduler, store };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Lets the clock's steps run (60 ms at a time scale of 1,000), and on a loaded machine until the transfer
 * reaches `status` (at most 10 s): the assertions after it then say what it reached. */
async function settle(record?: TransferRecord, status?: string): Promise<void> {
  await sleep(60);
  for (let waited = 0; record && status && record.transfer.status !== status && waited < 10_000; waited += 10)
    await sleep(10);
}

describe('chain clock', () => {
  it('walks a transfer to Confirmed, emitting broadcasted then confirmed', async () => {
    const { chain, record, emitted, scheduler } = harness('EthereumSepolia');
    chain.start(record);
    await settle(record, 'Confirmed');
    scheduler.stop();
    assert.equal(record.transfer.status, 'Confirmed');
    assert.equal(record.nonce, 0);
    assert.deepEqual(emitted, ['wallet.transfer.broadcasted', 'wallet.transfer.confirmed']);
  });

  it('confirms on BaseSepolia without a confirmed webhook', async () => {
    const { chain, record, emitted, scheduler } = harness('BaseSepolia');
    chain.start(record);
    await settle(record, 'Confirmed');
    scheduler.stop();
    assert.equal(record.transfer.status, 'Confirmed');
    assert.ok(record.transfer.dateConfirmed);
    assert.deepEqual(emitted, ['wallet.transfer.broadcasted']);
  });

  it('fails before broadcast (no txHash) when that chain fault is armed, and consumes it', async () => {
    const { chain, record, emitted, scheduler, store } = harness('EthereumSepolia', 'fail-before-broadcast');
    chain.start(record);
    await settle(record, 'Failed');
    scheduler.stop();
    assert.equal(record.transfer.status, 'Failed');
    assert.equal(record.transfer.reason, 'Transaction failed before broadcast');
    assert.equal(record.transfer.txHash, undefined);
    assert.deepEqual(emitted, ['wallet.transfer.failed']);
    assert.deepEqual(store.state.faults.chain, []);
  });

  it('fails on chain with a txHash when that chain fault is armed', async () => {
    const { chain, record, emitted, scheduler } = harness('EthereumSepolia', 'fail-on-chain');
    chain.start(record);
    await settle(record, 'Failed');
    scheduler.stop();
    assert.equal(record.transfer.status, 'Failed');
    assert.equal(record.transfer.reason, 'Transaction reverted on chain');
    assert.match(record.transfer.txHash ?? '', /^0x[0-9a-f]{64}$/);
    assert.deepEqual(emitted, ['wallet.transfer.broadcasted', 'wallet.transfer.failed']);
  });

  it('stalls a transfer in Broadcasted until it is sped up', async () => {
    const { chain, record, scheduler } = harness('EthereumSepolia', 'stall');
    chain.start(record);
    await settle(record, 'Broadcasted');
    assert.equal(record.transfer.status, 'Broadcasted');
    assert.equal(record.nextStepAt, null);
    chain.speedUp(record);
    await settle(record, 'Confirmed');
    scheduler.stop();
    assert.equal(record.transfer.status, 'Confirmed');
  });

  it('halts a transfer: no further step runs', async () => {
    const { chain, record, emitted, scheduler } = harness('EthereumSepolia');
    chain.execute(record);
    assert.equal(record.transfer.status, 'Executing');
    chain.halt(record);
    await settle();
    scheduler.stop();
    assert.equal(record.transfer.status, 'Executing');
    assert.deepEqual(emitted, []);
  });
});
