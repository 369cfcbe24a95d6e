// The docs' generated blocks (configuration, search attributes, metrics, webhook outcomes) against the code that
// defines them: a variable, metric, attribute or outcome added, renamed or removed in the code fails here until
// `npm run docs:generate` rewrites the page.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { CONFIG_VARIABLES, variableDoc } from '../../src/config';
import { SECRET_FIELDS } from '../../src/logger';
import { GENERATED_SECTIONS, generatedPages, withSection } from '../../scripts/docs/generated-sections';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('generated reference blocks', () => {
  for (const page of generatedPages(root)) {
    it(`${page.file} holds what the code generates`, () => {
      // A line diff names what differs; the whole-text comparison is the verdict.
      const current = page.current.split('\n');
      const expected = page.expected.split('\n');
      const missing = expected.filter((line) => !current.includes(line));
      const extra = current.filter((line) => !expected.includes(line));
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${page.file} is stale: npm run docs:generate`);
      assert.equal(page.current, page.expected, `${page.file} is stale: npm run docs:generate`);
    });
  }

  it('replaces a block whose content went stale, and only that block', () => {
    const section = GENERATED_SECTIONS.find((s) => s.name === 'configuration');
    assert.ok(section);
    const fresh = generatedPages(root).find((p) => p.file === section.file)?.expected ?? '';
    const stale = fresh.replace('`TEMPORAL_ADDRESS`', '`TEMPORAL_ADRESS`');
    assert.notEqual(stale, fresh);
    assert.equal(withSection(stale, section), fresh);
  });

  it('documents every variable: a description and who reads it; secrets are redacted from logs', () => {
    for (const name of Object.keys(CONFIG_VARIABLES) as (keyof typeof CONFIG_VARIABLES)[]) {
      const doc = variableDoc(name);
      assert.ok(doc?.description && doc.usedBy.length > 0, `${name} has no description or readers`);
      if (doc.secret) assert.ok((SECRET_FIELDS as readonly string[]).includes(name), `${name} is not redacted`);
    }
  });
});
