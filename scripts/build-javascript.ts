// Compiles the processes the image runs (worker and its health check, webhook bridge, payments and replay-check CLIs) to JavaScript
// in dist/, so they start with plain `node`, without tsx. tsc type-checks (npm run check) but cannot emit runnable
// ES modules from this code base's extension-less imports, so esbuild (the compiler tsx itself uses) emits them;
// npm packages stay external and are loaded from node_modules as under tsx.
import { build, type Plugin } from 'esbuild';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMain } from '../src/run-main';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Entry points by output name: dist/<name>.js. */
const ENTRY_POINTS = {
  worker: 'src/worker.ts',
  server: 'src/server.ts',
  payments: 'src/cli/main.ts',
  'worker-health': 'src/worker-health.ts',
  'replay-check': 'src/cli/replay-main.ts',
};

/**
 * Node's ES module resolver wants the file extension on a deep import into a package that has no exports map
 * (`@dfns/sdk/utils/userActionFetch`), and the index file on one that names a directory
 * (`@temporalio/common/lib/internal-non-workflow`), where tsx, like CommonJS, guesses both. Adds what the import
 * resolves to, and keeps the package external.
 */
const deepImportExtensions: Plugin = {
  name: 'deep-import-extensions',
  setup(builder) {
    const require = createRequire(`${root}/package.json`);
    builder.onResolve({ filter: /^(@[^/]+\/)?[^./][^/]*\/[^.]+$/ }, (args) => {
      const file = require.resolve(args.path);
      const extension = extname(file);
      const withExtension = `${args.path}${extension}`;
      const index = `${args.path}/index${extension}`;
      const path = file.endsWith(withExtension) ? withExtension : file.endsWith(index) ? index : args.path;
      return { path, external: true };
    });
  },
};

runMain('build-javascript', async () => {
  rmSync(`${root}/dist/chunks`, { recursive: true, force: true }); // chunks of an earlier build, named by hash
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS,
    outdir: 'dist',
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    // Dynamic imports become chunks of their own, loaded when reached: the worker's entry (src/worker.ts) relaunches
    // itself before it loads the worker, and the process that waits meanwhile must not hold the worker's modules.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    metafile: true,
    plugins: [deepImportExtensions],
  });
  for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.js')) console.log(`compiled: ${file} (${Math.round(bytes / 1024)} kB)`);
  }
});
