import { PAYMENT_SEARCH_ATTRIBUTES, searchAttributeTypeName } from '../../src/contracts/search-attributes';
import { APP_METRIC_DOCS, WORKER_METRIC_DOCS, type MetricDoc } from '../../src/observability/metric-docs';
import { AppMetric, WEBHOOK_OUTCOMES, WorkerMetric } from '../../src/observability/metric-names';
import { WEBHOOK_ANSWERS, WEBHOOK_ERROR_MEANING } from '../../src/observability/webhook-outcomes';
import { SEARCH_ATTRIBUTE_DOCS } from '../../src/temporal/search-attribute-docs';
import { code, markdownTable } from './markdown-table';

function labels(doc: MetricDoc): string {
  const entries = Object.entries(doc.labels);
  if (entries.length === 0) return '';
  return entries
    .map(([label, values]) => `${code(label)}: ${typeof values === 'string' ? values : values.join(', ')}`)
    .join('; ');
}

function metricRows(names: readonly string[], docs: Record<string, MetricDoc>): string[][] {
  return names.map((name) => {
    const doc = docs[name];
    if (!doc) throw new Error(`src/observability/metric-docs.ts: ${name} has no entry`);
    return [code(name), doc.kind, labels(doc), doc.meaning];
  });
}

/** The product metrics: the app's, then the worker's, in src/observability/metric-names.ts order. */
export function renderMetricsTable(): string {
  const header = ['metric', 'type', 'labels', 'meaning'];
  return [
    '**App** (`http://<APP_METRICS_ADDRESS>/metrics`, scrape job `payments-app`)',
    '',
    markdownTable(header, metricRows(Object.values(AppMetric), APP_METRIC_DOCS)),
    '',
    '**Worker** (`http://<WORKER_METRICS_ADDRESS>/metrics`, scrape job `payments-worker`)',
    '',
    markdownTable(header, metricRows(Object.values(WorkerMetric), WORKER_METRIC_DOCS)),
  ].join('\n');
}

/** Every custom search attribute the workflows write, in src/contracts/search-attributes.ts order. */
export function renderSearchAttributesTable(): string {
  const rows = PAYMENT_SEARCH_ATTRIBUTES.map((key) => {
    const doc = SEARCH_ATTRIBUTE_DOCS[key.name];
    if (!doc) throw new Error(`src/temporal/search-attribute-docs.ts: ${key.name} has no entry`);
    return [code(key.name), searchAttributeTypeName(key.type), doc.on, doc.meaning, code(doc.example)];
  });
  return markdownTable(['attribute', 'type', 'on', 'meaning', 'example query'], rows);
}

/** Every `outcome` of `payment_webhook_deliveries_total`, with the bridge's answer, in WEBHOOK_OUTCOMES order. */
export function renderWebhookOutcomesTable(): string {
  const rows = WEBHOOK_OUTCOMES.map((outcome) => {
    if (outcome === 'error') return ['500 `internal_error` (or any other)', code(outcome), WEBHOOK_ERROR_MEANING];
    const answer = WEBHOOK_ANSWERS[outcome];
    const body = 'status' in answer.body ? `{"status":"${answer.body.status}"}` : answer.body.code;
    return [`${answer.http} ${code(body)}`, code(outcome), answer.meaning];
  });
  return markdownTable(['answer', '`outcome` label', 'meaning'], rows);
}
