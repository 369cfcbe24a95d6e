// The app's metrics live on a listener of their own (src/observability/metrics-listener.ts), never on the API's port.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config';
import { createAppMetrics } from '../../src/observability/app-metrics';
import { AppMetric } from '../../src/observability/metric-names';
import { listenForMetrics } from '../../src/observability/metrics-listener';
import { apiHarness } from '../api/api-harness';
import { scrape, sumOf } from './prometheus-text';

describe('the app metrics listener', () => {
  it('is absent from the API port: /metrics there is a 404 problem document, with or without a key', async () => {
    const h = apiHarness();
    for (const key of [undefined, h.keys.acme]) {
      const res = await h.request('/metrics', key ? { key } : {});
      assert.equal(res.status, 404);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      assert.equal(res.json.type, 'urn:problem:payments:not_found');
      assert.ok(!res.text.includes(AppMetric.webhookDeliveries), 'no metric leaks into the answer');
    }
  });

  it('serves GET /metrics on its own address, and nothing else', async () => {
    const metrics = createAppMetrics({
      processMetrics: false,
      payments: { count: () => Promise.resolve(4), approvalTimeoutMinutes: 60, approvalWarningMinutes: 10 },
    });
    const listener = await listenForMetrics(metrics, '127.0.0.1:0');
    try {
      assert.match(listener.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const { samples } = await scrape(listener.url);
      assert.equal(sumOf(samples, AppMetric.paymentsByStatus, { status: 'Broadcasted' }), 4);
      assert.equal(sumOf(samples, AppMetric.webhookDeliveries), 0, 'the webhook counters are declared at 0');
      const other = await fetch(listener.url.replace('/metrics', '/v1/payments'));
      assert.equal(other.status, 404);
      assert.equal(other.headers.get('content-type'), 'text/plain; charset=UTF-8');
    } finally {
      await listener.close();
    }
  });

  it('refuses an address it cannot listen on, naming APP_METRICS_ADDRESS', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      await assert.rejects(listenForMetrics(createAppMetrics({ processMetrics: false }), `127.0.0.1:${port}`), (e) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /^APP_METRICS_ADDRESS: cannot serve 127\.0\.0\.1:\d+: EADDRINUSE$/);
        return true;
      });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
