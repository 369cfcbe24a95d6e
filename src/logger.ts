/** A structured logger: one JSON line per record, so the fields survive log shipping. Callers never pass secrets. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Creates a logger tagged with the component name, writing to stderr. */
export function createLogger(component: string): Logger {
  const write = (level: string) => (message: string, fields: Record<string, unknown> = {}) => {
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, component, message, ...fields })}\n`);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
