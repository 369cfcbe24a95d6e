import { fileURLToPath } from 'node:url';

/** The workflow bundle entry, resolved from this file so it works from any working directory. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

/**
 * The workflow interceptor modules every bundle carries: tracing (OpenTelemetry through Temporal's headers). It acts
 * only on a workflow whose start carried a trace context, whatever the worker's configuration, so a payment replays
 * the same with tracing on or off.
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [
  fileURLToPath(new URL('../../workflows/tracing-interceptors.ts', import.meta.url)),
];

/**
 * How every workflow bundle of the project is built: the worker at start-up, the image's prebuilt bundle, the
 * tests and the benchmarks, so that they all run the same code the same way.
 *
 * The workflow modules are preloaded: with the reusable V8 context, the SDK otherwise evaluates every module the
 * workflows import again for each workflow it creates or replays (48 modules here), which costs memory for each
 * cached payment and CPU for each one created or brought back from eviction. Preloaded, they are evaluated once
 * and shared. That is safe only because no workflow module keeps state at module scope: everything a payment
 * holds lives inside its workflow function, and module scope holds constants, functions and activity proxies
 * (which find the running workflow when called). test/workflows/bundle.test.ts keeps it that way. The interceptor
 * modules are not preloaded: OpenTelemetry keeps state in its modules, so each workflow evaluates them for itself.
 */
export function workflowBundleOptions(): {
  workflowsPath: string;
  preloadModules: string[];
  workflowInterceptorModules: string[];
} {
  return {
    workflowsPath: WORKFLOWS_PATH,
    preloadModules: [WORKFLOWS_PATH],
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES],
  };
}
