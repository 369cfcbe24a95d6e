// A process of the project as far as tracing goes: it reads its environment with loadConfig, starts tracing, makes one
// payment span and stops (flushing what it made). Prints the tracing description. Used by otlp-export.test.ts.
import { trace } from '@opentelemetry/api';
import { loadConfig } from '../../src/config';
import { startTracing } from '../../src/observability/tracing';
import { runMain } from '../../src/run-main';

runMain('emit-span', async () => {
  const tracing = startTracing(loadConfig(), { serviceName: 'payments-otlp-test' });
  trace.getTracer('otlp-test').startActiveSpan('payment', (span) => {
    span.setAttribute('payment.id', 'payment:otlp-1');
    span.end();
  });
  await tracing.shutdown();
  process.stdout.write(`${tracing.description}\n`);
});
