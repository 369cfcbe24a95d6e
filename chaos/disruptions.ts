import type { ChaosStack } from './chaos-stack';

/** What the disruptions did. */
export interface DisruptionCounts {
  workerKills: number;
  temporalRestarts: number;
}

/**
 * Kills the worker (`kill -9`) and restarts the Temporal dev server while payments are in flight: the first kill
 * after `firstAfterMs`, the first restart `everyMs / 2` later, then alternating every `everyMs`, until `stop()`
 * or the deadline. Each action is awaited, so two never overlap.
 */
export function disrupt(stack: ChaosStack, options: { firstAfterMs: number; everyMs: number; deadline: number }) {
  const counts: DisruptionCounts = { workerKills: 0, temporalRestarts: 0 };
  let stopped = false;
  let wake: () => void = () => undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });
  const done = (async () => {
    await pause(options.firstAfterMs);
    for (let turn = 0; !stopped && Date.now() < options.deadline; turn += 1) {
      if (turn % 2 === 0) {
        await stack.killWorker(1500);
        counts.workerKills += 1;
        await pause(options.everyMs / 2);
      } else {
        await stack.restartTemporal(2000);
        counts.temporalRestarts += 1;
        await pause(options.everyMs);
      }
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
