/**
 * Every product metric the orchestrator exports, in one place: the code registers them from here, and the CI check
 * compares the dashboard and the alert rules against this list plus the Temporal SDK's own names. Imports nothing,
 * so workflow code may use it. Labels are bounded sets: never a payment, transfer or approval id.
 */
export const AppMetric = {
  /** Counter, label `outcome` ({@link WEBHOOK_OUTCOMES}): every POST /webhooks/dfns, by what the bridge did. */
  webhookDeliveries: 'payment_webhook_deliveries_total',
  /** Histogram (seconds): from a webhook's arrival to Temporal accepting its signal. */
  webhookSignalLatency: 'payment_webhook_signal_latency_seconds',
  /** Gauge, label `status`: running payments per PaymentStatus, from Temporal visibility at scrape time. */
  paymentsByStatus: 'payments_in_status',
  /** Gauge: running payments flagged PaymentStuck (broadcast for longer than the network normally takes). */
  paymentsStuck: 'payments_stuck',
  /** Gauge: running payments whose automatic attempts are used up, waiting for an operator to retry or cancel. */
  paymentsNeedingAttention: 'payments_needing_attention',
  /** Gauge: payments awaiting approval whose approval may expire within the configured warning window. */
  approvalsExpiringSoon: 'payment_approvals_expiring_soon',
  /** Gauge: 1 when the last scrape could count payments in Temporal visibility, else 0. */
  visibilityUp: 'payment_visibility_up',
  /**
   * Gauge, label `kind` ({@link FINDING_KIND_LABELS}): reconciliations with at least one open (unacknowledged) finding
   * of that kind, from Temporal visibility at scrape time.
   */
  reconciliationsWithOpenFindings: 'reconciliations_with_open_findings',
} as const;
export type AppMetricName = (typeof AppMetric)[keyof typeof AppMetric];

/** Metrics the worker emits through the Temporal SDK's meter; they appear on the worker's Prometheus endpoint. */
export const WorkerMetric = {
  /** Counter, labels `operation` and `outcome` ({@link DFNS_CALL_OUTCOMES}): every Dfns API call an activity makes. */
  dfnsCalls: 'dfns_calls_total',
  /** Histogram (seconds), label `operation`: the Retry-After waits Dfns asked for on 429/503 answers. */
  dfnsRetryAfterWait: 'dfns_retry_after_wait_seconds',
  /** Histogram (seconds), label `operation`: how long each Dfns call took, whatever its outcome. */
  dfnsCallDuration: 'dfns_call_duration_seconds',
  /** Counter, label `outcome` ({@link CALLBACK_OUTCOMES}): every delivery attempt of an outcome callback. */
  callbacks: 'payment_callbacks_total',
  /** Counter: payment workflows started (not replays, not continue-as-new runs). */
  paymentsStarted: 'payments_started_total',
  /** Counter, label `status`: payments that reached a final status. */
  paymentsFinished: 'payments_finished_total',
  /** Histogram (seconds), label `status`: from the payment's start to its final status. */
  timeToFinal: 'payment_time_to_final_seconds',
  /** Gauge, labels `pool` and `wallet`: a pool wallet's balance of the pool's asset (minimum units), at each read. */
  poolWalletBalance: 'payment_pool_wallet_balance',
  /** Gauge, labels `pool` and `wallet`: 1 while the wallet's balance is below the pool's low-balance threshold. */
  poolWalletLow: 'payment_pool_wallet_low',
  /** Counter, label `kind`: findings a reconciliation run reported (each once, however often it is found again). */
  reconciliationFindings: 'reconciliation_findings_total',
  /** Counter, label `outcome` (`ok`, or `failed` when a wallet's reads gave up): reconciliation runs finished. */
  reconciliationRuns: 'reconciliation_runs_total',
} as const;
export type WorkerMetricName = (typeof WorkerMetric)[keyof typeof WorkerMetric];

/** The kinds a reconciliation finding has, as metric labels (src/contracts/reconciliation-findings.ts). */
export const FINDING_KIND_LABELS = [
  'unmatched_transfer',
  'outcome_mismatch',
  'duplicate_transfer',
  'balance_drift',
] as const;

/** What the bridge did with a webhook delivery. */
export const WEBHOOK_OUTCOMES = [
  'accepted',
  'bad_signature',
  'stale',
  'malformed',
  'too_large',
  'ignored',
  // The payment exists and has finished.
  'late',
  // Our externalId names a payment Temporal does not hold (never started, or past retention): acknowledged, counted.
  'unknown_payment',
  // No payment holds the event yet: answered 503 so Dfns redelivers, then, past the window, acknowledged.
  'not_found_yet',
  'unroutable',
  'temporal_unavailable',
  'error',
] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

/** How a Dfns call ended: `ok`, or the class of failure (429 and 5xx are what the alerts watch). */
export const DFNS_CALL_OUTCOMES = ['ok', 'rate_limited', 'server_error', 'client_error', 'network_error'] as const;
export type DfnsCallOutcome = (typeof DFNS_CALL_OUTCOMES)[number];

/**
 * How a callback delivery attempt ended: `delivered` (2xx), `refused` (any other answer, redirects included; retried),
 * `unreachable` (no answer; retried), `blocked` (the URL or its address may not be reached; not retried) or
 * `not_configured` (no signing secret).
 */
export const CALLBACK_OUTCOMES = ['delivered', 'refused', 'unreachable', 'blocked', 'not_configured'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

/** Bucket bounds (seconds) for the worker's histograms, given to the SDK's Prometheus exporter. */
export const WORKER_HISTOGRAM_BUCKETS: Record<string, number[]> = {
  [WorkerMetric.dfnsRetryAfterWait]: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
  [WorkerMetric.dfnsCallDuration]: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  [WorkerMetric.timeToFinal]: [5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21_600, 86_400, 259_200],
};

/** Bucket bounds (seconds) for the bridge's signal latency. */
export const WEBHOOK_SIGNAL_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
