import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { Logger } from '../logger';

const SEVERITY: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };
const PINO_METHOD = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * The bindings a log line about a payment carries: the SDK tags activity and workflow lines with the workflow id
 * (the payment id), the run id and the activity attempt; this names them the same way on both. The SDK also tags
 * activity lines with the activity's whole task token, a credential that completes or fails the activity: it is
 * dropped here, so no line carries it.
 */
export function paymentBindings(meta: LogMetadata): LogMetadata {
  const { workflowId, workflowRunId, runId, taskToken, ...rest } = meta as Record<string, unknown>;
  return {
    ...rest,
    ...(typeof workflowId === 'string' ? { paymentId: workflowId } : {}),
    ...((workflowRunId ?? runId) ? { runId: workflowRunId ?? runId } : {}),
  };
}

/**
 * SDK warnings that a correct start gives by design, demoted to debug so that a warning always means something: an
 * activity-only worker (the cost-class and callback queues) has no workflows, and says so once at start-up.
 */
const EXPECTED_SDK_WARNINGS: readonly string[] = ['No workflows registered, not polling for workflow tasks'];

/**
 * A Temporal SDK logger writing through pino, so the SDK's own lines, the workflow's `log` and the activities'
 * `Context.log` come out in the one format every process uses. Workflow and activity lines follow the pino logger's
 * level; the SDK's internal lines (worker, core) are filtered at `sdkLevel`, which is usually quieter.
 */
export function temporalLogger(logger: Logger, sdkLevel: LogLevel): TemporalLogger {
  const log = (level: LogLevel, message: string, meta: LogMetadata = {}): void => {
    const component: unknown = meta.sdkComponent;
    const ours = component === 'workflow' || component === 'activity';
    if (!ours && level === 'WARN' && EXPECTED_SDK_WARNINGS.includes(message)) level = 'DEBUG';
    if (!ours && SEVERITY[level] < SEVERITY[sdkLevel]) return;
    logger[PINO_METHOD[level]](paymentBindings(meta), message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
