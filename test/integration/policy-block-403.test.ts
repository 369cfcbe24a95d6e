// A policy Block answered as HTTP 403 (the sandbox's `http-403` block mode), through everything real: the SDK
// throws its DfnsError, src/dfns/dfns-failure.ts types it PolicyBlocked from the policy id in the error body,
// and the workflow ends the payment Rejected. A permission 403 on the same path stays Failed (Forbidden).
import { DfnsApiClient } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

describe('a policy Block answered with 403, end to end', { timeout: 300_000 }, () => {
  let stack: PaymentStack;
  let admin: DfnsApiClient;

  before(async () => {
    // A 403 leaves no transfer, so no `policy.triggered` follows it: the payment's wait for one is cut to 2 s.
    stack = await startPaymentStack({
      timeScale: 60,
      blockMode: 'http-403',
      timings: { policyExplanationWaitMs: 2_000 },
    });
    const b = stack.sandbox.bootstrap;
    const signer = new AsymmetricKeySigner({ credId: b.credId, privateKey: b.privateKey });
    admin = new DfnsApiClient({ baseUrl: stack.sandbox.url, authToken: b.authToken, orgId: b.orgId, signer });
  });
  after(async () => stack?.stop());

  const usdc = (key: string, amount: string): PaymentRequest => ({
    idempotencyKey: key,
    walletId: stack.sandbox.bootstrap.walletId,
    network: 'EthereumSepolia',
    asset: { kind: 'Erc20', contract: stack.sandbox.bootstrap.erc20.contract, symbol: 'USDC', decimals: 6 },
    to: RECIPIENT,
    amount,
  });

  it('ends Rejected with the PolicyBlocked type and the policy in the reason; Dfns holds nothing', async () => {
    const policy = await admin.policies.createPolicy({
      body: {
        name: 'freeze',
        activityKind: 'Wallets:Sign',
        rule: { kind: 'TransactionAmountLimit', configuration: { limit: 10, currency: 'USD' } },
        action: { kind: 'Block' },
      },
    });
    const small = await stack.client.start(usdc('under-limit', '1000000'));
    assert.equal((await stack.client.waitForOutcome(small.paymentId)).status, 'Confirmed');

    const { paymentId } = await stack.client.start(usdc('over-limit', '50000000'));
    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Rejected');
    assert.equal(outcome.failureType, 'PolicyBlocked');
    assert.match(outcome.reason ?? '', /Dfns answered 403/);
    assert.ok(outcome.reason?.includes(policy.id), `the reason names the policy: ${outcome.reason}`);
    const held = (await stack.sandboxTransfers()).filter((t) => t.externalId?.startsWith(`${paymentId}:`));
    assert.deepEqual(held, [], 'a 403 Block leaves no transfer');
  });
});
