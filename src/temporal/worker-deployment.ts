import type { WorkerDeploymentVersion } from '@temporalio/common';
import { createHash } from 'node:crypto';

/**
 * The Worker Deployment version a worker runs as (https://docs.temporal.io/worker-deployments). A payment declares
 * Pinned (workflows/payment-workflow.ts): it finishes on the version that started it, so it never replays on code it
 * did not start with. The workflows that live on (pools, batches and their chunks) take the worker's default,
 * AutoUpgrade: each new version replays their histories, which the replay corpus (test/histories) and patched() guard.
 */
export interface WorkerDeployment {
  deploymentName: string;
  /** The image's build id (WORKER_BUILD_ID); otherwise the workflow bundle's hash (bundleBuildId). */
  buildId?: string;
}

/**
 * A build id from the workflow code itself: the same bundle is the same version however often it is deployed, and
 * any change to the workflows makes a new one. Activity-only changes then join the running version as a rolling
 * update (activities follow their workflows' version, so they must stay compatible with it).
 */
export function bundleBuildId(code: string): string {
  return `wf-${createHash('sha256').update(code).digest('hex').slice(0, 16)}`;
}

/** The worker options that make a worker a version of `deployment`, or none for an unversioned worker. */
export function deploymentWorkerOptions(version: WorkerDeploymentVersion | undefined) {
  if (!version) return {};
  return {
    workerDeploymentOptions: {
      useWorkerVersioning: true as const,
      version,
      defaultVersioningBehavior: 'AUTO_UPGRADE' as const,
    },
  };
}
