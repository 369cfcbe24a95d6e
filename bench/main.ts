// `npm run bench [-- --quick] [-- --json] [-- --parts engine,pace,memory]`: starts the real stack, measures payments
// against a bare workflow of the same shape and the bridge against raw signals (engine); a batch at the default Dfns
// budget against a sandbox limited as Dfns is (pace); the worker's memory both ways it is started (memory); and prints
// the tables (docs/benchmarks.md quotes a run).
import { parseArgs } from 'node:util';
import { runBatchPace } from './batch-pace';
import { runBridgePath, type BridgeResult } from './bridge-load';
import { runPhase, type Kind, type PhaseResult } from './end-to-end';
import { countActions, meanActions } from './history-actions';
import { historyTiming, meanTiming } from './history-timing';
import { runCodecComparison } from './codec-cost';
import { machineLine, renderReport, type BenchResults } from './report';
import { startBenchStack, type BenchStack } from './stack';
import { workerMemory } from './worker-memory-hook';

const USAGE =
  'usage: npm run bench -- [--quick] [--json] [--profile] [--time-scale N] [--parts engine,pace,memory] [--batch-rows N]';
const PARTS = ['engine', 'pace', 'memory'] as const;
type Part = (typeof PARTS)[number];
const LEVELS = [10, 50, 200];

let args: { quick: boolean; json: boolean; profile: boolean; timeScale: number; parts: Part[]; batchRows: number };
try {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'time-scale': { type: 'string', default: '20' },
      parts: { type: 'string', default: PARTS.join(',') },
      'batch-rows': { type: 'string' },
    },
  });
  const timeScale = Number(values['time-scale']);
  if (!(timeScale > 0 && timeScale <= 1000)) throw new Error('--time-scale must be a number in (0, 1000]');
  const parts = values.parts.split(',') as Part[];
  if (parts.length === 0 || parts.some((part) => !PARTS.includes(part))) {
    throw new Error(`--parts: a comma-separated list of ${PARTS.join(', ')}`);
  }
  const batchRows = Number(values['batch-rows'] ?? (values.quick ? 200 : 2000));
  if (!Number.isInteger(batchRows) || batchRows < 10 || batchRows > 10_000) {
    throw new Error('--batch-rows must be a whole number from 10 to 10000');
  }
  args = { quick: values.quick, json: values.json, profile: values.profile, timeScale, parts, batchRows };
} catch (error) {
  console.error(`bench: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

// Bounded everywhere: workflows per level, updates per bridge path, seconds per level.
const plan = args.quick
  ? {
      counts: { 10: 30, 50: 60, 200: 200 } as Record<number, number>,
      bridge: 300,
      warmUp: 10,
      codec: 60,
      timeBoundMs: 60_000,
    }
  : {
      counts: { 10: 200, 50: 300, 200: 400 } as Record<number, number>,
      bridge: 2000,
      warmUp: 30,
      codec: 300,
      timeBoundMs: 180_000,
    };
const HISTORY_SAMPLE = 10;
/** Payments in flight while the codec is measured on and off. */
const CODEC_LEVEL = 50;
const log = (line: string) => console.error(`[bench] ${line}`);
const tag = Date.now().toString(36);

async function measure(
  stack: BenchStack,
): Promise<
  Required<Pick<BenchResults, 'phases' | 'bridge' | 'actions' | 'timing' | 'codec'>> & Pick<BenchResults, 'otlp'>
> {
  for (const kind of ['bare', 'payment', 'traced', 'encrypted'] as Kind[]) {
    await runPhase(stack, { kind, level: 10, count: plan.warmUp, timeBoundMs: plan.timeBoundMs, tag: `${tag}w` });
  }
  log('warmed up');
  const phases: PhaseResult[] = [];
  for (const [i, level] of LEVELS.entries()) {
    // Rotate which kind goes first, so that drift on a shared machine does not favour one kind.
    const order: Kind[] = ['bare', 'payment', 'traced'];
    const kinds = [...order.slice(i % 3), ...order.slice(0, i % 3)];
    for (const kind of kinds) {
      const count = plan.counts[level] ?? 100;
      const phase = await runPhase(stack, { kind, level, count, timeBoundMs: plan.timeBoundMs, tag });
      log(`${kind} × ${level} in flight: ${phase.loop.count} in ${phase.loop.seconds.toFixed(1)} s`);
      if (phase.loop.firstError) log(`  first failure: ${phase.loop.firstError}`);
      phases.push(phase);
    }
  }
  await stack.webhooksToTracedApp(false); // the bridge figures are the untraced app's
  const bridge: BridgeResult[] = [];
  for (const path of ['signal', 'webhook', 'signal', 'webhook'] as BridgeResult['path'][]) {
    // A short warm-up pass of each path first; the second pass of each is the one reported.
    const count = bridge.length < 2 ? 50 : plan.bridge;
    const result = await runBridgePath(stack, { path, count, concurrency: 50, timeBoundMs: plan.timeBoundMs, tag });
    if (bridge.length >= 2) log(`bridge ${path}: ${result.loop.count} in ${result.loop.seconds.toFixed(1)} s`);
    bridge.push(result);
  }
  // A few histories from the middle of each phase (past its ramp-up): actions per kind, and waits per level.
  const sampled = await Promise.all(
    phases.map(async (phase) => {
      const middle = Math.max(0, Math.floor(phase.confirmed.length / 2) - HISTORY_SAMPLE / 2);
      const ids = phase.confirmed.slice(middle, middle + HISTORY_SAMPLE);
      const histories = await Promise.all(ids.map((id) => stack.client.workflow.getHandle(id).fetchHistory()));
      return { phase, actions: histories.map(countActions), timings: histories.map(historyTiming) };
    }),
  );
  const actionsOf = (kind: Kind) => sampled.filter((s) => s.phase.kind === kind).flatMap((s) => s.actions);
  const actions = {
    payment: meanActions(actionsOf('payment')),
    traced: meanActions(actionsOf('traced')),
    bare: meanActions(actionsOf('bare')),
    histories: Math.min(actionsOf('payment').length, actionsOf('traced').length, actionsOf('bare').length),
  };
  const timing = sampled.map(({ phase, timings }) => ({
    kind: phase.kind,
    level: phase.level,
    ...meanTiming(timings),
  }));
  const otlp = await stack.otlpStats();
  // The same payments with every payload encrypted, against the plain ones, at one level.
  const codec = await runCodecComparison(stack, {
    level: CODEC_LEVEL,
    count: plan.codec,
    timeBoundMs: plan.timeBoundMs,
    tag,
    log,
  });
  return { phases, bridge: bridge.slice(2), actions, timing, otlp, codec };
}

const machine = machineLine();
let results: BenchResults = { machine };
if (args.parts.includes('engine')) {
  const stack = await startBenchStack({ timeScale: args.timeScale, log, profile: args.profile });
  const stopOnSignal = () => void stack.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    results = { ...(await measure(stack)), machine };
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    console.error(`bench: the processes' logs are in ${stack.dir}`);
    await stack.stop();
    process.exit(1);
  }
  await stack.stop();
  process.removeListener('SIGINT', stopOnSignal);
  process.removeListener('SIGTERM', stopOnSignal);
  if (args.profile) log(`CPU profiles (.cpuprofile) of the workers and the app are in ${stack.dir}`);
}
if (args.parts.includes('pace')) {
  log(`pace: a ${args.batchRows}-row batch at the default Dfns budget, the sandbox limited to 1,000 requests a minute`);
  try {
    results.pace = await runBatchPace({
      rows: args.batchRows,
      timeScale: args.timeScale,
      timeBoundMs: 60 * 60_000,
      log,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`pace failed: ${message}`);
    results.pace = { error: message };
  }
}
if (args.parts.includes('memory')) {
  const memory = workerMemory(log, args.quick);
  if (memory !== undefined) results.workerMemory = memory;
}
// The confirmed ids only feed the history sample: left out of the JSON.
const omitIds = (key: string, value: unknown) => (key === 'confirmed' ? undefined : value);
console.log(args.json ? JSON.stringify(results, omitIds, 2) : renderReport(results));
