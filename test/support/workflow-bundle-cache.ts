import type { WorkflowBundle } from '@temporalio/worker';
import { createHash, type Hash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workflowBundleOptions } from '../../src/temporal/workflow-bundle';
import { writeWorkflowBundle } from '../../src/temporal/workflow-bundle-process';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Outside the checkout, beside the project's other build caches (scripts/temporal-cli.sh). */
const CACHE_DIR = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'dfns-payments', 'workflow-bundles');
/** What the payment workflows' bundle can be built from: the code it imports and the locked dependencies. */
const SOURCES = ['workflows', 'src', 'package-lock.json'];
/** How many bundles (about 4 MB each) the cache keeps: the newest, one per recent state of the sources. */
const KEPT = 8;

/** Removes all but the KEPT newest bundles; a file another process removed first is skipped. */
function prune(): void {
  const bundles = readdirSync(CACHE_DIR)
    .filter((name) => /^[0-9a-f]{32}\.js$/.test(name))
    .map((name) => {
      try {
        return { name, at: statSync(join(CACHE_DIR, name)).mtimeMs };
      } catch {
        return { name, at: 0 };
      }
    })
    .sort((a, b) => b.at - a.at);
  for (const { name } of bundles.slice(KEPT)) rmSync(join(CACHE_DIR, name), { force: true });
}

/** Feeds `path` (a file, or every file under a directory, in name order) to `hash`, each file with its name. */
function hashPath(hash: Hash, path: string): void {
  const full = join(root, path);
  const files = statSync(full).isDirectory()
    ? readdirSync(full, { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name))
        .sort()
    : [full];
  for (const file of files) hash.update(file.slice(root.length)).update('\0').update(readFileSync(file));
}

/** A key that changes with anything the bundle is built from: the sources, the lockfile, the bundler options. */
function bundleKey(): string {
  const hash = createHash('sha256').update(JSON.stringify(workflowBundleOptions()));
  for (const source of SOURCES) hashPath(hash, source);
  return hash.digest('hex').slice(0, 32);
}

let built: Promise<WorkflowBundle & { codePath: string }> | undefined;

/**
 * The payment workflows bundled as every worker bundles them (writeWorkflowBundle), built once and shared by the
 * test files: webpack takes 2 to 3 s of CPU a bundle, and most test files start a worker. The bundle is kept under
 * the user's cache directory, named by a hash of everything it is built from, so an edit to a workflow, to what it
 * imports or to the lockfile builds a new one; without the cache directory (a fresh machine) it is built here.
 */
export function paymentWorkflowBundle(): Promise<WorkflowBundle & { codePath: string }> {
  built ??= (async () => {
    const codePath = join(CACHE_DIR, `${bundleKey()}.js`);
    try {
      return { code: readFileSync(codePath, 'utf8'), codePath };
    } catch {
      // Not built yet for these sources.
    }
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside and renamed into place, so a test file running beside this one never reads half a bundle.
    const temporary = `${codePath}.${process.pid}-${Date.now()}`;
    const code = await writeWorkflowBundle(temporary);
    renameSync(temporary, codePath);
    prune();
    return { code, codePath };
  })();
  return built;
}
