import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { transferExternalId } from '../../src/contracts/payment-id';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import { signDfnsWebhook } from '../../src/dfns/webhook-signature';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

describe('logs of a payment on the real stack', { timeout: 180_000 }, () => {
  let stack: PaymentStack;
  before(async () => {
    stack = await startPaymentStack({ timeScale: 10 });
  });
  after(async () => {
    await stack?.stop();
  });

  it('carry the payment, run, attempt and Dfns ids, and never a key, a token or a signature', async () => {
    const { bootstrap } = stack.sandbox;
    const request: PaymentRequest = {
      idempotencyKey: `logs-${Date.now()}`,
      walletId: bootstrap.walletId,
      network: bootstrap.network as PaymentRequest['network'],
      asset: { kind: 'Erc20', contract: bootstrap.erc20.contract, symbol: 'USDC', decimals: 6 },
      to: RECIPIENT,
      amount: '1500000',
    };
    const { paymentId } = await stack.client.start(request);
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Confirmed');
    // One more signed delivery, a duplicate of the confirmation, so we know a signature value to look for.
    const body = JSON.stringify({
      id: 'whe-logs-dup',
      kind: 'wallet.transfer.confirmed',
      date: new Date().toISOString(),
      timestampSent: Math.floor(Date.now() / 1000),
      data: {
        transferRequest: {
          id: outcome.transferId,
          walletId: bootstrap.walletId,
          status: 'Confirmed',
          externalId: transferExternalId(paymentId, 1),
        },
      },
    });
    const signature = signDfnsWebhook(body, bootstrap.webhookSecret);
    const delivered = await fetch(`${stack.bridgeUrl}/webhooks/dfns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dfns-webhook-signature': signature },
      body,
    });
    assert.ok([200, 400].includes(delivered.status), `bridge answered ${delivered.status}`);

    const { runId } = await stack.env.client.workflow.getHandle(paymentId).describe();
    const records = stack.logs.records();
    const call = records.find(
      (r) => r.msg === 'dfns call' && r.operation === 'submitTransfer' && r.paymentId === paymentId,
    );
    assert.ok(call, 'the activity logged its Dfns call');
    assert.equal(call.runId, runId);
    assert.equal(call.attempt, 1, 'the activity attempt');
    assert.equal(call.paymentAttempt, 1, 'the payment attempt, from the externalId');
    assert.equal(call.externalId, transferExternalId(paymentId, 1));
    assert.equal(call.walletId, bootstrap.walletId);
    assert.equal(call.sdkComponent, 'activity');
    // Workflow log lines reach the runtime logger through a sink, after the workflow task completed: wait for it.
    let final = records.find((r) => r.msg === 'payment final' && r.paymentId === paymentId);
    for (let i = 0; i < 50 && !final; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      final = stack.logs.records().find((r) => r.msg === 'payment final' && r.paymentId === paymentId);
    }
    assert.ok(final, 'the workflow log line came through the same pino logger');
    assert.equal(final.sdkComponent, 'workflow');
    assert.equal(final.runId, runId);
    assert.equal(final.transferId, outcome.transferId);
    assert.equal(final.paymentAttempt, 1);
    assert.ok(
      records.some((r) => r.msg === 'webhook signalled' && r.paymentId === paymentId),
      'the bridge logged the webhooks',
    );

    const everything = stack.logs.lines.join('');
    const pemBody =
      bootstrap.privateKey.split('\n').find((line) => line.length > 20 && !line.startsWith('-----')) ??
      bootstrap.privateKey;
    for (const [what, secret] of [
      ['auth token', bootstrap.authToken],
      ['private key', pemBody],
      ['webhook secret', bootstrap.webhookSecret],
      ['webhook signature', signature.replace(/^sha256=/, '')],
    ] as const) {
      assert.ok(secret.length > 10, what);
      assert.ok(!everything.includes(secret), `a log line carries the ${what}`);
    }
  });
});
