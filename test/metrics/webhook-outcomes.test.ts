import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApp } from '../../src/app';
import { DFNS_SIGNATURE_HEADER, signDfnsWebhook } from '../../src/dfns/webhook-signature';
import { createAppMetrics } from '../../src/observability/app-metrics';
import { AppMetric, WEBHOOK_OUTCOMES } from '../../src/observability/metric-names';
import type { PaymentSignaler } from '../../src/temporal/payment-signaler';
import { captureLogs } from '../logging/log-capture';
import { parseSamples, sumOf } from './prometheus-text';

const SECRET = 'whsec_metrics_test_3b9d';
const NOW_MS = Date.parse('2025-01-01T00:10:00.000Z');

const envelope = (externalId: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    id: 'whe-1',
    kind: 'wallet.transfer.broadcasted',
    date: '2025-01-01T00:09:30.000Z',
    timestampSent: NOW_MS / 1000 - 5,
    data: {
      transferRequest: {
        id: 'xfr-1',
        walletId: 'wa-1',
        network: 'EthereumSepolia',
        status: 'Broadcasted',
        externalId,
        txHash: '0xabc',
        dateRequested: '2025-01-01T00:00:00.000Z',
      },
    },
    ...extra,
  });

/** An approval event that names no transfer of ours, so the bridge must look its payment up (and finds none). */
const approvalEvent = (date: string): string =>
  JSON.stringify({
    id: 'whe-2',
    kind: 'policy.approval.pending',
    date,
    timestampSent: NOW_MS / 1000 - 5,
    data: { approval: { id: 'ap-unknown', status: 'Pending', decisions: [] } },
  });

describe('webhook delivery metrics', () => {
  it('counts each delivery once by what the bridge did, and times the accepted ones', async () => {
    const signaler: PaymentSignaler = {
      signal: (paymentId) => {
        if (paymentId === 'payment:closed') return Promise.resolve('closed');
        if (paymentId === 'payment:nope') return Promise.resolve('unknown');
        if (paymentId === 'payment:down') return Promise.reject(new Error('14 UNAVAILABLE'));
        return Promise.resolve('delivered');
      },
      findPayment: () => Promise.resolve(undefined),
    };
    const metrics = createAppMetrics();
    const { logger } = captureLogs();
    const app = createApp({
      metrics,
      webhook: { secrets: [SECRET], toleranceSeconds: 300, signaler, logger, now: () => NOW_MS },
    });
    const post = (body: string, signature: string | null = signDfnsWebhook(body, SECRET)) =>
      app.request('/webhooks/dfns', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature ? { [DFNS_SIGNATURE_HEADER]: signature } : {}) },
        body,
      });
    const answers = [
      await post(envelope('payment:ok:a1')), // accepted
      await post(envelope('payment:ok:a1'), signDfnsWebhook(envelope('payment:ok:a1'), 'wrong')), // bad_signature
      await post(envelope('payment:ok:a1', { timestampSent: NOW_MS / 1000 - 3600 })), // stale
      await post('{"not json'), // malformed
      await post(envelope('payment:ok:a1', { kind: 'wallet.created', data: {} })), // ignored
      await post(envelope('payment:closed:a1')), // late
      await post(envelope('payment:nope:a1')), // unknown_payment
      await post(envelope('payment:down:a1')), // temporal_unavailable
      await post('x'.repeat(1024 * 1024 + 1), null), // too_large
      await post(approvalEvent('2025-01-01T00:09:00.000Z')), // not_found_yet: Dfns should redeliver
      await post(approvalEvent('2024-12-31T00:00:00.000Z')), // unroutable: past the redelivery window
    ].map((response) => response.status);
    assert.deepEqual(answers, [200, 401, 401, 400, 200, 200, 200, 503, 413, 503, 200]);
    assert.equal((await app.request('/webhooks/dfns')).status, 404, 'a GET is not a delivery');

    const samples = parseSamples(await metrics.registry.metrics());
    const counted = Object.fromEntries(
      WEBHOOK_OUTCOMES.map((outcome) => [outcome, sumOf(samples, AppMetric.webhookDeliveries, { outcome })]),
    );
    assert.deepEqual(counted, {
      accepted: 1,
      bad_signature: 1,
      stale: 1,
      malformed: 1,
      too_large: 1,
      ignored: 1,
      late: 1,
      unknown_payment: 1,
      temporal_unavailable: 1,
      not_found_yet: 1,
      unroutable: 1,
      error: 0,
    });
    assert.equal(sumOf(samples, `${AppMetric.webhookSignalLatency}_count`), 1);
    assert.equal(
      sumOf(samples, 'http_requests_total', { route: '/webhooks/dfns', status: '401' }),
      2,
      'HTTP metrics by route',
    );
  });
});
