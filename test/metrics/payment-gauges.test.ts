import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAppMetrics } from '../../src/observability/app-metrics';
import { AppMetric } from '../../src/observability/metric-names';
import { paymentGaugeQueries } from '../../src/observability/payment-gauges';
import { parseSamples, sumOf } from './prometheus-text';

/** Counts in one round: one per gauge query (the running statuses, stuck, attention, expiring, each finding kind). */
const QUERIES = Object.keys(
  paymentGaugeQueries({ count: () => Promise.resolve(0), approvalTimeoutMinutes: 60, approvalWarningMinutes: 10 }),
).length;

const NOW = Date.parse('2026-01-10T12:00:00.000Z');

describe('payment gauges from Temporal visibility', () => {
  it('queries running payment workflows per status, stuck, waiting and expiring approvals', () => {
    const queries = paymentGaugeQueries({
      count: () => Promise.resolve(0),
      approvalTimeoutMinutes: 1440,
      approvalWarningMinutes: 60,
      now: () => NOW,
    });
    const running = `WorkflowType = 'paymentWorkflow' AND ExecutionStatus = 'Running'`;
    assert.equal(queries.AwaitingApproval, `${running} AND PaymentStatus = 'AwaitingApproval'`);
    assert.equal(queries.stuck, `${running} AND PaymentStuck = true`);
    assert.equal(queries.attention, `${running} AND PaymentStatus = 'AttemptFailed'`);
    // Started more than 24 h - 1 h ago: the approval (requested after the start) expires within the hour, or sooner.
    assert.equal(
      queries.expiring,
      `${running} AND PaymentStatus = 'AwaitingApproval' AND StartTime < '2026-01-09T13:00:00.000Z'`,
    );
    const wide = paymentGaugeQueries({
      count: () => Promise.resolve(0),
      approvalTimeoutMinutes: 30,
      approvalWarningMinutes: 60,
      now: () => NOW,
    });
    assert.match(
      wide.expiring ?? '',
      /StartTime < '2026-01-10T12:00:00.000Z'/,
      'a window wider than the timeout covers every approval',
    );
  });

  it('asks Temporal at every scrape, once per query, and keeps nothing between scrapes', async () => {
    const asked: string[] = [];
    let answer = 3;
    const metrics = createAppMetrics({
      payments: {
        count: (query) => (asked.push(query), Promise.resolve(query.includes('PaymentStuck') ? 1 : answer)),
        approvalTimeoutMinutes: 60,
        approvalWarningMinutes: 10,
      },
    });
    const first = parseSamples(await metrics.registry.metrics());
    assert.equal(asked.length, 13, 'six statuses, stuck, attention, expiring, four finding kinds: one count each');
    assert.equal(sumOf(first, AppMetric.paymentsByStatus, { status: 'Broadcasted' }), 3);
    assert.equal(sumOf(first, AppMetric.paymentsStuck), 1);
    assert.equal(sumOf(first, AppMetric.paymentsNeedingAttention), 3);
    assert.equal(sumOf(first, AppMetric.approvalsExpiringSoon), 3);
    assert.equal(sumOf(first, AppMetric.visibilityUp), 1);
    assert.equal(sumOf(first, AppMetric.reconciliationsWithOpenFindings, { kind: 'balance_drift' }), 3);
    assert.ok(
      asked.includes(
        "WorkflowType = 'reconciliationWorkflow' AND ExecutionStatus = 'Running' AND ReconciliationFindingKinds = 'balance_drift'",
      ),
    );
    answer = 0;
    const second = parseSamples(await metrics.registry.metrics());
    assert.equal(asked.length, 26);
    assert.equal(sumOf(second, AppMetric.paymentsByStatus, { status: 'Broadcasted' }), 0);
  });

  it('reports visibility down, and no stale counts, when Temporal cannot answer', async () => {
    let fail = false;
    const metrics = createAppMetrics({
      payments: {
        count: () => (fail ? Promise.reject(new Error('UNAVAILABLE')) : Promise.resolve(2)),
        approvalTimeoutMinutes: 60,
        approvalWarningMinutes: 10,
      },
    });
    assert.equal(sumOf(parseSamples(await metrics.registry.metrics()), AppMetric.paymentsByStatus), 12);
    fail = true;
    const down = parseSamples(await metrics.registry.metrics());
    assert.equal(sumOf(down, AppMetric.visibilityUp), 0);
    assert.equal(down.filter((s) => s.name === AppMetric.paymentsByStatus).length, 0, 'no per-status samples');
    assert.equal(sumOf(down, AppMetric.paymentsStuck), 0);
  });

  it('costs one round of counts for 30 concurrent scrapes, and reuses it for the cache interval', async () => {
    const asked: string[] = [];
    let now = NOW;
    const metrics = createAppMetrics({
      processMetrics: false,
      payments: {
        count: async (query) => {
          asked.push(query);
          await new Promise((resolve) => setTimeout(resolve, 20)); // a round trip to Temporal
          return 1;
        },
        approvalTimeoutMinutes: 60,
        approvalWarningMinutes: 10,
        cacheMs: 10_000,
        now: () => now,
      },
    });
    const scrapes = await Promise.all(Array.from({ length: 30 }, () => metrics.registry.metrics()));
    assert.equal(asked.length, QUERIES, 'one count per query for all 30 scrapes');
    for (const text of scrapes) assert.equal(sumOf(parseSamples(text), AppMetric.paymentsByStatus), 6);
    now += 9_999;
    await metrics.registry.metrics();
    assert.equal(asked.length, QUERIES, 'within the interval: no new count');
    now += 1;
    await Promise.all([metrics.registry.metrics(), metrics.registry.metrics()]);
    assert.equal(asked.length, 2 * QUERIES, 'once the interval has passed: one new round');
  });

  it('keeps a failed round for the interval too, so an outage is not hammered by scrapes', async () => {
    let calls = 0;
    let now = NOW;
    const metrics = createAppMetrics({
      processMetrics: false,
      payments: {
        count: () => (calls++, Promise.reject(new Error('UNAVAILABLE'))),
        approvalTimeoutMinutes: 60,
        approvalWarningMinutes: 10,
        cacheMs: 5_000,
        now: () => now,
      },
    });
    for (let i = 0; i < 5; i++)
      assert.equal(sumOf(parseSamples(await metrics.registry.metrics()), AppMetric.visibilityUp), 0);
    assert.equal(calls, QUERIES);
    now += 5_000;
    await metrics.registry.metrics();
    assert.equal(calls, 2 * QUERIES);
  });
});
