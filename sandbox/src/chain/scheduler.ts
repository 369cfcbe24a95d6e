/** Runs keyed tasks at absolute due times; callers persist the due times, this only holds timers. */
export interface Scheduler {
  /** Schedules (or reschedules) `key` to run `task` at epoch ms `dueAt`; overdue tasks run at once. */
  at(key: string, dueAt: number, task: () => void | Promise<void>): void;
  cancel(key: string): void;
  /** Cancels every timer but keeps accepting new ones (the admin reset). */
  clear(): void;
  /** Cancels every timer; later `at` calls are ignored, so nothing fires after close. */
  stop(): void;
}

// setTimeout overflows above 2^31-1 ms (~24.8 days); longer waits re-arm in steps.
const MAX_TIMER_MS = 2_147_483_647;

/** Creates a scheduler reading time from `now` (injectable so tests and time knobs can drive it). */
export function createScheduler(now: () => number = Date.now): Scheduler {
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  const arm = (key: string, dueAt: number, task: () => void | Promise<void>) => {
    const delay = Math.min(Math.max(0, dueAt - now()), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      if (timers.get(key) !== timer) return;
      if (dueAt > now()) return arm(key, dueAt, task);
      timers.delete(key);
      Promise.resolve()
        .then(task)
        .catch((err: unknown) => console.error(`[sandbox] scheduled task ${key} failed: ${(err as Error).message}`));
    }, delay);
    timers.set(key, timer);
  };

  return {
    at(key, dueAt, task) {
      if (stopped) return;
      const existing = timers.get(key);
      if (existing) clearTimeout(existing);
      arm(key, dueAt, task);
    },
    cancel(key) {
      const existing = timers.get(key);
      if (existing) clearTimeout(existing);
      timers.delete(key);
    },
    clear() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
