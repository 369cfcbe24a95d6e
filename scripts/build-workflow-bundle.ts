// Bundles the payment workflows once, ahead of time, exactly as a worker would at start-up (same entry, same
// bundler), so a production worker loads the file through `workflowBundle` and never runs webpack or swc.
// Usage: node --import tsx scripts/build-workflow-bundle.ts [OUTPUT]   (default dist/workflow-bundle.js)
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMain } from '../src/run-main';
import { writeWorkflowBundle } from '../src/temporal/workflow-bundle-process';

const root = fileURLToPath(new URL('..', import.meta.url));
const toStderr = (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? '');
/** webpack's warnings and errors only: its module list (info) is noise to someone starting `npm run worker`. */
const warningsOnly = { trace() {}, debug() {}, info() {}, log() {}, warn: toStderr, error: toStderr };

runMain('build-workflow-bundle', async () => {
  const output = resolve(root, process.argv[2] ?? 'dist/workflow-bundle.js');
  const started = Date.now();
  mkdirSync(dirname(output), { recursive: true });
  const code = await writeWorkflowBundle(output, warningsOnly);
  const size = `${Math.round(Buffer.byteLength(code) / 1024)} kB`;
  console.log(`workflow bundle: ${output} (${size}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
});
