import { PAYMENT_STATUSES } from '../contracts/payment-status';
import { RUNNING_STATUSES } from './payment-gauges';
import {
  AppMetric,
  CALLBACK_OUTCOMES,
  DFNS_CALL_OUTCOMES,
  FINDING_KIND_LABELS,
  WEBHOOK_OUTCOMES,
  WorkerMetric,
  type AppMetricName,
  type WorkerMetricName,
} from './metric-names';

/** What the metrics reference (docs/operations.md, generated) says about one metric. */
export interface MetricDoc {
  kind: 'counter' | 'gauge' | 'histogram';
  /** Each label and the values it takes (a bounded set; never an id), or a phrase naming them. */
  labels: Record<string, readonly string[] | string>;
  meaning: string;
}

const FINAL_STATUSES = PAYMENT_STATUSES.filter((status) => !(RUNNING_STATUSES as readonly string[]).includes(status));

/** The app's metrics (`APP_METRICS_ADDRESS`), one entry per name in {@link AppMetric}. */
export const APP_METRIC_DOCS: Record<AppMetricName, MetricDoc> = {
  [AppMetric.webhookDeliveries]: {
    kind: 'counter',
    labels: { outcome: WEBHOOK_OUTCOMES },
    meaning: 'every `POST /webhooks/dfns`, by what the bridge answered (see "Webhook outcomes")',
  },
  [AppMetric.webhookSignalLatency]: {
    kind: 'histogram',
    labels: {},
    meaning: "seconds from a webhook's arrival to Temporal accepting its signal",
  },
  [AppMetric.paymentsByStatus]: {
    kind: 'gauge',
    labels: { status: RUNNING_STATUSES },
    meaning: 'running payments per `PaymentStatus`, counted in Temporal visibility at scrape time',
  },
  [AppMetric.paymentsStuck]: {
    kind: 'gauge',
    labels: {},
    meaning: 'running payments flagged `PaymentStuck` (broadcast for longer than their network normally takes)',
  },
  [AppMetric.paymentsNeedingAttention]: {
    kind: 'gauge',
    labels: {},
    meaning: 'running payments in `AttemptFailed`: automatic attempts used up, waiting for an operator',
  },
  [AppMetric.approvalsExpiringSoon]: {
    kind: 'gauge',
    labels: {},
    meaning: 'payments awaiting an approval that may expire within `APPROVAL_EXPIRY_WARNING_MINUTES`',
  },
  [AppMetric.visibilityUp]: {
    kind: 'gauge',
    labels: {},
    meaning: '1 when the last scrape could count payments in Temporal visibility, else 0 (the gauges are blind)',
  },
  [AppMetric.reconciliationsWithOpenFindings]: {
    kind: 'gauge',
    labels: { kind: FINDING_KIND_LABELS },
    meaning:
      'reconciliations holding an open (unacknowledged) finding of that kind, counted in Temporal visibility at scrape time ([reconciliation.md](reconciliation.md))',
  },
};

/** The worker's metrics (`WORKER_METRICS_ADDRESS`, through the SDK's meter), one entry per name in {@link WorkerMetric}. */
export const WORKER_METRIC_DOCS: Record<WorkerMetricName, MetricDoc> = {
  [WorkerMetric.dfnsCalls]: {
    kind: 'counter',
    labels: { operation: "the Dfns activity's name", outcome: DFNS_CALL_OUTCOMES },
    meaning: 'every Dfns call (one per Dfns activity attempt); `rate_limited` is a 429, `server_error` a 5xx',
  },
  [WorkerMetric.dfnsRetryAfterWait]: {
    kind: 'histogram',
    labels: { operation: "the Dfns activity's name" },
    meaning: 'the Retry-After waits Dfns asked for (count = waits, sum = seconds)',
  },
  [WorkerMetric.dfnsCallDuration]: {
    kind: 'histogram',
    labels: { operation: "the Dfns activity's name" },
    meaning: 'how long each Dfns call took, whatever its outcome (seconds)',
  },
  [WorkerMetric.callbacks]: {
    kind: 'counter',
    labels: { outcome: CALLBACK_OUTCOMES },
    meaning:
      'outcome callback delivery attempts; `blocked`: refused by the worker (not https, not a public address, not a host of the client), never retried',
  },
  [WorkerMetric.paymentsStarted]: {
    kind: 'counter',
    labels: {},
    meaning: 'payment workflows started (not replays, not continue-as-new runs)',
  },
  [WorkerMetric.paymentsFinished]: {
    kind: 'counter',
    labels: { status: FINAL_STATUSES },
    meaning: 'payments that reached a final status, counted once (not again on replay)',
  },
  [WorkerMetric.timeToFinal]: {
    kind: 'histogram',
    labels: { status: FINAL_STATUSES },
    meaning: "seconds from a payment's start to its final status",
  },
  [WorkerMetric.poolWalletBalance]: {
    kind: 'gauge',
    labels: { pool: 'the pool name', wallet: 'the wallet id' },
    meaning: "a pool wallet's balance of the pool's asset (minimum units), at each read",
  },
  [WorkerMetric.poolWalletLow]: {
    kind: 'gauge',
    labels: { pool: 'the pool name', wallet: 'the wallet id' },
    meaning: "1 while the wallet's balance is below the pool's `lowBalanceThreshold`",
  },
  [WorkerMetric.reconciliationFindings]: {
    kind: 'counter',
    labels: { kind: FINDING_KIND_LABELS },
    meaning: 'findings a reconciliation run reported (each once, however often it is found again)',
  },
  [WorkerMetric.reconciliationRuns]: {
    kind: 'counter',
    labels: { outcome: ['ok', 'failed'] },
    meaning: "reconciliation runs finished: `ok`, or `failed` when a wallet's reads gave up",
  },
};
