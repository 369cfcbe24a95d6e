// `npm run bench:reads [-- --quick]`: what a read of a running payment costs by each path (the query this project no
// longer sends, as the reference; the read Update, alone and shared; the answer from history), and what evicting
// every workflow after each task (maxCachedWorkflows 0) costs the worker in CPU, against the default cache, in the
// same run. Real payment workflows on a Temporal CLI dev server, with the fake Dfns activities the workflow tests use.
import type { Client, WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { parseArgs } from 'node:util';
import { PAYMENT_READ } from '../src/client/payment-client';
import { transferExternalId } from '../src/contracts/payment-id';
import { paymentReadUpdate, paymentStateQuery, paymentUpdateSignal } from '../src/contracts/payment-messages';
import { PAYMENT_SEARCH_ATTRIBUTES } from '../src/contracts/search-attributes';
import { callbackTaskQueue, DFNS_COST_CLASSES, dfnsTaskQueue, type DfnsCostClass } from '../src/contracts/task-queues';
import { PAYMENT_WORKFLOW_TYPE } from '../src/contracts/workflow-types';
import { TEMPORAL_DEV_SERVER_DYNAMIC_CONFIG } from '../src/temporal/dev-server-flags';
import { lastRecordedRead, readWorkflow } from '../src/temporal/workflow-reads';
import { workflowBundleOptions } from '../src/temporal/workflow-bundle';
import { FakeDfns } from '../test/support/fake-dfns';
import { temporalCliPath } from '../test/support/temporal-cli';
import { testInput } from '../test/support/time-skipping';
import { machineLine } from './report';
import { percentile } from './stats';
import { freePort } from '../test/support/free-port';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const plan = values.quick
  ? { payments: 10, readsEach: 10, cachePayments: 40 }
  : { payments: 20, readsEach: 25, cachePayments: 150 };
const log = (line: string) => process.stderr.write(`[bench:reads] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tag = Date.now().toString(36);

/**
 * The workers a payment needs (workflows, callbacks, the Dfns cost classes), on fake Dfns activities. Payloads stay in
 * clear here, as the read costs in docs/architecture.md were measured; what the payload codec adds is `npm run bench`'s
 * codec line.
 */
async function startWorkers(
  env: TestWorkflowEnvironment,
  bundle: WorkflowBundleWithSourceMap,
  fake: FakeDfns,
  taskQueue: string,
  maxCachedWorkflows?: number,
) {
  const connection = env.nativeConnection;
  const activities = fake.activities;
  const workers = [
    await Worker.create({
      connection,
      taskQueue,
      workflowBundle: bundle,
      activities,
      ...(maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows }),
    }),
    await Worker.create({ connection, taskQueue: callbackTaskQueue(taskQueue), activities }),
    ...(await Promise.all(
      (Object.keys(DFNS_COST_CLASSES) as DfnsCostClass[]).map((costClass) =>
        Worker.create({ connection, taskQueue: dfnsTaskQueue(taskQueue, costClass), activities }),
      ),
    )),
  ];
  const running = workers.map((worker) => worker.run());
  return async () => {
    for (const worker of workers) worker.shutdown();
    await Promise.all(running);
  };
}

async function startPayment(client: Client, taskQueue: string, key: string): Promise<WorkflowHandle> {
  const input = testInput(key);
  return client.workflow.start(PAYMENT_WORKFLOW_TYPE, { workflowId: input.paymentId, taskQueue, args: [input] });
}

/** The payment's history length and size, from Temporal (no worker involved). */
async function footprint(handles: WorkflowHandle[]) {
  let events = 0;
  let bytes = 0;
  for (const handle of handles) {
    const described = await handle.describe();
    events += described.historyLength;
    bytes += described.historySize ?? 0;
  }
  return { events, bytes };
}

interface ReadRow {
  path: string;
  reads: number;
  p50: number;
  p95: number;
  eventsPerRead: number;
  bytesPerRead: number;
  actionsPerRead: number;
}

async function measureReads(client: Client, handles: WorkflowHandle[]): Promise<ReadRow[]> {
  const rows: ReadRow[] = [];
  const paths: {
    path: string;
    actions: number;
    readers: number;
    read: (handle: WorkflowHandle) => Promise<unknown>;
  }[] = [
    {
      path: 'query (the reference: no longer sent for running payments)',
      actions: 1,
      readers: 1,
      // eslint-disable-next-line no-restricted-properties -- the reference measurement of the read this project stopped
      read: (handle) => handle.query(paymentStateQuery),
    },
    {
      path: 'read Update',
      actions: 1,
      readers: 1,
      read: (handle) => readWorkflow(client, handle.workflowId, PAYMENT_READ),
    },
    {
      path: 'read Update, 5 readers at once (each its own)',
      actions: 5,
      readers: 5,
      read: async (handle) => {
        await Promise.all(Array.from({ length: 5 }, () => readWorkflow(client, handle.workflowId, PAYMENT_READ)));
      },
    },
    {
      path: 'from history (a run refusing reads): no worker',
      actions: 0,
      readers: 1,
      read: (handle) => lastRecordedRead(client, handle.workflowId, PAYMENT_READ),
    },
  ];
  for (const { path, actions, readers, read } of paths) {
    const before = await footprint(handles);
    const times: number[] = [];
    for (let round = 0; round < plan.readsEach; round++)
      for (const handle of handles) {
        const started = performance.now();
        await read(handle);
        times.push(performance.now() - started);
      }
    const after = await footprint(handles);
    const reads = times.length * readers;
    rows.push({
      path,
      reads,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      eventsPerRead: (after.events - before.events) / reads,
      bytesPerRead: (after.bytes - before.bytes) / reads,
      actionsPerRead: actions / readers,
    });
    log(`${path}: ${reads} reads`);
  }
  return rows;
}

/**
 * Runs `count` payments to Confirmed (submit, then Broadcasted and Confirmed webhooks), `width` at a time; each first
 * takes `repeats` repeated Broadcasted webhooks, one workflow task each, so that its history grows as a long payment's.
 */
async function runPayments(
  client: Client,
  fake: FakeDfns,
  taskQueue: string,
  count: number,
  width: number,
  prefix: string,
  repeats = 0,
) {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const key = `${prefix}-${next++}`;
      const handle = await startPayment(client, taskQueue, key);
      const externalId = transferExternalId(handle.workflowId, 1);
      for (let i = 0; i < 2000 && !fake.transfers.has(externalId); i++) await sleep(5);
      const broadcasted = fake.set(externalId, { status: 'Broadcasted', txHash: `0x${'a'.repeat(64)}` });
      for (let i = 0; i <= repeats; i++) {
        await handle.signal(paymentUpdateSignal, { ...broadcasted, eventTime: new Date().toISOString() });
        if (repeats > 0) await handle.executeUpdate(paymentReadUpdate); // each webhook in a task of its own
      }
      await handle.signal(paymentUpdateSignal, fake.set(externalId, { status: 'Confirmed' }));
      await handle.result();
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
}

async function measureCache(env: TestWorkflowEnvironment, bundle: WorkflowBundleWithSourceMap) {
  const rows: {
    cache: string;
    webhooks: number;
    events: number;
    payments: number;
    seconds: number;
    cpuSeconds: number;
    cpuMsPerPayment: number;
  }[] = [];
  // Alternated, so that drift on a shared machine does not favour one; short payments first, then long ones.
  const runs: [number | undefined, number][] = [
    [undefined, 0],
    [0, 0],
    [0, 0],
    [undefined, 0],
    [undefined, 30],
    [0, 30],
    [0, 30],
    [undefined, 30],
  ];
  for (const [cache, repeats] of runs) {
    const fake = new FakeDfns();
    const taskQueue = `cache-${cache ?? 'default'}-${rows.length}-${tag}`;
    const stop = await startWorkers(env, bundle, fake, taskQueue, cache);
    await runPayments(env.client, fake, taskQueue, 5, 5, `${taskQueue}-warm`);
    const payments = repeats ? Math.ceil(plan.cachePayments / 5) : plan.cachePayments;
    const cpu = process.cpuUsage();
    const started = performance.now();
    await runPayments(env.client, fake, taskQueue, payments, 10, taskQueue, repeats);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    await stop();
    const events = (await env.client.workflow.getHandle(testInput(`${taskQueue}-0`).paymentId).describe())
      .historyLength;
    const cpuSeconds = (used.user + used.system) / 1e6;
    const row = {
      cache: cache === undefined ? 'default (cached)' : 'maxCachedWorkflows 0',
      webhooks: repeats + 2,
      events,
      payments,
      seconds,
      cpuSeconds,
      cpuMsPerPayment: (cpuSeconds * 1000) / payments,
    };
    log(
      `${row.cache}, ${row.events} events: ${payments} payments in ${seconds.toFixed(1)} s, ${cpuSeconds.toFixed(1)} CPU s`,
    );
    rows.push(row);
  }
  return rows;
}

async function main() {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  });
  const machine = machineLine();
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
  const bundle = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: quiet });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      port: await freePort(),
      searchAttributes: [...PAYMENT_SEARCH_ATTRIBUTES],
      extraArgs: TEMPORAL_DEV_SERVER_DYNAMIC_CONFIG.flatMap((value) => ['--dynamic-config-value', value]),
    },
  });
  try {
    const fake = new FakeDfns();
    const taskQueue = `reads-${tag}`;
    const stop = await startWorkers(env, bundle, fake, taskQueue);
    const handles = await Promise.all(
      Array.from({ length: plan.payments }, (_, i) => startPayment(env.client, taskQueue, `${taskQueue}-${i}`)),
    );
    // Submitted and idle: the submission is answered, and the first silence poll is a minute away.
    for (const handle of handles)
      for (
        let i = 0;
        i < 400 && (await readWorkflow(env.client, handle.workflowId, PAYMENT_READ)).status !== 'Submitted';
        i++
      )
        await sleep(25);
    const reads = await measureReads(env.client, handles);
    await stop();
    const cache = await measureCache(env, bundle);

    const lines = [
      `bench:reads on ${machine}`,
      `reads of a running, idle payment (${plan.payments} payments, ${plan.readsEach} rounds each):`,
      '| path | reads | p50 ms | p95 ms | history events / read | history bytes / read | billed actions / read |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...reads.map(
        (row) =>
          `| ${row.path} | ${row.reads} | ${row.p50.toFixed(1)} | ${row.p95.toFixed(1)} | ${row.eventsPerRead.toFixed(2)} | ` +
          `${Math.round(row.bytesPerRead)} | ${row.actionsPerRead} |`,
      ),
      'worker CPU with and without the workflow cache (payments to Confirmed, 10 at a time; the process: worker, client, fake Dfns):',
      '| worker | webhooks / payment | history events | payments | seconds | CPU s | CPU ms / payment |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...cache.map(
        (row) =>
          `| ${row.cache} | ${row.webhooks} | ${row.events} | ${row.payments} | ${row.seconds.toFixed(1)} | ` +
          `${row.cpuSeconds.toFixed(1)} | ${row.cpuMsPerPayment.toFixed(1)} |`,
      ),
    ];
    console.log(lines.join('\n'));
  } finally {
    await env.teardown();
  }
}

await main();
process.exit(0);
