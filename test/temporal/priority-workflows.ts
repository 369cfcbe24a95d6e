import { proxyActivities, sleep } from '@temporalio/workflow';

/** The one activity of the priority test: notes that it ran, in the order the server dispatched it. */
export interface PriorityActivities {
  record(name: string): Promise<void>;
}

/**
 * Schedules a backlog of routine activities (default priority 3) on a rate-limited queue, then, once they wait,
 * a few urgent ones (priority 1, as the payment workflow gives operator actions), and waits for all of them.
 */
export async function priorityBacklog(input: { queue: string; routine: number; urgent: number }): Promise<void> {
  const options = { taskQueue: input.queue, startToCloseTimeout: '1 minute' } as const;
  const routine = proxyActivities<PriorityActivities>(options);
  const urgent = proxyActivities<PriorityActivities>({ ...options, priority: { priorityKey: 1 } });
  const all: Promise<void>[] = [];
  for (let i = 0; i < input.routine; i++) all.push(routine.record(`routine-${i}`));
  await sleep('1 second');
  for (let i = 0; i < input.urgent; i++) all.push(urgent.record(`urgent-${i}`));
  await Promise.all(all);
}
