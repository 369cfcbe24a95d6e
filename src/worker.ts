// The worker's entry point (npm run worker, node dist/worker.js, the image's CMD). It first gives the process the
// limits only a starting process can get (src/worker-launch.ts), then runs the worker (src/worker-main.ts). Nothing
// of the worker is loaded before that: a process that starts the worker again stays a bare Node process.
import { loadConfig } from './config';
import { runMain } from './run-main';
import { needsRelaunch, relaunchWithLimits, superviseRelaunchedWorker, workerLaunch } from './worker-launch';

/** src/temporal/workflow-bundle-process.ts's BUNDLE_WORKFLOWS_ARG, kept here so this file loads none of it. */
const BUNDLE_WORKFLOWS_ARG = '--bundle-workflows';

runMain('worker', async () => {
  if (process.argv[2] === BUNDLE_WORKFLOWS_ARG) {
    const { writeWorkflowBundle } = await import('./temporal/workflow-bundle-process');
    await writeWorkflowBundle(process.argv[3] ?? '');
    return;
  }
  const config = loadConfig();
  const launch = workerLaunch(config, process.execArgv);
  if (config.WORKER_RELAUNCHED === '1') superviseRelaunchedWorker();
  else if (needsRelaunch(launch)) return relaunchWithLimits(launch);
  const { runWorker } = await import('./worker-main');
  await runWorker(config, launch);
});
