import { metricMeter, workflowInfo } from '@temporalio/workflow';
import type { PaymentStatus } from '../src/contracts/payment-status';
import type { PolicyTrigger } from '../src/contracts/policy-triggers';
import { WorkerMetric } from '../src/observability/metric-names';

// The SDK drops workflow metrics during replay, so a payment is counted once however often its history is replayed.

/** Counts a payment's start; a run continued as new is the same payment and is not counted again. */
export function countPaymentStarted(): void {
  if (workflowInfo().continuedFromExecutionRunId) return;
  metricMeter.createCounter(WorkerMetric.paymentsStarted, undefined, 'payments started').add(1);
}

/** Counts a payment's final status and records how long it took, from its first run's start. */
export function countPaymentFinished(status: PaymentStatus): void {
  const seconds = (Date.now() - workflowInfo().startTime.getTime()) / 1000;
  metricMeter.createCounter(WorkerMetric.paymentsFinished, undefined, 'payments finished').add(1, { status });
  metricMeter
    .createHistogram(WorkerMetric.timeToFinal, 'float', 's', 'time from start to final status')
    .record(seconds, { status });
}

/**
 * Counts a compliance check that triggered on a payment (KYT screening, the Travel Rule), by alert level and
 * outcome; other policies are not counted here. Each evaluation is counted once, however often it is delivered.
 */
export function countPolicyTrigger(trigger: PolicyTrigger): void {
  if (trigger.check === 'policy') return;
  const name = trigger.check === 'screening' ? WorkerMetric.screenings : WorkerMetric.travelRuleChecks;
  const labels: Record<string, string> = { outcome: trigger.outcome };
  if (trigger.check === 'screening') labels.alert_level = trigger.alertLevel ?? 'unknown';
  metricMeter.createCounter(name, undefined, `${trigger.check} policies triggered on payments`).add(1, labels);
}
