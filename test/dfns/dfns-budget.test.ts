import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config';
import {
  DFNS_COST_CLASSES,
  DFNS_OPERATOR_SHARE,
  DFNS_SIGNED_COST,
  operatorRequestsPerSecond,
} from '../../src/contracts/task-queues';
import { DFNS_DEFAULT_REQUESTS_PER_MINUTE, dfnsBudget } from '../../src/dfns/dfns-budget';

const budgetOf = (env: Record<string, string>) => dfnsBudget(loadConfig(env));
const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual}, expected ${expected}`);

describe('the Dfns budget: one setting, the org requests per minute', () => {
  it('defaults to the 1,000 requests a minute Dfns documents for an org', () => {
    const budget = budgetOf({});
    assert.equal(DFNS_DEFAULT_REQUESTS_PER_MINUTE, 1000);
    assert.equal(budget.requestsPerMinute, 1000);
    assert.equal(budget.source, 'default');
    assert.deepEqual(budget.deprecations, []);
    close(budget.requestsPerSecond, 1000 / 60, 'per second');
  });

  it('gives the signed calls of a batch 4.4 transfers a second at the default: 80 % of 1,000 a minute at 3 each', () => {
    const { classRates } = budgetOf({});
    close(classRates.signed, ((1000 / 60) * 0.8) / 3, 'signed');
    assert.ok(classRates.signed > 4.4 && classRates.signed < 4.5, `signed: ${classRates.signed}`);
  });

  it('never lets the classes and the operators together exceed the budget (2 % left for bursts)', () => {
    for (const perMinute of [100, 1000, 2880, 60_000]) {
      const budget = budgetOf({ DFNS_REQUESTS_PER_MINUTE: String(perMinute) });
      const classes = Object.entries(DFNS_COST_CLASSES).reduce(
        (sum, [costClass, { cost }]) => sum + budget.classRates[costClass as keyof typeof DFNS_COST_CLASSES] * cost,
        0,
      );
      const total = classes + operatorRequestsPerSecond(budget.requestsPerSecond);
      close(total, budget.requestsPerSecond * 0.98, `requests a second at ${perMinute} a minute`);
    }
    const shares = Object.values(DFNS_COST_CLASSES).reduce((sum, { share }) => sum + share, DFNS_OPERATOR_SHARE);
    close(shares, 0.98, 'the shares');
  });

  it('caps the payment task queue at the budget divided by a signed call', () => {
    const budget = budgetOf({ DFNS_REQUESTS_PER_MINUTE: '1800' });
    close(budget.paymentQueueActivitiesPerSecond, 30 / DFNS_SIGNED_COST, 'payment queue');
    assert.equal(budget.source, 'DFNS_REQUESTS_PER_MINUTE');
  });

  it('reads the deprecated DFNS_REQUESTS_PER_SECOND as the same budget a minute, and says what to set instead', () => {
    const budget = budgetOf({ DFNS_REQUESTS_PER_SECOND: '15' });
    assert.equal(budget.requestsPerMinute, 900);
    assert.equal(budget.source, 'DFNS_REQUESTS_PER_SECOND');
    assert.equal(budget.deprecations.length, 1);
    assert.match(budget.deprecations[0]!, /DFNS_REQUESTS_PER_SECOND is deprecated: set DFNS_REQUESTS_PER_MINUTE=900/);
  });

  it('lets the deprecated DFNS_ACTIVITIES_PER_SECOND still cap the payment task queue, with a warning', () => {
    const budget = budgetOf({ DFNS_REQUESTS_PER_MINUTE: '1200', DFNS_ACTIVITIES_PER_SECOND: '5' });
    assert.equal(budget.paymentQueueActivitiesPerSecond, 5);
    assert.equal(budget.requestsPerMinute, 1200);
    assert.equal(budget.deprecations.length, 1);
    assert.match(budget.deprecations[0]!, /DFNS_ACTIVITIES_PER_SECOND is deprecated/);
  });
});
