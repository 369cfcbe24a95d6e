import type { Level } from 'pino';
import { createLogger, type Logger } from '../../src/logger';

/** A real project logger (same redaction, same format) whose lines are kept in memory for assertions. */
export interface LogCapture {
  logger: Logger;
  /** Every line exactly as it would have been written. */
  lines: string[];
  /** The lines parsed. */
  records: () => Record<string, unknown>[];
}

/** Creates a {@link LogCapture}; `level` defaults to `info`. */
export function captureLogs(name = 'test', level: Level = 'info'): LogCapture {
  const lines: string[] = [];
  const logger = createLogger({ name, level, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
