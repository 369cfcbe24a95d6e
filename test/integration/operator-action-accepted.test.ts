// An operator action that outlasts the API call, on the real stack: a payment held on chain is sped up through the
// API while Dfns takes 15 s to answer the speed-up (the sandbox's slow fault). The API answers 202 once the payment
// has accepted the action and the call's 10 s are spent (not 503: Temporal is fine), the speed-up goes on, and the
// payment ends Confirmed by its replacement transaction. Sent again with the same Idempotency-Key it is the same
// speed-up: the timeline holds one. A refused action still answers 409 at once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mintApiKey, parseApiKeyEntry } from '../../src/api/api-keys';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';
import { callApi, type ApiRequest } from '../support/stack-api';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const DFNS_ANSWERS_AFTER_MS = 15_000;

describe('an operator action still at work when the API call ends', { timeout: 180_000 }, () => {
  const acme = mintApiKey('acme', ['payments:write', 'payments:read', 'payments:operate']);
  let stack: PaymentStack;

  const api = (path: string, init?: ApiRequest) => callApi(stack.bridgeUrl, acme.key, path, init);
  /** Starts a 1000-wei payment from the sandbox's wallet under `key`; answers its id. */
  const startPayment = async (key: string) => {
    const started = await api('/v1/payments', {
      method: 'POST',
      idempotencyKey: key,
      json: {
        walletId: stack.sandbox.bootstrap.walletId,
        network: stack.sandbox.bootstrap.network,
        asset: { kind: 'Native' },
        to: RECIPIENT,
        amount: '1000',
      },
    });
    assert.equal(started.status, 201, JSON.stringify(started.json));
    return started.json.paymentId as string;
  };
  /** The payment as the API shows it (the fields this test reads). */
  type PaymentView = { status: string; transferId?: string; txHash?: string; timeline: unknown[] };
  const payment = async (id: string) => (await api(`/v1/payments/${encodeURIComponent(id)}`)).json as PaymentView;
  const until = async (what: string, ok: (state: PaymentView) => boolean, id: string) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const state = await payment(id);
      if (ok(state)) return state;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const fault = async (kind: 'chain' | 'slow', body: unknown) => {
    const response = await fetch(`${stack.sandbox.url}/_sandbox/faults/${kind}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, await response.text());
  };

  before(async () => {
    stack = await startPaymentStack({ timeScale: 10, apiKeys: [parseApiKeyEntry(acme.entry)] });
  });
  after(async () => stack?.stop());

  it('answers 202 once the payment accepted it, and the speed-up goes on to Confirmed', async () => {
    await fault('chain', { mode: 'stall', count: 1 });
    const id = await startPayment('held');
    const held = await until('Broadcasted', (state) => state.status === 'Broadcasted', id);
    assert.ok(held.transferId && held.txHash);
    await fault('slow', {
      delayMs: DFNS_ANSWERS_AFTER_MS,
      count: 1,
      method: 'POST',
      paths: `/wallets/${stack.sandbox.bootstrap.walletId}/transfers/${held.transferId}/speed-up`,
    });

    const speedUp = () =>
      api(`/v1/payments/${encodeURIComponent(id)}/speed-up`, { method: 'POST', idempotencyKey: 'fee-1', json: {} });
    const asked = Date.now();
    const sped = await speedUp();
    const answeredMs = Date.now() - asked;
    assert.equal(sped.status, 202, JSON.stringify(sped.json));
    assert.equal(sped.json.paymentId, id);
    assert.match(sped.json.message as string, /^accepted; the speed-up is still at work/);
    assert.ok(answeredMs >= 9_000 && answeredMs < DFNS_ANSWERS_AFTER_MS, `answered after ${answeredMs} ms`);
    // Sent again with its key, it is the same speed-up: answered for it, not asked for again.
    const again = await speedUp();
    assert.ok(again.status === 200 || again.status === 202, JSON.stringify(again.json));

    const confirmed = await until('Confirmed', (state) => state.status === 'Confirmed', id);
    assert.notEqual(confirmed.txHash, held.txHash, 'confirmed by the replacement transaction');
    // One speed-up, asked for twice with one key.
    const asks = confirmed.timeline.filter((entry) => (entry as { event?: string }).event === 'speed-up requested');
    assert.equal(asks.length, 1, JSON.stringify(confirmed.timeline));
  });

  it('still refuses at once what the payment does not accept (409)', async () => {
    const id = await startPayment('done');
    await until('Confirmed', (state) => state.status === 'Confirmed', id);
    const asked = Date.now();
    const retry = await api(`/v1/payments/${encodeURIComponent(id)}/retry`, { method: 'POST', json: {} });
    assert.equal(retry.status, 409, JSON.stringify(retry.json));
    assert.ok(Date.now() - asked < 5_000);
  });
});
