import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { paymentIdFor } from '../../src/contracts/payment-id';
import {
  callbackTaskQueue,
  DFNS_COST_CLASSES,
  dfnsTaskQueue,
  type DfnsCostClass,
} from '../../src/contracts/task-queues';
import {
  PAYMENT_BASELINE,
  paymentStateQuery,
  type PaymentWorkflowInput,
  type PaymentTimings,
} from '../../src/contracts/payment-messages';
import type { PaymentState } from '../../src/contracts/payment-state';
import type { PaymentRequest } from '../../src/contracts/payment-request';
import { paymentSearchAttributeTypes } from '../../src/temporal/search-attribute-registry';
import type { FakeDfns } from './fake-dfns';
import { paymentWorkflowBundle } from './workflow-bundle-cache';

/** The Java time-skipping test server, from the project's provisioning script; throws (failing the suite) if none. */
export function testServerPath(): string {
  const script = fileURLToPath(new URL('../../scripts/temporal-test-server.sh', import.meta.url));
  return execFileSync(script, { stdio: ['ignore', 'pipe', 'inherit'] })
    .toString()
    .trim();
}

let runtimeInstalled = false;

/**
 * A time-skipping environment and the workflow bundle, created once per test file; with a data converter (a payload
 * codec), its client converts through it, as workers given the same one to withWorker do.
 */
export async function startTimeSkipping(options: { dataConverter?: DataConverter } = {}): Promise<{
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundle;
}> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const bundle = await paymentWorkflowBundle();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerPath() } },
    ...(options.dataConverter ? { client: { dataConverter: options.dataConverter } } : {}),
  });
  // The test server refuses upserts of unregistered attributes, as a real server does; register the payment's
  // (it cannot list them, so they are added outright).
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: paymentSearchAttributeTypes(),
  });
  return { env, bundle };
}

let queue = 0;

/** Runs `fn` while a worker with the fake Dfns activities polls a fresh task queue. */
export async function withWorker<T>(
  env: TestWorkflowEnvironment,
  bundle: WorkflowBundle,
  fake: FakeDfns,
  fn: (taskQueue: string) => Promise<T>,
  /** More activities for every queue (the pool tests' balance read and reservation), given the task queue. */
  extra: (taskQueue: string) => object = () => ({}),
  /** The data converter of every worker (the one the environment's client was started with). */
  dataConverter: DataConverter = {},
): Promise<T> {
  const taskQueue = `wf-test-${++queue}`;
  const activities = { ...fake.activities, ...extra(taskQueue) };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities,
    dataConverter,
  });
  // Outcome callbacks run on a queue of their own (see src/contracts/task-queues.ts), served here by the same fake.
  const callbacks = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: callbackTaskQueue(taskQueue),
    dataConverter,
    activities: {
      sendOutcomeCallback: (input: Parameters<typeof fake.activities.sendOutcomeCallback>[0]) =>
        fake.activities.sendOutcomeCallback(input),
    },
  });
  // And the Dfns activities on their cost-class queues.
  const classes = await Promise.all(
    (Object.keys(DFNS_COST_CLASSES) as DfnsCostClass[]).map((costClass) =>
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: dfnsTaskQueue(taskQueue, costClass),
        dataConverter,
        activities,
      }),
    ),
  );
  let running = worker.runUntil(fn(taskQueue));
  for (const other of [callbacks, ...classes]) running = other.runUntil(running);
  return running;
}

/** A valid request for workflow tests. */
export function testRequest(key: string, patch: Partial<PaymentRequest> = {}): PaymentRequest {
  return {
    idempotencyKey: key,
    walletId: 'wa-test-0001',
    network: 'EthereumSepolia',
    asset: { kind: 'Erc20', contract: '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238', symbol: 'USDC', decimals: 6 },
    to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    amount: '1500000',
    ...patch,
  };
}

/** Workflow input with the default timings, overridable per test, and the baseline every starter gives. */
export function testInput(
  key: string,
  timings: Partial<PaymentTimings> = {},
  patch: Partial<PaymentRequest> = {},
): PaymentWorkflowInput {
  return { paymentId: paymentIdFor(key), request: testRequest(key, patch), timings, baseline: PAYMENT_BASELINE };
}

/** Polls a payment's state query (no time passes on the test server) until it satisfies `ok`. */
export async function waitForState(
  handle: { query(query: typeof paymentStateQuery): Promise<PaymentState> },
  ok: (state: PaymentState) => boolean,
): Promise<PaymentState> {
  for (let i = 0; i < 200; i++) {
    const state = await handle.query(paymentStateQuery);
    if (ok(state)) return state;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`condition not reached; payment is ${(await handle.query(paymentStateQuery)).status}`);
}
