import { condition, sleep } from '@temporalio/workflow';

/**
 * Waits against one pending timer instead of starting a timer per wait. Temporal bills every timer started
 * (https://docs.temporal.io/cloud/actions#timer), and a `condition` with a timeout starts one each time it waits and
 * cancels it when woken: a payment woken by five webhooks used to start five silence timers. Here a timer that fires
 * earlier than needed is simply waited again, and one set for later than a new deadline is left to run (uncancelled,
 * it costs nothing more) while an earlier one is started. One Alarm belongs to one waiting loop.
 */
export class Alarm {
  private pending?: { at: number; fired: boolean };

  /** Waits until `wake()` holds (returns true) or workflow time reaches `at` (returns false). */
  async until(at: number, wake: () => boolean): Promise<boolean> {
    for (;;) {
      if (wake()) return true;
      if (Date.now() >= at) return false;
      if (!this.pending || this.pending.at > at) this.arm(at);
      const timer = this.pending as { fired: boolean };
      await condition(() => timer.fired || wake());
    }
  }

  private arm(at: number): void {
    const timer = { at, fired: false };
    this.pending = timer;
    const done = () => {
      timer.fired = true;
      if (this.pending === timer) this.pending = undefined;
    };
    // A cancelled timer (the payment's cancellation) only wakes the waiter: the wait's own condition reports it.
    sleep(at - Date.now()).then(done, done);
  }
}
