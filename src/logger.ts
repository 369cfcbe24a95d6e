import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Field names whose values are secrets wherever they appear (top level or up to three objects deep): tokens, keys,
 * signatures and the environment variables holding them. Redaction is configuration, so a careless call site
 * cannot leak them: the value is replaced before the line is written.
 */
export const SECRET_FIELDS = [
  'authorization',
  'Authorization',
  'cookie',
  'token',
  'authToken',
  'accessToken',
  'userActionToken',
  'apiKey',
  'privateKey',
  'secret',
  'secrets',
  'webhookSecret',
  'callbackSecret',
  'signature',
  'password',
  'x-dfns-webhook-signature',
  'x-payment-signature',
  'x-dfns-useraction',
  'x-api-key',
  'DFNS_AUTH_TOKEN',
  'DFNS_PRIVATE_KEY',
  'DFNS_PKCS11_PIN',
  'pin',
  'DFNS_WEBHOOK_SECRETS',
  'DFNS_APPROVER_AUTH_TOKEN',
  'DFNS_APPROVER_PRIVATE_KEY',
  'CALLBACK_SIGNING_SECRET',
  'API_CURSOR_SECRET',
  'cursorSecret',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS_CLIENT_KEY_DATA',
  'PAYMENTS_API_KEY',
  // A Temporal task token completes or fails its activity: the Temporal logger drops it, this redacts any other.
  'taskToken',
  'OTEL_EXPORTER_OTLP_HEADERS',
] as const;

const accessor = (field: string): string => (/^[A-Za-z_$][\w$]*$/.test(field) ? `.${field}` : `["${field}"]`);

/** The pino `redact` paths for {@link SECRET_FIELDS}. */
export const REDACT_PATHS: string[] = SECRET_FIELDS.flatMap((field) => {
  const tail = accessor(field);
  return [tail.startsWith('.') ? tail.slice(1) : tail, `*${tail}`, `*.*${tail}`, `*.*.*${tail}`];
});

/**
 * The trace and span a line was written in, so that a log line leads to its trace and back: the active span's ids, or
 * nothing outside a traced operation (and always nothing while tracing is off).
 */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? { trace_id: context.traceId, span_id: context.spanId } : {};
}

/**
 * How a process's logger is built; the destination defaults to stderr, written synchronously (stdout stays free for
 * CLI results, and a line written just before `process.exit` is not lost).
 */
export interface LoggerOptions {
  /** The process or component name, on every line as `name`. */
  name: string;
  level?: Level | 'silent';
  destination?: DestinationStream;
}

/** Creates the one logger format every process uses: pino JSON lines, ISO times, secrets redacted, trace ids. */
export function createLogger({ name, level = 'info', destination }: LoggerOptions): Logger {
  return pino(
    {
      name,
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      mixin: traceFields,
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}
