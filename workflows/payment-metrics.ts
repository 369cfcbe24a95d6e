import { metricMeter, workflowInfo } from '@temporalio/workflow';
import type { PaymentStatus } from '../src/contracts/payment-status';
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
