import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { callbackPolicy } from './callbacks/callback-url-policy';
import { ConfigError, type Config } from './config';
import { resolveDfnsCredentials } from './dfns/credentials';
import { missingSearchAttributes } from './temporal/search-attribute-registry';
import { dfnsBudget, describeDfnsBudget } from './dfns/dfns-budget';
import { createDfnsGateway } from './dfns/dfns-gateway';
import { createDfnsSigner } from './dfns/dfns-signer';
import { createLogger } from './logger';
import { installWorkerRuntime } from './observability/worker-runtime';
import { loadPoolFile } from './pools/load-pool-file';
import { startTracing } from './observability/tracing';
import { loadClientBindings } from './clients/load-clients-file';
import { connectTemporalWorker, describeTemporalSecurity, temporalConnectionOptions } from './temporal/connection';
import { createPaymentWorker } from './temporal/payment-worker';
import { reconciliationPlan } from './reconciliation/reconciliation-plan';
import { ensureReconciliationSchedules } from './reconciliation/reconciliation-schedules';
import { Client } from '@temporalio/client';
import { waitForTemporal } from './temporal/wait-for-temporal';
import { limitWorkflowThreadHeap, workflowCacheSize } from './temporal/workflow-cache';
import { describePayloadCodec, paymentDataConverter, payloadCodecFromConfig } from './temporal/data-converter';
import { bundleInOwnProcess } from './temporal/workflow-bundle-process';
import type { WorkerLaunch } from './worker-launch';

/**
 * Runs the payment worker until it is stopped (SIGINT/SIGTERM): its Temporal runtime, its workers and their logs.
 * src/worker.ts calls it once the process has the limits `launch` describes.
 */
export async function runWorker(config: Config, launch: WorkerLaunch): Promise<void> {
  const logger = createLogger({ name: 'worker', level: config.LOG_LEVEL });
  // Before any connection: the SDK, the workflows' `log` and the activities' `Context.log` all write through pino.
  installWorkerRuntime({
    logger,
    sdkLogLevel: config.TEMPORAL_SDK_LOG_LEVEL,
    metricsAddress: config.WORKER_METRICS_ADDRESS,
  });
  if (config.WORKER_BUILD_ID && !config.WORKER_DEPLOYMENT_NAME)
    throw new ConfigError('WORKER_BUILD_ID names a version of a Worker Deployment: set WORKER_DEPLOYMENT_NAME too');
  const credentials = resolveDfnsCredentials(config);
  // Traces the workflows, the activities and their Dfns requests, when an OTLP endpoint is set.
  const tracing = startTracing(config, { serviceName: 'payments-worker', dfnsBaseUrl: credentials.baseUrl });
  // Opened before Temporal: a wrong PKCS#11 module, token, PIN or key stops the worker at once, naming the variable.
  const signer = createDfnsSigner(credentials);
  const budget = dfnsBudget(config);
  for (const deprecation of budget.deprecations) logger.warn(deprecation);
  const pools = loadPoolFile(config.PAYMENT_POOLS_FILE);
  const clients = loadClientBindings(config.PAYMENT_CLIENTS_FILE, pools);
  if (config.PAYMENT_CLIENTS_FILE === undefined)
    logger.warn('no clients file (PAYMENT_CLIENTS_FILE): every payment will fail WalletNotBound before reaching Dfns');
  // Before Temporal too: unreadable codec keys stop the worker before it could take a task it cannot decrypt.
  const codec = payloadCodecFromConfig(config);
  if (!codec) logger.warn('TEMPORAL_CODEC_KEYS_FILE is not set: payments are stored in Temporal in clear');
  const configured = config.TEMPORAL_WORKFLOW_BUNDLE_PATH;
  if (configured && !existsSync(configured)) {
    throw new ConfigError(
      `TEMPORAL_WORKFLOW_BUNDLE_PATH: no file at ${configured} (npm run build writes dist/workflow-bundle.js)`,
    );
  }
  const timeout = config.TEMPORAL_CONNECT_TIMEOUT_SECONDS;
  const connection = await waitForTemporal(() => connectTemporalWorker(config), {
    logger,
    target: config.TEMPORAL_ADDRESS,
    ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
  });
  const maxCachedWorkflows = workflowCacheSize(config.WORKER_MEMORY_MIB, config.WORKER_MAX_CACHED_WORKFLOWS);
  const workflowHeap = limitWorkflowThreadHeap(maxCachedWorkflows, config.WORKER_WORKFLOW_HEAP_MIB);
  // Without them every workflow task would fail on its first upsert, so refuse to start instead.
  const missing = await missingSearchAttributes(connection.operatorService, config.TEMPORAL_NAMESPACE);
  if (missing.length > 0) {
    throw new ConfigError(
      `namespace ${config.TEMPORAL_NAMESPACE} lacks the search attributes ${missing.join(', ')}; register them first ` +
        '(npm run dev and docker-compose do; see docs/operations.md, "Search attributes")',
    );
  }
  // Checked before anything starts: a pool to reconcile must be in the pools file.
  const plan = reconciliationPlan(config, pools);
  // No prebuilt bundle (npm run worker): built now, in a process of its own, and read once by the worker.
  const bundle = configured ?? (await bundleInOwnProcess());
  const worker = await createPaymentWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    dfns: createDfnsGateway(credentials, signer),
    callbackSecret: config.CALLBACK_SIGNING_SECRET,
    callbackPolicy: callbackPolicy({
      insecureHosts: config.CALLBACK_ALLOWED_INSECURE_HOSTS,
      callbackHostsOf: clients.callbackHostsOf,
    }),
    maxTaskQueueActivitiesPerSecond: budget.paymentQueueActivitiesPerSecond,
    dfnsRequestsPerSecond: budget.requestsPerSecond,
    workflowBundlePath: bundle,
    maxCachedWorkflows,
    pools,
    clients,
    refillWaitMs: config.PAYMENT_POOL_REFILL_WAIT_MINUTES * 60_000,
    reconciliationTimings: { lookbackMs: config.RECONCILIATION_LOOKBACK_HOURS * 3_600_000 },
    workflowSpanSinks: tracing.workflowSinks,
    dataConverter: paymentDataConverter(codec),
    ...(config.WORKER_DEPLOYMENT_NAME
      ? { deployment: { deploymentName: config.WORKER_DEPLOYMENT_NAME, buildId: config.WORKER_BUILD_ID } }
      : {}),
  });
  if (!configured) rmSync(dirname(bundle), { recursive: true, force: true });
  const schedules = await ensureReconciliationSchedules(
    new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: paymentDataConverter(codec) }),
    config.TEMPORAL_TASK_QUEUE,
    plan,
  );
  logger.info(
    {
      temporal: config.TEMPORAL_ADDRESS,
      metrics: `http://${config.WORKER_METRICS_ADDRESS}/metrics`,
      temporalSecurity: describeTemporalSecurity(temporalConnectionOptions(config)),
      payloads: describePayloadCodec(codec),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      dfns: credentials.baseUrl,
      credentials: credentials.source,
      signer: signer.description,
      dfnsBudget: describeDfnsBudget(budget),
      callbacks: config.CALLBACK_SIGNING_SECRET ? 'signed' : 'not configured',
      callbackInsecureHosts: config.CALLBACK_ALLOWED_INSECURE_HOSTS ?? [],
      workflows: configured ?? 'bundled at start-up, in a process of its own',
      memoryMiB: config.WORKER_MEMORY_MIB,
      maxCachedWorkflows,
      workflowHeapMiB: workflowHeap,
      // This thread's V8 limit as V8 reports it: from WORKER_MEMORY_MIB (src/worker-launch.ts) or the operator's flag.
      mainHeapMiB: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
      launch: {
        relaunched: config.WORKER_RELAUNCHED === '1',
        mainHeapMiB: launch.mainHeapMiB,
        heapLimitFrom: launch.operatorHeapLimit ? 'operator' : 'WORKER_MEMORY_MIB',
      },
      pools: pools.map((pool) => pool.name),
      reconciliationSchedules: schedules,
      tracing: tracing.description,
      clients: clients.clientIds,
      deploymentVersion: worker.version ? `${worker.version.deploymentName}:${worker.version.buildId}` : 'unversioned',
    },
    'worker running',
  );
  // Worker.run() handles SIGINT/SIGTERM itself: it stops polling, lets running activities finish, then resolves.
  await worker.run();
  await connection.close();
  await signer.close();
  await tracing.shutdown();
  logger.info('worker stopped');
}
