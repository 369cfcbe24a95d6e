// The worker's check of who pays, before any Dfns call: in the submit and pool activities, with and without a payer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { createDfnsActivities } from '../../activities/dfns-activities';
import { createPoolActivities } from '../../activities/pool-activities';
import { clientBindings } from '../../src/clients/client-bindings';
import { payerProblems } from '../../src/clients/payer-problems';
import { refuseUnboundPayer, type PayerCheckDeps } from '../../src/clients/payer-check';
import { failureDetails, readRefusal } from '../../src/contracts/failure-details';
import { FailureType, NON_RETRYABLE_FAILURE_TYPES } from '../../src/contracts/failure-types';
import { clientOfPaymentId } from '../../src/contracts/payment-id';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import type { PoolDefinition } from '../../src/contracts/pool-definition';
import type { DfnsGateway } from '../../src/dfns/dfns-gateway';

const POOL: PoolDefinition = {
  name: 'a-hot',
  network: 'EthereumSepolia',
  asset: { kind: 'Native' },
  wallets: ['wa-pool-1', 'wa-pool-2'],
  lowBalanceThreshold: '0',
};
const deps: PayerCheckDeps = {
  pools: [POOL],
  clients: clientBindings({
    version: 1,
    clients: [
      { id: 'a', wallets: ['wa-a'], pools: ['a-hot'] },
      { id: 'b', wallets: ['wa-b'], pools: [] },
    ],
    withoutClient: { wallets: ['wa-ops'], pools: [] },
  }),
};
const request = (payer: Partial<PaymentRequest>): PaymentRequest => ({
  idempotencyKey: 'k',
  network: 'EthereumSepolia',
  asset: { kind: 'Native' },
  to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  amount: '1000',
  ...payer,
});

/** Asserts `call` throws a non-retryable WalletNotBound failure whose message matches. */
async function refusedAsUnbound(call: () => unknown, message: RegExp, attempt?: number): Promise<void> {
  await assert.rejects(
    async () => call(),
    (error: unknown) => {
      assert.ok(error instanceof ApplicationFailure, String(error));
      assert.equal(error.type, FailureType.WalletNotBound);
      assert.equal(error.nonRetryable, true);
      assert.match(error.message, message);
      assert.deepEqual(failureDetails(error), attempt === undefined ? {} : { attempt });
      return true;
    },
  );
}

describe('the payer check', () => {
  it('lets each payer pay from its own wallets and pools only', () => {
    const a = deps.clients.of('a');
    assert.deepEqual(payerProblems({ walletId: 'wa-a' }, a), []);
    assert.deepEqual(payerProblems({ pool: 'a-hot' }, a), []);
    assert.deepEqual(payerProblems({ walletId: 'wa-b' }, a), [
      { field: 'walletId', message: 'is not a wallet this client may pay from' },
    ]);
    assert.deepEqual(payerProblems({ walletId: 'wa-b' }, a), payerProblems({ walletId: 'wa-none' }, a));
    assert.deepEqual(payerProblems({ pool: 'a-hot' }, deps.clients.of('b')), [
      { field: 'pool', message: 'is not a pool this client may pay from' },
    ]);
    assert.deepEqual(payerProblems({ walletId: 'wa-ops' }, deps.clients.of(undefined)), []);
    assert.equal(payerProblems({ walletId: 'wa-a' }, deps.clients.of(undefined)).length, 1);
    // As the worker submits a pool payment: the pool's chosen wallet must be one of the pool's.
    assert.deepEqual(payerProblems({ pool: 'a-hot', walletId: 'wa-pool-2' }, a, [POOL]), []);
    assert.deepEqual(payerProblems({ pool: 'a-hot', walletId: 'wa-b' }, a, [POOL]), [
      { field: 'walletId', message: 'is not a wallet of pool "a-hot"' },
    ]);
  });

  it('refuses with WalletNotBound, non-retryable, naming the client, with the activity attempt', async () => {
    assert.ok(NON_RETRYABLE_FAILURE_TYPES.includes(FailureType.WalletNotBound));
    await refusedAsUnbound(
      () => refuseUnboundPayer(deps, 'b', { walletId: 'wa-a' }, 1),
      /^client "b" may not pay from wallet wa-a/,
      1,
    );
    await refusedAsUnbound(
      () => refuseUnboundPayer(deps, undefined, { walletId: 'wa-a' }, 3),
      /^a payment without a client may not pay from wallet wa-a/,
      3,
    );
    await refusedAsUnbound(() => refuseUnboundPayer(deps, 'b', { pool: 'a-hot' }, undefined), /pool a-hot/);
    await refusedAsUnbound(
      () => refuseUnboundPayer(deps, 'a', { pool: 'a-hot', walletId: 'wa-b' }, 1),
      /wallet wa-b is not a wallet of pool a-hot/,
      1,
    );
    assert.doesNotThrow(() => refuseUnboundPayer(deps, 'a', { pool: 'a-hot', walletId: 'wa-pool-1' }, 1));
    // The workflow reads it as any refusal: its type, and the attempt it came from.
    try {
      refuseUnboundPayer(deps, 'b', { walletId: 'wa-a' }, 2);
    } catch (error) {
      assert.deepEqual(readRefusal(error as ApplicationFailure), {
        type: FailureType.WalletNotBound,
        attempt: 2,
        policyBlocked: false,
      });
    }
  });

  it('names the client of a payment id, and none for one without', () => {
    assert.equal(clientOfPaymentId('payment:acme:payout-1'), 'acme');
    assert.equal(clientOfPaymentId('payment:acme:batch-1.r1'), 'acme');
    assert.equal(clientOfPaymentId('payment:payout-1'), undefined);
    assert.equal(clientOfPaymentId('batch:acme:payroll'), undefined);
    assert.equal(clientOfPaymentId('payment:acme:'), undefined);
    assert.equal(clientOfPaymentId('payment:a:b:c'), undefined);
  });
});

describe('the submit and pool activities check the payer before anything else', () => {
  const dfnsCalls: string[] = [];
  const wallets = new Proxy(
    {},
    {
      get: (_target, name) => () => {
        dfnsCalls.push(String(name));
        return Promise.reject(new Error('Dfns must not be called'));
      },
    },
  );
  const activities = createDfnsActivities({ dfns: { wallets, policies: {} } as unknown as DfnsGateway, payers: deps });

  it('submitTransfer refuses a wallet its payer may not pay from without calling Dfns', async () => {
    const externalId = 'payment:b:k:a1';
    await refusedAsUnbound(
      () => activities.submitTransfer({ request: request({ walletId: 'wa-a' }), externalId, payer: { clientId: 'b' } }),
      /client "b" may not pay from wallet wa-a/,
    );
    // A payer sent without a client id is a payment without a client: checked, never skipped.
    await refusedAsUnbound(
      () => activities.submitTransfer({ request: request({ walletId: 'wa-a' }), externalId, payer: {} }),
      /a payment without a client/,
    );
    // Outside a workflow, an input with no payer at all has no client either.
    await refusedAsUnbound(
      () => activities.submitTransfer({ request: request({ walletId: 'wa-b' }), externalId }),
      /a payment without a client may not pay from wallet wa-b/,
    );
    assert.deepEqual(dfnsCalls, []);
    // The owner's submission reaches Dfns.
    await assert.rejects(
      activities.submitTransfer({ request: request({ walletId: 'wa-b' }), externalId, payer: { clientId: 'b' } }),
    );
    assert.deepEqual(dfnsCalls, ['transferAsset']);
  });

  it("reservePoolWallet refuses another client's pool without asking (or starting) the pool", async () => {
    const temporalCalls: string[] = [];
    const temporal = {
      workflow: {
        executeUpdateWithStart: () => {
          temporalCalls.push('executeUpdateWithStart');
          return Promise.resolve({ walletId: 'wa-pool-1' });
        },
      },
    } as unknown as Client;
    const pool = createPoolActivities({
      temporal,
      pools: [POOL],
      clients: deps.clients,
      taskQueue: 'q',
      refillWaitMs: 1,
    });
    const ask = { paymentId: 'payment:b:k', request: { ...request({ pool: 'a-hot' }) }, exclude: [], updateId: 'u' };
    await refusedAsUnbound(() => pool.reservePoolWallet({ ...ask, payer: { clientId: 'b' } }), /pool a-hot/);
    await refusedAsUnbound(() => pool.reservePoolWallet({ ...ask, payer: {} }), /a payment without a client/);
    assert.deepEqual(temporalCalls, []);
    const answer = await pool.reservePoolWallet({ ...ask, payer: { clientId: 'a' } });
    assert.ok('walletId' in answer && answer.walletId === 'wa-pool-1');
    assert.deepEqual(temporalCalls, ['executeUpdateWithStart']);
  });
});
