/** The simulated-time knob: every simulated delay is divided by `scale`, changeable at runtime. */
export interface TimeControl {
  readonly now: () => number;
  /** The current time scale (1 = real time). */
  readonly scale: number;
  /** Turns a real-world duration into the wall-clock ms it takes at the current scale. */
  scaled(ms: number): number;
  /** Changes the scale; returns the ratio old/new by which pending waits shrink or grow. */
  setScale(scale: number): number;
}

/** Creates the time knob; `now` is injectable so unit tests can pin the clock. */
export function createTimeControl(initialScale: number, now: () => number = Date.now): TimeControl {
  let scale = initialScale;
  return {
    now,
    get scale() {
      return scale;
    },
    scaled: (ms) => ms / scale,
    setScale(next) {
      const ratio = scale / next;
      scale = next;
      return ratio;
    },
  };
}

/** Moves a future due time so the remaining wait follows a new scale; past due times are kept. */
export function rescaleDueTime(dueAt: number, now: number, ratio: number): number {
  return dueAt <= now ? dueAt : now + (dueAt - now) * ratio;
}
