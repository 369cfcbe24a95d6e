import type { Config } from '../config';
import { DFNS_COST_CLASSES, DFNS_SIGNED_COST, dfnsClassRate, type DfnsCostClass } from '../contracts/task-queues';

/** The limit Dfns documents for an org, requests per minute (a trial org has 100; Dfns support raises it on request). */
export const DFNS_DEFAULT_REQUESTS_PER_MINUTE = 1000;

/** Every Dfns rate of the worker and the operator CLIs, from the one budget. */
export interface DfnsBudget {
  /** The org's budget, requests per minute. */
  requestsPerMinute: number;
  /** The same, per second: what the cost-class queues and the operators' share are computed from. */
  requestsPerSecond: number;
  /** Activity starts per second on each cost-class queue (its share of the budget divided by its cost). */
  classRates: Record<DfnsCostClass, number>;
  /**
   * Activity starts per second on the payment task queue itself, where payments started before the cost-class queues
   * run their Dfns activities and pool payments reserve their wallets: the budget divided by a signed call's cost, so
   * that queue alone never exceeds the budget.
   */
  paymentQueueActivitiesPerSecond: number;
  /** Which setting the budget came from. */
  source: 'DFNS_REQUESTS_PER_MINUTE' | 'default' | 'DFNS_REQUESTS_PER_SECOND';
  /** One line per deprecated setting in use, for the process to log at start. */
  deprecations: string[];
}

/** The Dfns budget the configuration sets: DFNS_REQUESTS_PER_MINUTE, else the deprecated per-second settings. */
export function dfnsBudget(
  config: Pick<Config, 'DFNS_REQUESTS_PER_MINUTE' | 'DFNS_REQUESTS_PER_SECOND' | 'DFNS_ACTIVITIES_PER_SECOND'>,
): DfnsBudget {
  const deprecations: string[] = [];
  let requestsPerMinute = DFNS_DEFAULT_REQUESTS_PER_MINUTE;
  let source: DfnsBudget['source'] = 'default';
  if (config.DFNS_REQUESTS_PER_MINUTE !== undefined) {
    requestsPerMinute = config.DFNS_REQUESTS_PER_MINUTE;
    source = 'DFNS_REQUESTS_PER_MINUTE';
  } else if (config.DFNS_REQUESTS_PER_SECOND !== undefined) {
    requestsPerMinute = config.DFNS_REQUESTS_PER_SECOND * 60;
    source = 'DFNS_REQUESTS_PER_SECOND';
    deprecations.push(
      `DFNS_REQUESTS_PER_SECOND is deprecated: set DFNS_REQUESTS_PER_MINUTE=${requestsPerMinute} instead (same budget)`,
    );
  }
  const requestsPerSecond = requestsPerMinute / 60;
  const classRates = Object.fromEntries(
    (Object.keys(DFNS_COST_CLASSES) as DfnsCostClass[]).map((costClass) => [
      costClass,
      dfnsClassRate(requestsPerSecond, costClass),
    ]),
  ) as Record<DfnsCostClass, number>;
  let paymentQueueActivitiesPerSecond = requestsPerSecond / DFNS_SIGNED_COST;
  if (config.DFNS_ACTIVITIES_PER_SECOND !== undefined) {
    paymentQueueActivitiesPerSecond = config.DFNS_ACTIVITIES_PER_SECOND;
    deprecations.push(
      'DFNS_ACTIVITIES_PER_SECOND is deprecated: the payment task queue is derived from DFNS_REQUESTS_PER_MINUTE ' +
        `(${format(requestsPerSecond / DFNS_SIGNED_COST)} a second at this budget); unset it to use that`,
    );
  }
  return { requestsPerMinute, requestsPerSecond, classRates, paymentQueueActivitiesPerSecond, source, deprecations };
}

const format = (n: number) => (Math.round(n * 100) / 100).toString();

/** The budget as the start-up log shows it: rates rounded to two decimals. */
export function describeDfnsBudget(budget: DfnsBudget): Record<string, unknown> {
  return {
    requestsPerMinute: budget.requestsPerMinute,
    source: budget.source,
    activitiesPerSecond: Object.fromEntries(
      Object.entries({ payments: budget.paymentQueueActivitiesPerSecond, ...budget.classRates }).map(
        ([queue, rate]) => [queue, Number(format(rate))],
      ),
    ),
  };
}
