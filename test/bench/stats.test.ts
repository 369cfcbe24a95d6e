import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PhaseResult } from '../../bench/end-to-end';
import { cpuPerWorkflow, stackTotal } from '../../bench/cost-report';
import { memoryTable } from '../../bench/worker-memory-hook';
import { figure, percentile, ratio, renderTable, summarise } from '../../bench/stats';

describe('benchmark arithmetic', () => {
  it('takes percentiles by nearest rank, whatever the input order', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 95), 95);
    assert.equal(percentile(values, 99), 99);
    assert.equal(percentile(values, 100), 100);
    assert.equal(percentile([7], 50), 7);
    assert.equal(percentile([3, 1, 2], 50), 2);
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.throws(() => percentile([1], 0), RangeError);
  });

  it('summarises a run: throughput over wall time, and its latency percentiles', () => {
    const summary = summarise([10, 20, 30, 40], 2, 1);
    assert.deepEqual(summary, { count: 4, failed: 1, seconds: 2, perSecond: 2, p50: 20, p95: 40, p99: 40 });
  });

  it('gives ratios only against a real reference, and prints n/a for the rest', () => {
    assert.equal(ratio(9.5, 10), 0.95);
    assert.ok(Number.isNaN(ratio(1, 0)));
    assert.ok(Number.isNaN(ratio(Number.NaN, 1)));
    assert.equal(figure(0.9549, 2), '0.95');
    assert.equal(figure(Number.NaN), 'n/a');
  });

  it('aligns a table: first column left, the others right', () => {
    const table = renderTable(
      ['kind', 'per s'],
      [
        ['payment', '9.5'],
        ['bare', '10.0'],
      ],
    );
    assert.equal(table, ['kind     per s', '-------  -----', 'payment    9.5', 'bare      10.0'].join('\n'));
  });

  it('divides CPU by confirmed workflows, counting each kind against its own worker', () => {
    const phase = (kind: PhaseResult['kind'], count: number, cpu: Record<string, number>): PhaseResult => ({
      kind,
      level: 10,
      loop: { count, failed: 0, seconds: 1, perSecond: count, p50: 1, p95: 1, p99: 1, timedOut: false },
      cpu,
      dfnsRequests: 3 * count,
      confirmed: [],
    });
    const phases = [
      phase('payment', 100, { worker: 2, bareWorker: 0.1, app: 1, temporal: 3, sandbox: 0.5, bench: 0.4 }),
      phase('payment', 100, { worker: 2, bareWorker: 0.1, app: 1, temporal: 3, sandbox: 0.5, bench: 0.4 }),
      phase('bare', 50, { worker: 0.1, bareWorker: 0.5, app: 0.5, temporal: 1, sandbox: 0.25, bench: 0.1 }),
    ];
    assert.deepEqual(cpuPerWorkflow(phases, 'payment'), { worker: 20, app: 10, temporal: 30, sandbox: 5, bench: 4 });
    assert.deepEqual(cpuPerWorkflow(phases, 'bare'), { worker: 10, app: 10, temporal: 20, sandbox: 5, bench: 2 });
    assert.equal(stackTotal(cpuPerWorkflow(phases, 'payment')), 65);
  });

  it('renders the worker-memory rows as a table, and anything else as JSON', () => {
    const rows = [{ parked: 1000, rssMiB: 300 }];
    assert.equal(memoryTable({ rows }), memoryTable(rows));
    assert.match(memoryTable(rows), /^parked {2}rssMiB\n/);
    assert.equal(memoryTable({ rssMiB: 1 }), JSON.stringify({ rssMiB: 1 }, null, 2));
  });
});
