import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { parseTransferExternalId } from '../contracts/payment-id';
import { CallbackFailureType } from '../contracts/failure-types';
import { WorkerMetric, type CallbackOutcome, type DfnsCallOutcome } from './metric-names';

/** Which activity names call Dfns and which deliver callbacks; other activities pass through untouched. */
export interface ActivityObserverDeps {
  dfnsActivities: readonly string[];
  callbackActivities: readonly string[];
}

const ID_FIELDS = ['walletId', 'transferId', 'approvalId', 'externalId'] as const;

/** The Dfns ids an activity's input names (and the payment attempt its externalId encodes), for its log lines. */
export function dfnsIds(input: unknown): Record<string, string | number> {
  if (typeof input !== 'object' || input === null) return {};
  const source = input as Record<string, unknown>;
  const request =
    typeof source.request === 'object' && source.request !== null ? (source.request as Record<string, unknown>) : {};
  const ids: Record<string, string | number> = {};
  for (const field of ID_FIELDS) {
    const value = source[field] ?? request[field];
    if (typeof value === 'string') ids[field] = value;
  }
  const attempt = ids.externalId ? parseTransferExternalId(String(ids.externalId))?.attempt : undefined;
  if (attempt) ids.paymentAttempt = attempt;
  return ids;
}

function httpStatusOf(error: unknown): number | undefined {
  if (!(error instanceof ApplicationFailure)) return undefined;
  const details: unknown = error.details?.[0];
  const status =
    typeof details === 'object' && details !== null ? (details as { httpStatus?: unknown }).httpStatus : undefined;
  return typeof status === 'number' ? status : undefined;
}

/** Classifies a Dfns activity's failure: rate limiting and server errors are what the alerts watch. */
export function dfnsCallOutcome(error: unknown): DfnsCallOutcome {
  const status = httpStatusOf(error);
  if (status === undefined || status < 0) return 'network_error';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'client_error';
}

/** The `outcome` label of a callback delivery that failed ({@link CALLBACK_OUTCOMES}). */
export function callbackOutcome(error: unknown): CallbackOutcome {
  if (!(error instanceof ApplicationFailure)) return 'unreachable';
  if (error.type === CallbackFailureType.CallbackBlocked) return 'blocked';
  if (error.type === CallbackFailureType.CallbackRefused) return 'refused';
  if (error.type === CallbackFailureType.CallbackNotConfigured) return 'not_configured';
  return 'unreachable';
}

/**
 * An activity interceptor that makes every Dfns activity (each is one Dfns call) and callback delivery observable
 * without touching the activities: it counts outcomes, times the call and records Retry-After waits through the
 * SDK's metric meter (so they land on the worker's Prometheus endpoint), and binds the Dfns ids to every log line
 * the activity and the SDK write about it.
 */
export function activityObserver({
  dfnsActivities,
  callbackActivities,
}: ActivityObserverDeps): ActivityInterceptorsFactory {
  const dfns = new Set(dfnsActivities);
  const callbacks = new Set(callbackActivities);
  return (ctx) => {
    let ids: Record<string, string | number> = {};
    const operation = ctx.info.activityType;
    return {
      outbound: { getLogAttributes: (input, next) => ({ ...next(input), ...ids }) },
      inbound: {
        async execute(input, next) {
          ids = dfnsIds(input.args[0]);
          if (callbacks.has(operation)) {
            const callbacksSent = ctx.metricMeter.createCounter(WorkerMetric.callbacks, undefined, 'outcome callbacks');
            try {
              const result = await next(input);
              callbacksSent.add(1, { outcome: 'delivered' satisfies CallbackOutcome });
              return result;
            } catch (error) {
              callbacksSent.add(1, { outcome: callbackOutcome(error) });
              throw error;
            }
          }
          if (!dfns.has(operation)) return next(input);
          const started = performance.now();
          const finish = (outcome: DfnsCallOutcome, httpStatus?: number): void => {
            const seconds = (performance.now() - started) / 1000;
            ctx.metricMeter
              .createCounter(WorkerMetric.dfnsCalls, undefined, 'Dfns API calls')
              .add(1, { operation, outcome });
            ctx.metricMeter
              .createHistogram(WorkerMetric.dfnsCallDuration, 'float', 's', 'Dfns call duration')
              .record(seconds, { operation });
            const fields = {
              operation,
              outcome,
              durationMs: Math.round(seconds * 1000),
              ...(httpStatus ? { httpStatus } : {}),
            };
            if (outcome === 'ok') ctx.log.info('dfns call', fields);
            else ctx.log.warn('dfns call failed', fields);
          };
          try {
            const result = await next(input);
            finish('ok');
            return result;
          } catch (error) {
            finish(dfnsCallOutcome(error), httpStatusOf(error));
            const wait: unknown = error instanceof ApplicationFailure ? error.nextRetryDelay : undefined;
            if (typeof wait === 'number') {
              ctx.metricMeter
                .createHistogram(WorkerMetric.dfnsRetryAfterWait, 'float', 's', 'Retry-After waits Dfns asked for')
                .record(wait / 1000, { operation });
            }
            throw error;
          }
        },
      },
    };
  };
}
