import { Client } from '@temporalio/client';
import type { DataConverter, WorkerDeploymentVersion } from '@temporalio/common';
import { bundleWorkflowCode, Worker, type InjectedSinks, type NativeConnection } from '@temporalio/worker';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import { readFileSync } from 'node:fs';
import { createBatchActivities } from '../../activities/batch-activities';
import { createCallbackActivities } from '../../activities/callback-activities';
import { createDfnsActivities } from '../../activities/dfns-activities';
import { createPoolActivities } from '../../activities/pool-activities';
import { createReconciliationActivities } from '../../activities/reconciliation-activities';
import { createReconciliationTriggerActivities } from '../../activities/reconciliation-trigger-activities';
import { createWalletBalanceActivities } from '../../activities/wallet-balance-activities';
import type { ClientBindings } from '../clients/client-bindings';
import type { CallbackPolicy } from '../callbacks/callback-url-policy';
import type { PoolDefinition } from '../contracts/pool-definition';
import type { PoolWorkflowInput } from '../contracts/pool-messages';
import type { ReconciliationTimings } from '../contracts/reconciliation-messages';
import {
  callbackTaskQueue,
  DFNS_COST_CLASSES,
  dfnsClassRate,
  dfnsTaskQueue,
  type DfnsCostClass,
} from '../contracts/task-queues';
import type { DfnsGateway } from '../dfns/dfns-gateway';
import { activityObserver } from '../observability/activity-observer';
import { untracedWorkflowSinks } from '../observability/tracing';
import { workerInterceptors } from './tracing-interceptors';
import { workflowBundleOptions } from './workflow-bundle';
import { bundleBuildId, deploymentWorkerOptions, type WorkerDeployment } from './worker-deployment';

/** What a payment worker needs. */
export interface PaymentWorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dfns: DfnsGateway;
  /** Signs outcome callbacks; without it, payments that ask for a callback record that none was sent. */
  callbackSecret?: string;
  /** Where callbacks may go: https to public addresses only, when not given. */
  callbackPolicy?: CallbackPolicy;
  /**
   * Server-side cap on activity starts per second for the whole task queue, across all workers. Every Dfns
   * mutation costs three requests (challenge, signature, call) of the org's ~1000 a minute.
   */
  maxTaskQueueActivitiesPerSecond?: number;
  /**
   * The Dfns budget in requests per second, shared by the cost-class queues (src/contracts/task-queues.ts): each
   * queue's server-side rate is its share divided by what one of its activities costs. Unset: no limit.
   */
  dfnsRequestsPerSecond?: number;
  /**
   * A workflow bundle built ahead of time (scripts/build-workflow-bundle.ts; the image builds one), so the worker
   * starts without webpack. Without it the worker bundles WORKFLOWS_PATH at start-up, as in development.
   */
  workflowBundlePath?: string;
  /** How many workflows to keep cached (workflow-cache.ts sizes it from the worker's memory); SDK default if unset. */
  maxCachedWorkflows?: number;
  /** The wallet pools payments may name (PAYMENT_POOLS_FILE); a payment naming another pool fails PoolUnavailable. */
  pools?: readonly PoolDefinition[];
  /**
   * Which wallets and pools each client may pay from (PAYMENT_CLIENTS_FILE), checked again before every submission
   * and pool reservation: a payment paying from anything else fails WalletNotBound before any Dfns call.
   */
  clients: ClientBindings;
  /** How long a pool payment no wallet can pay waits for a refill (PAYMENT_POOL_REFILL_WAIT_MINUTES). */
  refillWaitMs?: number;
  /** Overrides the pool workflows' timings (tests). */
  poolTimings?: PoolWorkflowInput['timings'];
  /** The reconciliations' timings (RECONCILIATION_LOOKBACK_HOURS; tests shorten others). */
  reconciliationTimings?: Partial<ReconciliationTimings>;
  /** Where workflow spans go (src/observability/tracing.ts); dropped when not given. */
  workflowSpanSinks?: InjectedSinks<OpenTelemetrySinks>;
  /** How payloads are converted and encrypted (src/temporal/data-converter.ts), for every worker and the client. */
  dataConverter?: DataConverter;
  /** Run as a version of this Worker Deployment (WORKER_DEPLOYMENT_NAME); unversioned when unset. */
  deployment?: WorkerDeployment;
}

/** The bundler's progress lines stay out of the worker's log. */
const quietBundler = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

/** A day: how long a pool payment waits for a refill unless configured otherwise. */
const DEFAULT_REFILL_WAIT_MS = 24 * 3_600_000;

/**
 * The payment workers: the payment task queue (workflows, and the activities of payments started before the
 * cost-class queues), one per Dfns cost class under its share of the budget, and one for outcome callbacks.
 */
export interface PaymentWorkers {
  /** Runs both until shutdown (or SIGINT/SIGTERM); rejects if either fails. */
  run(): Promise<void>;
  shutdown(): void;
  /** The Worker Deployment version every queue polls as, when versioned. */
  version?: WorkerDeploymentVersion;
}

/**
 * Creates the workers of a payment task queue: the workflows and the Dfns activities under the Dfns rate limit,
 * and, on `callbackTaskQueue`, the outcome callbacks with no limit, so they never spend the Dfns budget.
 */
export async function createPaymentWorker(deps: PaymentWorkerDeps): Promise<PaymentWorkers> {
  const pools = deps.pools ?? [];
  // The pool, batch and reconciliation activities reach workflows (pools, payments, reconciliations) through
  // Temporal, on the payment task queue.
  const dataConverter = deps.dataConverter ?? {};
  const temporal = new Client({ connection: deps.connection, namespace: deps.namespace, dataConverter });
  const dfnsActivities = {
    ...createDfnsActivities({ dfns: deps.dfns, payers: { clients: deps.clients, pools } }),
    ...createWalletBalanceActivities({ dfns: deps.dfns }),
    ...createReconciliationActivities({ dfns: deps.dfns, temporal }),
  };
  const reconciliationTriggers = createReconciliationTriggerActivities({
    temporal,
    taskQueue: deps.taskQueue,
    pools,
    ...(deps.reconciliationTimings ? { timings: deps.reconciliationTimings } : {}),
  });
  const batchActivities = createBatchActivities({ temporal });
  const poolActivities = createPoolActivities({
    temporal,
    pools,
    clients: deps.clients,
    taskQueue: deps.taskQueue,
    refillWaitMs: deps.refillWaitMs ?? DEFAULT_REFILL_WAIT_MS,
    ...(deps.poolTimings ? { poolTimings: deps.poolTimings } : {}),
  });
  const callbackActivities = createCallbackActivities({
    secret: deps.callbackSecret,
    ...(deps.callbackPolicy ? { policy: deps.callbackPolicy } : {}),
  });
  // Metrics and log bindings for every Dfns call and callback, kept out of the activities themselves.
  const interceptors = workerInterceptors({
    activity: [
      activityObserver({
        dfnsActivities: Object.keys(dfnsActivities),
        callbackActivities: Object.keys(callbackActivities),
      }),
    ],
  });
  const bundle = workflowBundleOptions();
  // A versioned worker names its version after its workflow code unless the image names it: the code is read (or
  // bundled) here, once, and handed to the worker as it is.
  let workflows: Parameters<typeof Worker.create>[0] = deps.workflowBundlePath
    ? { taskQueue: deps.taskQueue, workflowBundle: { codePath: deps.workflowBundlePath } }
    : {
        taskQueue: deps.taskQueue,
        workflowsPath: bundle.workflowsPath,
        bundlerOptions: { preloadModules: bundle.preloadModules },
      };
  let version: WorkerDeploymentVersion | undefined;
  if (deps.deployment) {
    let buildId = deps.deployment.buildId;
    if (!buildId) {
      const code = deps.workflowBundlePath
        ? readFileSync(deps.workflowBundlePath, 'utf8')
        : (await bundleWorkflowCode({ ...bundle, logger: quietBundler })).code;
      if (!deps.workflowBundlePath) workflows = { taskQueue: deps.taskQueue, workflowBundle: { code } };
      buildId = bundleBuildId(code);
    }
    version = { deploymentName: deps.deployment.deploymentName, buildId };
  }
  // Every queue polls as the same version: a pinned payment's activities (the Dfns cost classes, the callback) are
  // then dispatched to the workers of the version that runs the payment, never to another version's code.
  const versioned = deploymentWorkerOptions(version);
  const main = await Worker.create({
    ...workflows,
    ...versioned,
    connection: deps.connection,
    namespace: deps.namespace,
    dataConverter,
    // Callbacks stay registered here too: payments started before the callback queue still schedule them here.
    activities: {
      ...dfnsActivities,
      ...callbackActivities,
      ...poolActivities,
      ...batchActivities,
      ...reconciliationTriggers,
    },
    // A prebuilt bundle carries its workflow interceptor modules (tracing) already; bundling here adds them.
    interceptors:
      'workflowBundle' in workflows
        ? interceptors
        : { ...interceptors, workflowModules: bundle.workflowInterceptorModules },
    sinks: deps.workflowSpanSinks ?? untracedWorkflowSinks(),
    ...(deps.maxTaskQueueActivitiesPerSecond
      ? { maxTaskQueueActivitiesPerSecond: deps.maxTaskQueueActivitiesPerSecond }
      : {}),
    // One V8 context shared by every workflow (the SDK's default, stated because the cache sizing assumes it).
    reuseV8Context: true,
    ...(deps.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: deps.maxCachedWorkflows } : {}),
  });
  const callbacks = await Worker.create({
    ...versioned,
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: callbackTaskQueue(deps.taskQueue),
    dataConverter,
    activities: callbackActivities,
    interceptors,
  });
  const classes = await Promise.all(
    (Object.keys(DFNS_COST_CLASSES) as DfnsCostClass[]).map((costClass) => {
      const rate = deps.dfnsRequestsPerSecond ? dfnsClassRate(deps.dfnsRequestsPerSecond, costClass) : undefined;
      return Worker.create({
        ...versioned,
        connection: deps.connection,
        namespace: deps.namespace,
        taskQueue: dfnsTaskQueue(deps.taskQueue, costClass),
        dataConverter,
        activities: dfnsActivities,
        interceptors,
        ...(rate ? { maxTaskQueueActivitiesPerSecond: rate } : {}),
      });
    }),
  );
  const workers = [main, callbacks, ...classes];
  return {
    ...(version ? { version } : {}),
    async run() {
      const running = workers.map((worker) => worker.run());
      try {
        await Promise.all(running);
      } finally {
        // One stopped (or failed): stop the other too, and wait for both.
        for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
        await Promise.allSettled(running);
      }
    },
    shutdown() {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}
