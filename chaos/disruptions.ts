import type { ChaosStack } from './chaos-stack';

/** What the disruptions did. */
export interface DisruptionCounts {
  workerKills: number;
  temporalRestarts: number;
}

/**
 * Kills the worker (`kill -9`) and restarts the Temporal dev server while payments are in flight, alternately, at
 * most `max` of each: the first kill after `firstAfterMs`, then one action every `everyMs` counted from the moment
 * the worker runs again (a worker killed before it could run would test nothing but start-up), until `stop()` or the
 * deadline. Each action is awaited, so two never overlap.
 */
export function disrupt(
  stack: ChaosStack,
  options: { firstAfterMs: number; everyMs: number; max: number; deadline: number },
) {
  const counts: DisruptionCounts = { workerKills: 0, temporalRestarts: 0 };
  let stopped = false;
  let wake: () => void = () => undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });
  const more = () => !stopped && Date.now() < options.deadline;
  const done = (async () => {
    await pause(options.firstAfterMs);
    for (let turn = 0; more() && counts.temporalRestarts < options.max; turn += 1) {
      if (turn % 2 === 0) {
        await stack.killWorker(1500);
        counts.workerKills += 1;
      } else {
        await stack.restartTemporal(2000);
        counts.temporalRestarts += 1;
      }
      await stack.workerRunning(Math.max(0, options.deadline - Date.now()));
      if (more()) await pause(options.everyMs);
    }
  })();
  return {
    counts,
    /** Stops after the action under way, if any. */
    async stop() {
      stopped = true;
      wake();
      await done;
    },
  };
}
