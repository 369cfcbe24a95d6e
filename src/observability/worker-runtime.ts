import type { LogLevel } from '@temporalio/common';
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { ConfigError } from '../config';
import type { Logger } from '../logger';
import { WORKER_HISTOGRAM_BUCKETS } from './metric-names';
import { temporalLogger } from './temporal-logger';

/** How the worker process's Temporal runtime logs and exports metrics. */
export interface WorkerRuntimeOptions {
  logger: Logger;
  /** The level for the SDK's own lines (worker lifecycle, Rust core). */
  sdkLogLevel: LogLevel;
  /** `host:port` for the Prometheus endpoint (`/metrics`): the SDK's metrics and the activities' and workflows'. */
  metricsAddress?: string;
}

/**
 * Installs the process-wide Temporal runtime; call it before any connection or worker exists. Core's logs are
 * forwarded to the same pino logger, and the SDK serves every metric of this worker (its own, plus what activities
 * and workflows record through `metricMeter`) on one Prometheus endpoint.
 */
export function installWorkerRuntime({ logger, sdkLogLevel, metricsAddress }: WorkerRuntimeOptions): Runtime {
  try {
    return install({ logger, sdkLogLevel, metricsAddress });
  } catch (error) {
    // The usual cause is a port already taken, e.g. a second worker on the same host with the same address.
    const why = error instanceof Error ? error.message : String(error);
    if (metricsAddress && /prometheus/i.test(why))
      throw new ConfigError(`WORKER_METRICS_ADDRESS: cannot serve ${metricsAddress}: ${why}`);
    throw error;
  }
}

function install({ logger, sdkLogLevel, metricsAddress }: WorkerRuntimeOptions): Runtime {
  return Runtime.install({
    logger: temporalLogger(logger, sdkLogLevel),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: sdkLogLevel }), forward: {} },
      ...(metricsAddress
        ? {
            metrics: {
              prometheus: { bindAddress: metricsAddress, histogramBucketOverrides: WORKER_HISTOGRAM_BUCKETS },
            },
          }
        : {}),
    },
  });
}
