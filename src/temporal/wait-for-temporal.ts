import { ExpectedExit } from '../expected-exit';

/** Where the waits are logged (a pino logger fits). */
export interface WaitLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** How long to keep trying and how the waits between attempts grow. */
export interface WaitOptions {
  logger: WaitLogger;
  /** Shown in every log line, e.g. the Temporal address. */
  target: string;
  /** Give up (rethrowing the last error) once this much time has passed; unset: never give up. */
  timeoutMs?: number;
  /** The first wait; each next one doubles, up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Injected by tests; real waits otherwise. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * Thrown when Temporal stayed unreachable for the whole timeout; carries the last connection error. An expected
 * exit: the process prints its message as one line and exits 1.
 */
export class TemporalUnreachableError extends ExpectedExit {
  override name = 'TemporalUnreachableError';
  readonly type = 'TemporalUnreachable';
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `connect` until it succeeds, waiting a capped, doubling delay between attempts and logging each failure
 * with its reason. Under docker-compose or Kubernetes the worker may well start before Temporal: it waits (as the
 * bridge does by connecting lazily) instead of exiting 1 and leaving the restart loop to the orchestrator.
 */
export async function waitForTemporal<T>(connect: () => Promise<T>, options: WaitOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const initial = options.initialDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const waited = now() - started;
      if (options.timeoutMs !== undefined && waited >= options.timeoutMs) {
        throw new TemporalUnreachableError(
          `Temporal at ${options.target} unreachable for ${Math.round(waited / 1000)} s (${attempt} attempts): ${reason}`,
        );
      }
      let delay = Math.min(max, initial * 2 ** Math.min(attempt - 1, 30));
      if (options.timeoutMs !== undefined) delay = Math.max(0, Math.min(delay, options.timeoutMs - waited));
      options.logger.warn(
        { temporal: options.target, attempt, reason, retryInMs: delay },
        'waiting for Temporal: cannot connect yet',
      );
      await sleep(delay);
    }
  }
}
