import type { DfnsApiClient } from '@dfns/sdk';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createDfnsActivities } from '../../activities/dfns-activities';

/** The workflow bundle entry, resolved from this file so it works from any working directory. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

/** What a payment worker needs. */
export interface PaymentWorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dfns: DfnsApiClient;
  /** Server-side cap on Dfns activity starts per second for the whole task queue (Dfns allows ~1000 requests/min). */
  maxTaskQueueActivitiesPerSecond?: number;
}

/** Creates a worker running the payment workflow and the Dfns activities. */
export function createPaymentWorker(deps: PaymentWorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createDfnsActivities({ dfns: deps.dfns }),
    ...(deps.maxTaskQueueActivitiesPerSecond ? { maxTaskQueueActivitiesPerSecond: deps.maxTaskQueueActivitiesPerSecond } : {}),
  });
}
