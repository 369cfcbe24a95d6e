// The cost of one workflow of each kind: Dfns requests, history events, billable actions and CPU by process.
import type { PhaseResult } from './end-to-end';
import type { BenchResults } from './report';
import { figure, renderTable } from './stats';

/** CPU ms per confirmed workflow by process over every phase of a kind; "worker" is the kind's own worker. */
export function cpuPerWorkflow(phases: PhaseResult[], kind: PhaseResult['kind']): Record<string, number> {
  const ofKind = phases.filter((phase) => phase.kind === kind);
  const done = ofKind.reduce((sum, phase) => sum + phase.loop.count, 0);
  const total: Record<string, number> = {};
  for (const phase of ofKind) for (const [name, s] of Object.entries(phase.cpu)) total[name] = (total[name] ?? 0) + s;
  // The idle workers and app of the other kinds only poll (or wait) meanwhile: left out. The traced kind's worker and
  // app are its own pair; the receiver stands in for the trace backend, as the sandbox stands in for Dfns.
  const { worker, bareWorker, tracedWorker, app, tracedApp, otlpSink, encryptedWorker, encryptedApp, ...rest } = total;
  const own = {
    worker:
      (kind === 'payment'
        ? worker
        : kind === 'traced'
          ? tracedWorker
          : kind === 'encrypted'
            ? encryptedWorker
            : bareWorker) ?? 0,
    app: (kind === 'traced' ? tracedApp : kind === 'encrypted' ? encryptedApp : app) ?? 0,
    ...rest,
    ...(kind === 'traced' ? { 'OTLP receiver': otlpSink ?? 0 } : {}),
  };
  return Object.fromEntries(Object.entries(own).map(([name, s]) => [name, (s * 1000) / Math.max(1, done)]));
}

/** The sum over the stack's processes, the load generator (bench) left out. */
export const stackTotal = (cpu: Record<string, number>) =>
  Object.entries(cpu)
    .filter(([name]) => name !== 'bench')
    .reduce((sum, [, ms]) => sum + ms, 0);

export function costTable(results: Required<Pick<BenchResults, 'phases' | 'actions'>>): string {
  const { phases, actions } = results;
  const count = (kind: PhaseResult['kind']) => phases.filter((p) => p.kind === kind);
  const perDone = (kind: PhaseResult['kind']) =>
    count(kind).reduce((s, p) => s + p.dfnsRequests, 0) /
    Math.max(
      1,
      count(kind).reduce((s, p) => s + p.loop.count, 0),
    );
  const rows = [
    [
      'Dfns requests',
      figure(perDone('payment'), 2),
      figure(perDone('traced'), 2),
      figure(perDone('bare'), 2),
      'design: 3 (one signed call)',
    ],
    [
      'Temporal history events',
      figure(actions.payment.events),
      figure(actions.traced.events),
      figure(actions.bare.events),
      '',
    ],
    [
      '  of which patch markers',
      figure(actions.payment.patchMarkers),
      figure(actions.traced.patchMarkers),
      figure(actions.bare.patchMarkers),
      'goal 0',
    ],
    [
      '  of which TemporalChangeVersion upserts',
      figure(actions.payment.changeVersionUpserts),
      figure(actions.traced.changeVersionUpserts),
      figure(actions.bare.changeVersionUpserts),
      'goal 0',
    ],
    [
      'billable actions',
      figure(actions.payment.total),
      figure(actions.traced.total),
      figure(actions.bare.total),
      'goal ≤ 6',
    ],
  ];
  const kinds = [
    'starts',
    'activities',
    'activityRetries',
    'signals',
    'timers',
    'searchAttributeUpserts',
    'updates',
    'markerTasks',
  ] as const;
  for (const kind of kinds) {
    if (actions.payment[kind] === 0 && actions.traced[kind] === 0 && actions.bare[kind] === 0) continue;
    rows.push([
      `  of which ${kind}`,
      figure(actions.payment[kind]),
      figure(actions.traced[kind]),
      figure(actions.bare[kind]),
      '',
    ]);
  }
  const paymentCpu = cpuPerWorkflow(phases, 'payment');
  const tracedCpu = cpuPerWorkflow(phases, 'traced');
  const bareCpu = cpuPerWorkflow(phases, 'bare');
  for (const name of Object.keys(tracedCpu)) {
    const cells = [paymentCpu, tracedCpu, bareCpu].map((cpu) => figure(cpu[name] ?? NaN, 2));
    rows.push([`CPU ms, ${name}`, ...cells, '']);
  }
  const totals = [paymentCpu, tracedCpu, bareCpu].map((cpu) => figure(stackTotal(cpu), 2));
  rows.push(['CPU ms, stack (bench excluded)', ...totals, '']);
  return renderTable(
    ['per workflow', 'payment (tracing off)', 'payment (tracing on)', 'bare (reference)', 'goal'],
    rows,
  );
}
