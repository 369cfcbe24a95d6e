import { WorkflowNotFoundError } from '@temporalio/client';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PaymentConflictError, PaymentValidationError } from '../../src/client/payment-errors';
import { paymentIdFor, transferExternalId } from '../../src/contracts/payment-id';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import { PaymentStatusKey } from '../../src/contracts/search-attributes';
import { signDfnsWebhook } from '../../src/dfns/webhook-signature';
import { countHistoryActions, describeActions } from '../../src/observability/history-actions';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

describe('one payment end to end on the real parts', { timeout: 180_000 }, () => {
  let stack: PaymentStack;

  before(async () => {
    // Polling starts only after a minute of silence, so reaching Confirmed here proves the webhooks did it.
    stack = await startPaymentStack({ timeScale: 10 });
  });
  after(async () => {
    await stack?.stop();
  });

  const usdc = (key: string, amount = '1500000'): PaymentRequest => ({
    idempotencyKey: key,
    walletId: stack.sandbox.bootstrap.walletId,
    network: stack.sandbox.bootstrap.network as PaymentRequest['network'],
    asset: { kind: 'Erc20', contract: stack.sandbox.bootstrap.erc20.contract, symbol: 'USDC', decimals: 6 },
    to: RECIPIENT,
    amount,
    reference: `payout ${key}`,
  });

  it('confirms a payment through Dfns webhooks, with exactly one transfer in Dfns', async () => {
    const request = usdc('e2e-happy');
    const started = await stack.client.start(request);
    assert.deepEqual(started, { paymentId: paymentIdFor('e2e-happy'), created: true });

    const outcome = await stack.client.waitForOutcome(started.paymentId);
    assert.equal(outcome.status, 'Confirmed');
    assert.match(outcome.txHash ?? '', /^0x[0-9a-f]{64}$/);

    const state = await stack.client.getState(started.paymentId);
    const applied = state.timeline.filter((entry) => entry.applied);
    assert.deepEqual(
      applied.map((entry) => entry.status),
      ['Accepted', 'Submitted', 'Broadcasted', 'Confirmed'],
    );
    // Dfns may send wallet.transfer.requested before transferAsset has answered, so either one can move the payment
    // to Submitted (the other is then recorded, not applied); everything after it comes by webhook.
    assert.ok(['submit', 'webhook'].includes(applied[1]?.source ?? ''), `Submitted by ${applied[1]?.source}`);
    assert.deepEqual(
      applied.map((entry) => entry.source),
      ['workflow', applied[1]?.source, 'webhook', 'webhook'],
    );
    assert.equal(
      state.timeline.filter((entry) => entry.source === 'poll').length,
      0,
      'the happy path never polls Dfns',
    );
    const { counts } = (await (await fetch(`${stack.sandbox.url}/_sandbox/requests`)).json()) as {
      counts: Record<string, number>;
    };
    const reads = Object.entries(counts).filter(([route]) => route.startsWith('GET '));
    assert.deepEqual(reads, [], 'Dfns saw no GET at all');
    assert.equal(counts['POST /wallets/:walletId/transfers'], 1, 'one transferAsset');

    const ours = (await stack.sandboxTransfers()).filter(
      (t) => t.externalId === transferExternalId(started.paymentId, 1),
    );
    assert.equal(ours.length, 1);
    assert.equal(ours[0]?.status, 'Confirmed');
    assert.equal(ours[0]?.id, outcome.transferId);

    const description = await stack.env.client.workflow.getHandle(started.paymentId).describe();
    assert.equal(description.typedSearchAttributes.get(PaymentStatusKey), 'Confirmed');
    // Through the real bridge: Dfns sent requested, broadcasted and confirmed; requested told the payment nothing
    // its submission had not, so only the other two were signalled. 8 actions, as test/workflows/lean-actions.test.ts.
    const handle = stack.env.client.workflow.getHandle(started.paymentId);
    const actions = countHistoryActions((await handle.fetchHistory()).events ?? []);
    assert.equal(actions.signals, 2, describeActions(actions));
    assert.equal(actions.total, 8, describeActions(actions));
  });

  it('returns the same payment for the same key and request, and starts no second transfer', async () => {
    const request = usdc('e2e-again');
    const first = await stack.client.start(request);
    const second = await stack.client.start({ ...request });
    assert.deepEqual(second, { paymentId: first.paymentId, created: false });
    await stack.client.waitForOutcome(first.paymentId);

    const third = await stack.client.start(request); // after the payment closed, too
    assert.deepEqual(third, { paymentId: first.paymentId, created: false });
    await assert.rejects(stack.client.start(usdc('e2e-again', '2000000')), PaymentConflictError);

    const ours = (await stack.sandboxTransfers()).filter((t) => t.externalId?.startsWith(`${first.paymentId}:`));
    assert.equal(ours.length, 1);
  });

  it('refuses a forged or replayed webhook, and the payment ends as Dfns says', async () => {
    const request = usdc('e2e-forged');
    const { paymentId } = await stack.client.start(request);
    const envelope = (timestampSent: number) =>
      JSON.stringify({
        id: 'whe-forged',
        kind: 'wallet.transfer.failed',
        date: new Date().toISOString(),
        timestampSent,
        data: {
          transferRequest: {
            id: 'xfr-forged',
            walletId: request.walletId,
            status: 'Failed',
            reason: 'forged',
            externalId: transferExternalId(paymentId, 1),
          },
        },
      });
    const post = (body: string, signature?: string) =>
      fetch(`${stack.bridgeUrl}/webhooks/dfns`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'x-dfns-webhook-signature': signature } : {}),
        },
        body,
      });
    const now = Math.floor(Date.now() / 1000);
    const wrongSecret = await post(envelope(now), signDfnsWebhook(envelope(now), 'not-the-secret'));
    const unsigned = await post(envelope(now));
    const stale = envelope(now - 3600);
    const replayed = await post(stale, signDfnsWebhook(stale, stack.sandbox.bootstrap.webhookSecret));
    assert.deepEqual([wrongSecret.status, unsigned.status, replayed.status], [401, 401, 401]);
    const body = (await wrongSecret.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'invalid_signature');

    const outcome = await stack.client.waitForOutcome(paymentId);
    assert.equal(outcome.status, 'Confirmed');
    const state = await stack.client.getState(paymentId);
    assert.equal(
      state.timeline.some((entry) => entry.deliveryId === 'whe-forged' || entry.note?.includes('forged')),
      false,
    );
  });

  it('acknowledges a webhook for a closed payment as late, and one for a payment that never existed apart', async () => {
    const { paymentId } = await stack.client.start(usdc('e2e-late'));
    await stack.client.waitForOutcome(paymentId);
    const deliver = async (externalId: string) => {
      const body = JSON.stringify({
        id: `whe-${externalId}`,
        kind: 'wallet.transfer.confirmed',
        date: new Date().toISOString(),
        timestampSent: Math.floor(Date.now() / 1000),
        data: { transferRequest: { id: 'xfr-late', walletId: 'wa-late', status: 'Confirmed', externalId } },
      });
      const response = await fetch(`${stack.bridgeUrl}/webhooks/dfns`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-dfns-webhook-signature': signDfnsWebhook(body, stack.sandbox.bootstrap.webhookSecret),
        },
        body,
      });
      return { status: response.status, body: await response.json() };
    };
    assert.deepEqual(await deliver(transferExternalId(paymentId, 1)), {
      status: 200,
      body: { status: 'late', paymentId },
    });
    assert.deepEqual(await deliver('payment:nope:a1'), {
      status: 200,
      body: { status: 'unknown_payment', paymentId: 'payment:nope' },
    });
    await assert.rejects(stack.env.client.workflow.getHandle('payment:nope').describe(), WorkflowNotFoundError);
  });

  it('refuses bad input before any workflow starts', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['negative', { amount: '-5' }, 'amount'],
      ['decimal', { amount: '1.5' }, 'amount'],
      ['words', { amount: 'ten' }, 'amount'],
      ['huge', { amount: (1n << 256n).toString() }, 'amount'],
      ['network', { network: 'Dogecoin' }, 'network'],
      ['address', { to: '0x1234' }, 'to'],
      ['checksum', { to: RECIPIENT.replace('fB', 'Fb') }, 'to'],
    ];
    for (const [key, patch, field] of cases) {
      const error = await stack.client.start({ ...usdc(`bad-${key}`), ...patch }).then(
        () => assert.fail(`${key} was accepted`),
        (e: unknown) => e,
      );
      assert.ok(error instanceof PaymentValidationError, `${key}: ${String(error)}`);
      assert.deepEqual(
        error.issues.map((issue) => issue.field),
        [field],
        key,
      );
      await assert.rejects(
        stack.env.client.workflow.getHandle(paymentIdFor(`bad-${key}`)).describe(),
        WorkflowNotFoundError,
      );
    }
    const { idempotencyKey: _omitted, ...withoutKey } = usdc('unused');
    await assert.rejects(
      stack.client.start(withoutKey),
      (e: unknown) => e instanceof PaymentValidationError && e.issues[0]?.field === 'idempotencyKey',
    );
  });
});
