import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createAppMetrics } from '../../src/observability/app-metrics';
import { AppMetric, WorkerMetric } from '../../src/observability/metric-names';
import { declaredMetrics } from './prometheus-text';
import { familyOf, metricNamesIn } from './promql-names';
import { SDK_METRIC_NAMES } from './sdk-metric-names';

const DASHBOARD = new URL('../../deploy/grafana/dashboards/payments.json', import.meta.url);
const ALERTS = new URL('../../deploy/prometheus/alerts.yml', import.meta.url);

/** Every `expr` of the dashboard's Prometheus panels. */
function dashboardExprs(): string[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { targets?: { expr?: string }[] }[] };
  // Prometheus targets only: the trace panels query Jaeger, by tag and trace id.
  return dashboard.panels.flatMap((panel) => (panel.targets ?? []).flatMap((target) => target.expr ?? []));
}

/** Every `expr:` of alerts.yml, single-line or folded (`>-` followed by deeper-indented lines). */
function alertExprs(): string[] {
  const lines = readFileSync(ALERTS, 'utf8').split('\n');
  const exprs: string[] = [];
  lines.forEach((line, index) => {
    const match = /^(\s*)expr:\s*(.*)$/.exec(line);
    if (!match) return;
    const [, indent = '', rest = ''] = match;
    if (rest !== '>-' && rest !== '>' && rest !== '|') return void exprs.push(rest);
    const body: string[] = [];
    for (let i = index + 1; i < lines.length && (lines[i] ?? '').startsWith(`${indent}  `); i++)
      body.push((lines[i] ?? '').trim());
    exprs.push(body.join(' '));
  });
  return exprs;
}

/** The names the app really registers (scraped from its registry) plus the worker's and the SDK's. */
async function knownFamilies(): Promise<Set<string>> {
  const app = createAppMetrics({
    payments: { count: () => Promise.resolve(0), approvalTimeoutMinutes: 60, approvalWarningMinutes: 10 },
  });
  const declared = declaredMetrics(await app.registry.metrics());
  return new Set([...declared.keys(), ...Object.values(WorkerMetric), ...SDK_METRIC_NAMES, 'up']);
}

describe('the dashboard and the alert rules read only metrics that exist', () => {
  it('extracts metric names from PromQL, not functions, labels or durations', () => {
    assert.deepEqual(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{a="b"}[5m]))) > 5',
      ),
      ['http_request_duration_seconds_bucket'],
    );
    assert.deepEqual(metricNamesIn('sum(up{job="x"}) == 0 or absent(up{job="x"}) and on() max(y) > 0'), ['up', 'y']);
  });

  it('finds every alert expression and dashboard target', () => {
    assert.ok(alertExprs().length >= 14, `${alertExprs().length} alert expressions`);
    assert.ok(dashboardExprs().length >= 20, `${dashboardExprs().length} dashboard targets`);
  });

  for (const [what, exprs] of [
    ['alerts.yml', alertExprs()],
    ['payments.json', dashboardExprs()],
  ] as const) {
    it(`${what} references only registered metrics`, async () => {
      const families = await knownFamilies();
      const unknown = exprs.flatMap((expr) =>
        metricNamesIn(expr).filter((name) => !families.has(familyOf(name, families))),
      );
      assert.deepEqual(unknown, []);
    });
  }

  it('charts every product metric on the dashboard', () => {
    const families = new Set<string>([...Object.values(AppMetric), ...Object.values(WorkerMetric)]);
    const charted = new Set(
      dashboardExprs().flatMap((expr) => metricNamesIn(expr).map((name) => familyOf(name, families))),
    );
    assert.deepEqual(
      [...families].filter((name) => !charted.has(name)),
      [],
    );
  });
});
