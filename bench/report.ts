// The benchmark's results as text tables (each figure beside its reference) or as one JSON document.
import { cpus, loadavg, totalmem } from 'node:os';
import type { PaceResult } from './batch-pace';
import type { BridgeResult } from './bridge-load';
import type { PhaseResult } from './end-to-end';
import type { ActionCount } from './history-actions';
import type { HistoryTiming } from './history-timing';
import { figure, ratio, renderTable } from './stats';
import { memoryTable } from './worker-memory-hook';
import { codecTable, type CodecResult } from './codec-cost';
import { costTable } from './cost-report';

/** Everything a run measured (each part only when it ran: --parts). */
export interface BenchResults {
  machine: string;
  phases?: PhaseResult[];
  bridge?: BridgeResult[];
  actions?: { payment: ActionCount; traced: ActionCount; bare: ActionCount; histories: number };
  /** What the traced processes exported to the bench's OTLP receiver over the whole run. */
  otlp?: { requests: number; bytes: number };
  /** Mean waits per workflow, from the sampled histories of each phase. */
  timing?: (HistoryTiming & { kind: PhaseResult['kind']; level: number })[];
  /** A batch at the default Dfns budget (bench/batch-pace.ts). */
  pace?: PaceResult | { error: string };
  /** Rows from bench/worker-memory.ts, when that file exists (see main.ts). */
  workerMemory?: unknown;
  /** The same payments with every payload encrypted and in clear. */
  codec?: CodecResult;
}

/** The goal the issue sets for each ratio. */
export const RATIO_GOAL = 0.95;

/** CPU model, cores, memory, Node version and the load average when the run began. */
export function machineLine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? 'unknown CPU';
  const gib = (totalmem() / 2 ** 30).toFixed(1);
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
  return `${model}, ${cores.length} cores, ${gib} GiB, Node ${process.version}, load average ${load} at start`;
}

const ms = (value: number) => figure(value, 0);
const GOAL = `goal ≥ ${RATIO_GOAL}`;
const goal = (value: number) => (Number.isFinite(value) ? (value >= RATIO_GOAL ? 'met' : 'NOT met') : 'n/a');

function endToEndTable(phases: PhaseResult[]): string {
  const rows: string[][] = [];
  for (const level of [...new Set(phases.map((phase) => phase.level))]) {
    const of = (kind: PhaseResult['kind']) => phases.find((p) => p.level === level && p.kind === kind);
    const [payment, traced, bare] = [of('payment'), of('traced'), of('bare')];
    const perSecond = (phase: PhaseResult | undefined) => phase?.loop.perSecond ?? NaN;
    for (const phase of [payment, traced, bare]) {
      if (!phase) continue;
      const { loop } = phase;
      const done = `${loop.count}${loop.failed ? ` (${loop.failed} not confirmed)` : ''}${loop.timedOut ? ' (time bound)' : ''}`;
      const r = ratio(perSecond(phase), perSecond(bare));
      const versus = phase.kind === 'bare' ? ['(reference)', '', ''] : [figure(r, 2), goal(r), ''];
      // Tracing's own cost: the traced payments' rate against the untraced ones'.
      if (phase.kind === 'traced') versus[2] = figure(ratio(perSecond(traced), perSecond(payment)), 2);
      const name =
        phase.kind === 'payment' ? 'payment (tracing off)' : phase.kind === 'traced' ? 'payment (tracing on)' : 'bare';
      rows.push([String(level), name, done, figure(loop.perSecond), ms(loop.p50), ms(loop.p95), ms(loop.p99)]);
      rows[rows.length - 1]!.push(...versus);
    }
  }
  const header = ['in flight', 'workflow', 'done', 'per s', 'p50 ms', 'p95 ms', 'p99 ms', 'per s ratio', GOAL];
  return renderTable([...header, 'on/off'], rows);
}

function bridgeTable(bridge: BridgeResult[]): string {
  const webhook = bridge.find((b) => b.path === 'webhook');
  const signal = bridge.find((b) => b.path === 'signal');
  const r = ratio(webhook?.loop.perSecond ?? NaN, signal?.loop.perSecond ?? NaN);
  const rows = [webhook, signal].flatMap((result) => {
    if (!result) return [];
    const { path, loop, cpu } = result;
    const each = (name: string) => figure(((cpu[name] ?? 0) * 1000) / Math.max(1, loop.count), 2);
    return [
      [
        path === 'webhook' ? 'signed webhook → bridge' : 'raw signal',
        String(loop.count) + (loop.failed ? ` (${loop.failed} failed)` : ''),
        figure(loop.perSecond),
        ...[loop.p50, loop.p95, loop.p99].map((v) => figure(v, 1)),
        each('bench'),
        each('app'),
        each('temporal'),
        ...(path === 'webhook' ? [figure(r, 2), goal(r)] : ['(reference)', '']),
      ],
    ];
  });
  const header = ['path', 'count', 'per s', 'p50 ms', 'p95 ms', 'p99 ms', 'CPU ms: sender', 'app', 'Temporal'];
  return renderTable([...header, 'per s ratio', GOAL], rows);
}

function timingTable(timing: NonNullable<BenchResults['timing']>): string {
  const rows = [...timing]
    .sort((a, b) => a.level - b.level || a.kind.localeCompare(b.kind))
    .map((t) => [
      String(t.level),
      t.kind,
      figure(t.workflowTasks),
      ms(t.workflowTaskWaitMs),
      ms(t.workflowTaskRunMs),
      ms(t.activityWaitMs),
    ]);
  return renderTable(
    ['in flight', 'workflow', 'workflow tasks', 'task wait ms', 'task run ms', 'activity wait ms'],
    rows,
  );
}

function paceTable(pace: PaceResult): string {
  const rows = [
    ['rows (all confirmed?)', `${pace.rows} (${pace.confirmed} confirmed)`, ''],
    ['at most in flight (the batch default)', String(pace.concurrency), ''],
    ['batch start → every row final', `${figure(pace.seconds, 0)} s`, ''],
    [
      'steady pace (10 % → 90 % confirmed)',
      `${figure(pace.steadyPerSecond, 2)} /s`,
      `budget ${figure(pace.budgetPerSecond, 2)} /s`,
    ],
    ['overall pace', `${figure(pace.overallPerSecond, 2)} /s`, ''],
    ['Dfns requests (429s)', `${pace.dfnsRequests} (${pace.rateLimited})`, 'goal: no 429'],
    [
      `a submission's wait on its budgeted queue (mean of ${pace.sample.rows})`,
      `${figure(pace.sample.submitWaitMs, 0)} ms`,
      'long: the budget sets the pace',
    ],
    [
      'a payment, start → Confirmed (same sample)',
      `${figure(pace.sample.paymentSeconds, 1)} s`,
      // Without the wait for the budget, a row takes this much less: what the in-flight cap alone would allow.
      `cap alone: ${figure(pace.concurrency / (pace.sample.paymentSeconds - pace.sample.submitWaitMs / 1000), 1)} /s`,
    ],
    ['ceiling: the whole limit on signed calls', `${figure(pace.ceilingPerSecond, 2)} /s`, '(reference)'],
  ];
  return renderTable(['batch at the default budget', 'measured', 'reference'], rows);
}

/** The text report. */
export function renderReport(results: BenchResults): string {
  const sections = [`Machine: ${results.machine}`];
  const { phases, bridge, actions, timing, pace } = results;
  if (phases && bridge && actions && timing) {
    const withParts = { ...results, phases, actions };
    sections.push(
      `End to end, start → Confirmed (closed loop; per s = workflows confirmed per second)\n${endToEndTable(phases)}`,
      `Bridge: updates accepted by Temporal, 50 in flight\n${bridgeTable(bridge)}`,
      `Cost per workflow (actions from ${actions.histories} histories of each kind)\n${costTable(withParts)}`,
    );
    if (results.otlp) {
      const { requests, bytes } = results.otlp;
      sections.push(
        `Traces exported (OTLP/protobuf to the bench's receiver): ${requests} requests, ${figure(bytes / 1024, 0)} KiB`,
      );
    }
    sections.push(
      `Where the time goes, per workflow (sums over its history, mean of the sample)\n${timingTable(timing)}`,
    );
  }
  if (results.codec) {
    sections.push(
      `Payload codec (AES-256-GCM), ${results.codec.level} in flight, in clear / encrypted / encrypted / in clear\n` +
        codecTable(results.codec),
    );
  }
  if (pace) {
    const title = 'Pace: a batch at the default Dfns budget (1,000 requests a minute; the sandbox limited to the same)';
    sections.push(`${title}\n${'error' in pace ? `failed: ${pace.error}` : paceTable(pace)}`);
  }
  if (results.workerMemory !== undefined) {
    sections.push(`Worker memory (bench/worker-memory.ts)\n${memoryTable(results.workerMemory)}`);
  }
  return sections.join('\n\n');
}
