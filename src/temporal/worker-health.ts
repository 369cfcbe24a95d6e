import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { hostname } from 'node:os';

const { TaskQueueType, TaskQueueKind } = proto.temporal.api.enums.v1;

/** What the health check found: healthy when a worker on this host polled the queue recently. */
export interface WorkerHealth {
  healthy: boolean;
  detail: string;
}

/**
 * Asks Temporal whether a worker on this host polls the payment task queue. A worker's default identity is
 * `<pid>@<hostname>`, and the server keeps each poller's last access time, so this checks what matters (connected
 * and polling), not merely that the process is alive. Run inside the worker's container, the host is the container.
 */
export async function checkWorkerHealth(
  connection: Connection,
  target: { namespace: string; taskQueue: string; host?: string; maxSilenceSeconds?: number },
): Promise<WorkerHealth> {
  const host = target.host ?? hostname();
  const maxSilenceMs = (target.maxSilenceSeconds ?? 120) * 1000;
  const { pollers } = await connection.workflowService.describeTaskQueue({
    namespace: target.namespace,
    taskQueue: { name: target.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  const ours = (pollers ?? []).filter((poller) => poller.identity?.endsWith(`@${host}`));
  const seconds = (poller: (typeof ours)[number]) => Number(poller.lastAccessTime?.seconds ?? 0) * 1000;
  const latest = Math.max(0, ...ours.map(seconds));
  if (ours.length === 0) return { healthy: false, detail: `no worker on ${host} polls task queue ${target.taskQueue}` };
  const silence = Date.now() - latest;
  if (silence > maxSilenceMs) {
    return { healthy: false, detail: `the worker on ${host} last polled ${Math.round(silence / 1000)} s ago` };
  }
  return { healthy: true, detail: `a worker on ${host} polls task queue ${target.taskQueue}` };
}
