import { Worker, type NativeConnection } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createCallbackActivities } from '../../activities/callback-activities';
import { createDfnsActivities } from '../../activities/dfns-activities';
import type { DfnsGateway } from '../dfns/dfns-gateway';

/** The workflow bundle entry, resolved from this file so it works from any working directory. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

/** What a payment worker needs. */
export interface PaymentWorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dfns: DfnsGateway;
  /** Signs outcome callbacks; without it, payments that ask for a callback record that none was sent. */
  callbackSecret?: string;
  /**
   * Server-side cap on activity starts per second for the whole task queue, across all workers. Every Dfns
   * mutation costs three requests (challenge, signature, call) of the org's ~1000 a minute.
   */
  maxTaskQueueActivitiesPerSecond?: number;
  /**
   * A workflow bundle built ahead of time (scripts/build-workflow-bundle.ts; the image builds one), so the worker
   * starts without webpack. Without it the worker bundles WORKFLOWS_PATH at start-up, as in development.
   */
  workflowBundlePath?: string;
}

/** Creates a worker running the payment workflow and its activities. */
export function createPaymentWorker(deps: PaymentWorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    ...(deps.workflowBundlePath
      ? { workflowBundle: { codePath: deps.workflowBundlePath } }
      : { workflowsPath: WORKFLOWS_PATH }),
    activities: { ...createDfnsActivities({ dfns: deps.dfns }), ...createCallbackActivities({ secret: deps.callbackSecret }) },
    ...(deps.maxTaskQueueActivitiesPerSecond ? { maxTaskQueueActivitiesPerSecond: deps.maxTaskQueueActivitiesPerSecond } : {}),
  });
}
