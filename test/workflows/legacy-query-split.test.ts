import { CompleteAsyncError, Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import proto, { type temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type InjectedSinks,
  type WorkflowBundle,
} from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { PAYMENT_SEARCH_ATTRIBUTES } from '../../src/contracts/search-attributes';
import { TEMPORAL_DEV_SERVER_DYNAMIC_CONFIG } from '../../src/temporal/dev-server-flags';
import { findResetPoint } from '../../src/temporal/replay-histories';
import { freePort } from '../support/free-port';
import { temporalCliPath } from '../support/temporal-cli';
import {
  busyWorkflow,
  probeQuery,
  probeSignal,
  probeUpdate,
  queryProbeWorkflow,
  type ProbeSinks,
} from '../support/workflows/query-split-probe';

const EventType = proto.temporal.api.enums.v1.EventType;
const exec = promisify(execFile);
const PROBE_WORKFLOWS = fileURLToPath(new URL('../support/workflows/read-tests-index.ts', import.meta.url));
/** How long a busy workflow's task may hold its worker slot at most (it is released as soon as C and S are sent). */
const BUSY_BOUND_MS = 60_000;
const ONE_PARTITION = ['matching.numTaskqueueReadPartitions=1', 'matching.numTaskqueueWritePartitions=1'];

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}
function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** The history's signals, and which of them arrived before the first workflow task after the activity's result. */
function afterActivity(history: temporal.api.history.v1.IHistory) {
  const events = history.events ?? [];
  const completed = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
  const started = events.findIndex(
    (e, i) => i > completed && e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  );
  const signal = (e: temporal.api.history.v1.IHistoryEvent) => {
    const data = e.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0]?.data;
    return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as string) : '?';
  };
  const signalled = (from: number, to: number) =>
    events
      .slice(from, to)
      .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
      .map(signal);
  return { beforeTask: signalled(completed, started), all: signalled(0, events.length) };
}

type Read = 'query' | 'update' | 'none';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How many queries the dev server's history service has handed to matching directly, from its Prometheus endpoint.
 * History does that only when no workflow task is scheduled or running; otherwise it buffers the query for that task.
 */
async function directQueries(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let count = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('service_requests{')) continue;
    if (line.includes('operation="QueryWorkflow"') && line.includes('service_name="matching"'))
      count += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return count;
}

/** How many search-attribute upserts (one per signal the probe folded) its history holds. */
async function upserts(handle: WorkflowHandle): Promise<number> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events.filter((e) => e.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES).length;
}

interface Provoked {
  history: temporal.api.history.v1.IHistory;
  /** What the read answered (undefined without a read). */
  answer?: string[];
  /** The probe's result (undefined when it was left running). */
  result?: string[];
  /** The probe's workflow id and task queue. */
  workflowId: string;
  taskQueue: string;
  /** Whether the worker folded B outside a replay (in a query's activation or a real task). */
  foldedLive: boolean;
}

/**
 * The interleaving of the replay finding, step by step: a first worker runs the probe to its activity and stops; the
 * read is sent while no workflow task is pending; the activity completes and signal B arrives; a second, cold worker
 * starts with busy workflows ahead of the probe's task, and once it has folded B its sink sends C and S (so they land
 * before the probe's real workflow task starts). With `read: 'query'`, the query is dispatched to the worker directly
 * (no task was pending when it arrived) and the poll that takes it carries the events appended since.
 */
async function provoke(
  env: TestWorkflowEnvironment,
  metricsUrl: string,
  workflowBundle: WorkflowBundle,
  name: string,
  read: Read,
  second: { maxCachedWorkflows?: number } = {},
  /** Whether the sink ends the probe (sends S after C); without S the probe is left running, waiting. */
  finish = true,
): Promise<Provoked> {
  const taskQueue = `split-${name}-${Date.now()}`;
  const workflowId = `${taskQueue}-probe`;
  const token = deferred<Uint8Array>();
  // Without a cache, so without a sticky queue: the query goes to the task queue, as it does once the worker that
  // last ran the workflow is gone (a kill, a deploy).
  const first = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    maxCachedWorkflows: 0,
    activities: {
      hold() {
        token.resolve(Context.current().info.taskToken);
        throw new CompleteAsyncError(); // completed by the test, while no worker runs
      },
    },
  });
  const firstRun = first.run();
  const handle: WorkflowHandle<typeof queryProbeWorkflow> = await env.client.workflow.start(queryProbeWorkflow, {
    taskQueue,
    workflowId,
  });
  const taskToken = await token.promise; // the task that scheduled it has completed
  first.shutdown();
  await firstRun;

  // Tasks of other workflows ahead of the probe's next task: the second worker is busy with them, as a worker coming
  // back to a backlog is, while the query is answered. Only the query needs them (it is taken first; see below).
  const busy = read === 'query' ? 3 : 0;
  for (let i = 0; i < busy; i++)
    await env.client.workflow.start(busyWorkflow, { taskQueue, workflowId: `${workflowId}-busy-${i}` });

  let answer: Promise<string[]> | undefined;
  if (read === 'query') {
    // The activity's result is sent only once the query has reached matching: with no task pending, history hands it
    // there directly, and it is not attached to the task the result schedules.
    const before = await directQueries(metricsUrl);
    answer = handle.query(probeQuery);
    answer.catch(() => undefined); // awaited below
    for (let i = 0; (await directQueries(metricsUrl)) === before; i++) {
      assert.ok(i < 600, `the query on ${workflowId} did not reach matching within 30 s`);
      await sleep(50);
    }
  } else if (read === 'update') answer = handle.executeUpdate(probeUpdate);
  await env.client.activity.complete(taskToken, undefined);
  await handle.signal(probeSignal, 'B');

  const signalled = deferred<void>();
  let foldedLive = false;
  const sinks: InjectedSinks<ProbeSinks> = {
    probe: {
      folded: {
        async fn(info, signal) {
          if (info.workflowId !== workflowId || signal !== 'B' || foldedLive) return;
          foldedLive = true;
          await handle.signal(probeSignal, 'C');
          if (finish) await handle.signal(probeSignal, 'S');
          signalled.resolve();
        },
      },
      busy: {
        async fn() {
          let bound: NodeJS.Timeout | undefined;
          await Promise.race([
            signalled.promise,
            new Promise((resolve) => (bound = setTimeout(resolve, BUSY_BOUND_MS))),
          ]);
          clearTimeout(bound);
        },
      },
    },
  };
  // Two task slots (the SDK's least with a cache): the server's matcher hands the waiting query to the first poll
  // ahead of any backlog task, and the other slot is held by a busy workflow until C and S are sent, so the probe's
  // real task cannot start before them.
  const secondWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    sinks,
    maxConcurrentWorkflowTaskExecutions: 2,
    ...second,
  });
  const secondRun = secondWorker.run();
  try {
    const answered = answer ? await answer : undefined;
    const result = finish ? await handle.result() : undefined;
    // Left running: until the task that carried C has completed (it upserted C), then the worker stops (an eviction).
    for (let i = 0; !finish && i < 600 && (await upserts(handle)) < 2; i++) await sleep(100);
    return {
      history: await handle.fetchHistory(),
      ...(answered ? { answer: answered } : {}),
      ...(result ? { result } : {}),
      foldedLive,
      workflowId,
      taskQueue,
    };
  } finally {
    secondWorker.shutdown();
    await secondRun;
  }
}

describe(
  'a query that reaches a running workflow with no task pending (Temporal CLI dev server)',
  { timeout: 600_000 },
  () => {
    let env: TestWorkflowEnvironment;
    let workflowBundle: WorkflowBundle;
    let metricsUrl: string;
    before(async () => {
      try {
        Runtime.install({ logger: new DefaultLogger('ERROR') });
      } catch {
        // Already installed by another suite in this process.
      }
      const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
      workflowBundle = await bundleWorkflowCode({ workflowsPath: PROBE_WORKFLOWS, logger: quiet });
      const metricsPort = await freePort();
      metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
      env = await TestWorkflowEnvironment.createLocal({
        server: {
          executable: { type: 'existing-path', path: temporalCliPath() },
          port: await freePort(),
          searchAttributes: [...PAYMENT_SEARCH_ATTRIBUTES],
          // One partition per task queue (the dev server has four): the matcher's order, a waiting query ahead of any
          // backlog task, then holds for the whole queue.
          extraArgs: [
            ...[...TEMPORAL_DEV_SERVER_DYNAMIC_CONFIG, ...ONE_PARTITION].flatMap((value) => [
              '--dynamic-config-value',
              value,
            ]),
            ...['--metrics-port', String(metricsPort)],
          ],
        },
      });
    });
    after(async () => env?.teardown());

    const noSink = { fn() {} };
    const sinks: InjectedSinks<ProbeSinks> = { probe: { folded: noSink, busy: noSink } };
    const replay = (history: temporal.api.history.v1.IHistory, name: string) =>
      Worker.runReplayHistory({ workflowBundle, replayName: name, sinks }, history);

    it('without a read, the worker folds B with the activity in one task, and the history replays', async () => {
      const run = await provoke(env, metricsUrl, workflowBundle, 'control', 'none');
      assert.deepEqual(run.result, ['B', 'patched', 'C', 'S']);
      assert.deepEqual(afterActivity(run.history).beforeTask, ['B']); // C and S came in a task of their own
      await replay(run.history, 'control');
    });

    it('a query runs the workflow ahead of its history: the next task splits and the history does not replay', async () => {
      const run = await provoke(env, metricsUrl, workflowBundle, 'query', 'query');
      // The query answered from a state no workflow task had produced: B and the activity's result were applied.
      assert.deepEqual(run.answer, ['B', 'patched']);
      assert.ok(run.foldedLive, 'the worker folded B outside a replay, in the query');
      // C and S were in history before the probe's next task started: on replay that task is one activation.
      assert.deepEqual(afterActivity(run.history).beforeTask, ['B', 'C', 'S']);
      // Live, B and the activity's result ran in the query's activation and C and S in the task: four commands in the
      // order upsert(B), marker, upsert(C), complete. Replayed, the same events are one activation whose signals run
      // first: upsert(B), upsert(C), marker. The recorded marker has no matching command.
      assert.deepEqual(run.result, ['B', 'patched', 'C', 'S']);
      await assert.rejects(replay(run.history, 'query'), (error: unknown) => {
        assert.ok(error instanceof DeterminismViolationError, String(error));
        assert.match(error.message, /TMPRL1100/);
        return true;
      });
    });

    it('a split workflow left running fails its next task once evicted; a reset to the split task lets it go on', async () => {
      const run = await provoke(env, metricsUrl, workflowBundle, 'split-running', 'query', {}, false);
      assert.deepEqual(run.answer, ['B', 'patched']);
      assert.deepEqual(afterActivity(run.history).beforeTask, ['B', 'C']);
      const handle = env.client.workflow.getHandle(run.workflowId);
      // A cold worker (the split one stopped: a restart, a deploy) rebuilds the probe from its history on the next task.
      const worker = () =>
        Worker.create({ connection: env.nativeConnection, taskQueue: run.taskQueue, workflowBundle, sinks });
      const failed = await (
        await worker()
      ).runUntil(async () => {
        await handle.signal(probeSignal, 'S');
        for (let i = 0; i < 600; i++) {
          const events = (await handle.fetchHistory()).events ?? [];
          const failure = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
          if (failure) return failure.workflowTaskFailedEventAttributes?.failure?.message ?? '';
          await sleep(100);
        }
        return undefined;
      });
      assert.match(failed ?? 'no workflow task failed', /TMPRL1100/);
      // The operator's recovery (docs/operations.md): reset to the task whose replay fails, with the Temporal CLI.
      const history = await handle.fetchHistory();
      const resetTo = await findResetPoint(history, workflowBundle, run.workflowId);
      const completed = (history.events ?? []).find((e) => Number(e.eventId) === resetTo);
      assert.equal(completed?.eventType, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      await exec(temporalCliPath(), [
        ...['workflow', 'reset', '--workflow-id', run.workflowId, '--event-id', String(resetTo)],
        ...['--reason', 'workflow task does not replay', '--address', env.address],
      ]);
      const reset = env.client.workflow.getHandle(run.workflowId); // the new run
      const result = await (await worker()).runUntil(reset.result());
      // The split task runs again as one activation, with S (sent after the reset point, and reapplied by the reset)
      // in it: its signals first, then the activity's result.
      assert.deepEqual(result, ['B', 'C', 'S', 'patched']);
      await replay(await reset.fetchHistory(), 'reset');
    });

    it('the same read through an Update rides a real workflow task, and the history replays', async () => {
      const run = await provoke(env, metricsUrl, workflowBundle, 'update', 'update');
      assert.ok(run.answer, 'the Update answered');
      assert.deepEqual(run.result?.slice(0, 2), ['B', 'patched']);
      assert.deepEqual(afterActivity(run.history).all, ['B', 'C', 'S']);
      await replay(run.history, 'update');
    });

    it('with the workflow cache off (maxCachedWorkflows 0), the query still reads ahead but the history replays', async () => {
      const run = await provoke(env, metricsUrl, workflowBundle, 'uncached', 'query', { maxCachedWorkflows: 0 });
      assert.deepEqual(run.answer, ['B', 'patched']);
      assert.deepEqual(afterActivity(run.history).beforeTask, ['B', 'C', 'S']);
      // The run was evicted after the query: the commands it produced were dropped, and the task replayed everything.
      await replay(run.history, 'uncached');
    });
  },
);
