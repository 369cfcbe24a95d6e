import { bundleWorkflowCode, type Logger } from '@temporalio/worker';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnvironment } from '../config';
import { workflowBundleOptions } from './workflow-bundle';

/** The argument that makes the worker's entry point bundle the workflows into a file, then exit. */
export const BUNDLE_WORKFLOWS_ARG = '--bundle-workflows';

/**
 * Bundles the workflows for a worker given no prebuilt bundle (TEMPORAL_WORKFLOW_BUNDLE_PATH), in a process of its
 * own: this same entry point with BUNDLE_WORKFLOWS_ARG. Webpack, bundling in the worker's own heap, left about
 * 120 MiB of RSS behind for the worker's whole life (measured idle: 337 MiB against 215 with a prebuilt bundle);
 * in a process that exits, it leaves nothing. Returns the bundle's file: the worker reads it once when it starts.
 */
export async function bundleInOwnProcess(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'payments-workflows-')), 'workflow-bundle.js');
  const script = process.argv[1];
  if (!script) throw new Error('cannot tell which script to run to bundle the workflows');
  const child = spawn(process.execPath, [...process.execArgv, script, BUNDLE_WORKFLOWS_ARG, file], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: childEnvironment(),
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`bundling the workflows failed (exit ${code}):\n${stderr.trim()}`);
  return file;
}

/** Webpack's output, none of it: the bundler's progress lines stay out of the caller's output. */
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

/**
 * Writes the workflow bundle, exactly as a worker would build it, to `file`: in the bundling process, for the image's
 * build (scripts/build-workflow-bundle.ts) and for the tests' shared bundle. `logger` gets webpack's output. Returns
 * the bundle's code.
 */
export async function writeWorkflowBundle(file: string, logger: Logger = quiet): Promise<string> {
  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger });
  writeFileSync(file, code);
  return code;
}
