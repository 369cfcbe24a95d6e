// `npm run docs:generate`: rewrites the docs' generated blocks (configuration, metrics, search attributes, webhook
// outcomes) from the code that defines them. `--check` writes nothing and exits 1 if a block is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExpectedExit } from '../src/expected-exit';
import { runMain } from '../src/run-main';
import { generatedPages } from './docs/generated-sections';

const root = fileURLToPath(new URL('..', import.meta.url));

runMain('docs:generate', () => {
  const check = process.argv.includes('--check');
  const stale = generatedPages(root).filter(({ current, expected }) => current !== expected);
  if (check) {
    if (stale.length > 0)
      throw new ExpectedExit(`stale: ${stale.map((p) => p.file).join(', ')} (npm run docs:generate)`);
    return;
  }
  for (const page of stale) {
    writeFileSync(`${root}/${page.file}`, page.expected);
    console.log(`docs:generate: rewrote ${page.file}`);
  }
});
