import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { transferExternalId } from '../../src/contracts/payment-id';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';
import { killTree } from '../support/process-tree';
import { startOurProcess } from '../support/worker-process';

describe('a worker killed mid-submit', { timeout: 300_000 }, () => {
  let stack: PaymentStack;
  const workers: ChildProcess[] = [];
  before(async () => {
    stack = await startPaymentStack({ timeScale: 20, inProcessWorker: false });
  });
  after(async () => {
    for (const child of workers) killTree(child.pid, 'SIGKILL');
    await stack?.stop();
  });

  /** The real worker entry point as its own process, configured for this stack through the environment only. */
  function startWorker(): ChildProcess {
    const { child } = startOurProcess(stack, 'src/worker.ts');
    workers.push(child);
    return child;
  }

  it('leaves exactly one transfer in Dfns and the payment still ends Confirmed', async () => {
    // Dfns creates the transfer, but its answer is held back long enough for the worker to die waiting for it.
    const slow = await fetch(`${stack.sandbox.url}/_sandbox/faults/slow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ delayMs: 20_000, count: 1, method: 'POST', paths: '/wallets/' }),
    });
    assert.ok(slow.ok, await slow.text());
    const first = startWorker();
    const request = {
      idempotencyKey: 'crash-mid-submit',
      walletId: stack.sandbox.bootstrap.walletId,
      network: 'EthereumSepolia' as const,
      asset: { kind: 'Native' as const },
      to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      amount: '1000000000000000',
    };
    const { paymentId } = await stack.client.start(request);
    const externalId = transferExternalId(paymentId, 1);
    const deadline = Date.now() + 60_000;
    while (!(await stack.sandboxTransfers()).some((t) => t.externalId === externalId)) {
      assert.ok(Date.now() < deadline, 'the transfer was never created');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Mid-submit: Dfns has the transfer, the worker never saw the answer. The worker's own process, not only the
    // launcher it started itself from (which would let the worker shut down gracefully).
    killTree(first.pid, 'SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    startWorker(); // the activity times out on the dead worker and is retried here, with the same externalId
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Confirmed');
    const ours = (await stack.sandboxTransfers()).filter((t) => t.externalId?.startsWith(`${paymentId}:`));
    assert.equal(ours.length, 1, 'one transfer: the retry found the one Dfns already had');
    assert.equal(ours[0]?.id, outcome.transferId);
    const state = await stack.client.getState(paymentId);
    assert.equal(state.attempt, 1);
  });
});
