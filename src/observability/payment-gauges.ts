import { Gauge, type Registry } from 'prom-client';
import { isTerminal, PAYMENT_STATUSES } from '../contracts/payment-status';
import { PaymentStatusKey, PaymentStuckKey, ReconciliationFindingKindsKey } from '../contracts/search-attributes';
import { PAYMENT_WORKFLOWS_CLAUSE, RECONCILIATION_WORKFLOW_TYPE } from '../contracts/workflow-types';
import { AppMetric, FINDING_KIND_LABELS } from './metric-names';

/** Counts workflows matching a visibility query: `client.workflow.count(query)` in production. */
export type CountWorkflows = (query: string) => Promise<number>;

/** Where the payment gauges come from, and the approval warning window. */
export interface PaymentGaugeDeps {
  count: CountWorkflows;
  /** The policies' auto-reject timeout: an approval expires at most this long after its payment started. */
  approvalTimeoutMinutes: number;
  /** How far ahead an expiring approval is reported. */
  approvalWarningMinutes: number;
  /**
   * How long one round of counts serves later scrapes (APP_METRICS_CACHE_SECONDS); 0: every scrape counts. Scrapes
   * that arrive while a round is running share it either way.
   */
  cacheMs?: number;
  now?: () => number;
}

/** The states a running payment can be in (terminal states close the workflow). */
export const RUNNING_STATUSES = PAYMENT_STATUSES.filter((status) => !isTerminal(status));

const RUNNING = `${PAYMENT_WORKFLOWS_CLAUSE} AND ExecutionStatus = 'Running'`;
const RECONCILIATIONS = `WorkflowType = '${RECONCILIATION_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;
const STATUS = PaymentStatusKey.name;

/**
 * The visibility queries behind each gauge; the same text finds the payments in the Temporal UI. An approval is
 * requested right after submission, so one whose payment started more than (timeout - window) ago may expire within
 * the window: the query over-reports rather than misses.
 */
export function paymentGaugeQueries(deps: PaymentGaugeDeps): Record<string, string> {
  const now = (deps.now ?? Date.now)();
  const horizon = new Date(now - Math.max(0, deps.approvalTimeoutMinutes - deps.approvalWarningMinutes) * 60_000);
  return {
    ...Object.fromEntries(RUNNING_STATUSES.map((status) => [status, `${RUNNING} AND ${STATUS} = '${status}'`])),
    stuck: `${RUNNING} AND ${PaymentStuckKey.name} = true`,
    attention: `${RUNNING} AND ${STATUS} = 'AttemptFailed'`,
    expiring: `${RUNNING} AND ${STATUS} = 'AwaitingApproval' AND StartTime < '${horizon.toISOString()}'`,
    // A KeywordList attribute equals a value when it holds it.
    ...Object.fromEntries(
      FINDING_KIND_LABELS.map((kind) => [
        `findings:${kind}`,
        `${RECONCILIATIONS} AND ${ReconciliationFindingKindsKey.name} = '${kind}'`,
      ]),
    ),
  };
}

/**
 * Registers gauges computed at scrape time from Temporal visibility counts: nothing but the last round of counts is
 * kept in this process, so every replica reports the same truth. One round runs the queries once, shared by the gauges
 * and by every scrape within `cacheMs` of it (so a burst of scrapes costs Temporal one round). When Temporal cannot
 * answer, the gauges read empty/0 and `payment_visibility_up` says 0 (an alert watches it), rather than stale numbers.
 */
export function registerPaymentGauges(registry: Registry, deps: PaymentGaugeDeps): void {
  const now = deps.now ?? Date.now;
  const cacheMs = deps.cacheMs ?? 0;
  let pending: Promise<Record<string, number> | undefined> | undefined;
  let last: { at: number; values: Record<string, number> | undefined } | undefined;
  const counts = (): Promise<Record<string, number> | undefined> => {
    if (last && now() - last.at < cacheMs) return Promise.resolve(last.values);
    pending ??= Promise.all(
      Object.entries(paymentGaugeQueries(deps)).map(async ([key, query]) => [key, await deps.count(query)] as const),
    )
      .then(
        (entries) => Object.fromEntries(entries),
        () => undefined,
      )
      .then((values) => {
        last = { at: now(), values };
        return values;
      })
      // prom-client starts every metric's collect() in one synchronous loop, so they all share this promise.
      .finally(() => (pending = undefined));
    return pending;
  };
  const gauge = (name: string, help: string, read: (values: Record<string, number>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const values = await counts();
        this.set(values ? read(values) : 0);
      },
    });
  new Gauge({
    name: AppMetric.paymentsByStatus,
    help: 'Running payments per PaymentStatus (Temporal visibility)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const values = await counts();
      this.reset();
      if (values) for (const status of RUNNING_STATUSES) this.set({ status }, values[status] ?? 0);
    },
  });
  gauge(AppMetric.paymentsStuck, 'Running payments flagged PaymentStuck', (values) => values.stuck ?? 0);
  gauge(
    AppMetric.paymentsNeedingAttention,
    'Payments waiting for an operator to retry or cancel',
    (v) => v.attention ?? 0,
  );
  gauge(AppMetric.approvalsExpiringSoon, 'Approvals that may expire within the warning window', (v) => v.expiring ?? 0);
  new Gauge({
    name: AppMetric.reconciliationsWithOpenFindings,
    help: 'Reconciliations with an open (unacknowledged) finding, per finding kind (Temporal visibility)',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      const values = await counts();
      this.reset();
      if (values) for (const kind of FINDING_KIND_LABELS) this.set({ kind }, values[`findings:${kind}`] ?? 0);
    },
  });
  gauge(AppMetric.visibilityUp, '1 when the last round of counts reached Temporal visibility', (values) =>
    values ? 1 : 0,
  );
}
