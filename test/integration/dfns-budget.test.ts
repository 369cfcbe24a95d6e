import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
/** The sandbox's limit (48 requests a second), and the worker's Dfns budget set to the same. */
const LIMIT_PER_MINUTE = 2_880;
/**
 * The sandbox counts the limit over a sliding 20 s window, not a minute: the same rate, with a third of the burst
 * allowed, so that a burst of 400 payments already needs more than a window's allowance (960 requests).
 */
const WINDOW_SECONDS = 20;
const WINDOW_ALLOWANCE = (LIMIT_PER_MINUTE * WINDOW_SECONDS) / 60;
const PAYMENTS = 400;

/**
 * A burst of 400 payments at once: 1,200 signed-call requests, more than the sandbox allows in its window. With the
 * worker's Dfns budget set to the sandbox's limit, the cost-class queues pace the submissions and the sandbox
 * never answers 429.
 */
describe('the Dfns budget under a burst of 400 payments', { timeout: 600_000 }, () => {
  let stack: PaymentStack;
  before(async () => {
    stack = await startPaymentStack({
      timeScale: 60,
      rateLimitPerMinute: LIMIT_PER_MINUTE,
      rateLimitWindowSeconds: WINDOW_SECONDS,
      dfnsRequestsPerSecond: LIMIT_PER_MINUTE / 60,
    });
  });
  after(async () => stack?.stop());

  it('submits every payment and the sandbox never answers 429', async () => {
    const request = (i: number): PaymentRequest => ({
      idempotencyKey: `burst-${i}`,
      walletId: stack.sandbox.bootstrap.walletId,
      network: 'EthereumSepolia',
      asset: { kind: 'Native' },
      to: RECIPIENT,
      amount: '1',
    });
    for (let i = 0; i < PAYMENTS; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => stack.client.start(request(i + j))));
    }
    const started = Date.now();
    let submitted = 0;
    for (let polls = 0; submitted < PAYMENTS && polls < 480; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      submitted = (await stack.sandboxTransfers()).filter((t) => t.externalId?.startsWith('payment:burst-')).length;
    }
    const seconds = (Date.now() - started) / 1000;
    const { counts, rateLimited } = (await (await fetch(`${stack.sandbox.url}/_sandbox/requests`)).json()) as {
      counts: Record<string, number>;
      rateLimited: number;
    };
    console.log(
      `${submitted} transfers in ${seconds.toFixed(0)} s; requests ${JSON.stringify(counts)}; 429s ${rateLimited}`,
    );
    assert.equal(submitted, PAYMENTS, 'every payment reached Dfns');
    assert.equal(rateLimited, 0, 'the sandbox never answered 429');
    const requests = Object.values(counts).reduce((sum, n) => sum + n, 0);
    assert.ok(requests > WINDOW_ALLOWANCE, `the burst needed more than a window's allowance (${requests} requests)`);
  });
});
