import { readFileSync } from 'node:fs';
import { renderConfigurationTable } from './configuration-reference';
import { renderMetricsTable, renderSearchAttributesTable, renderWebhookOutcomesTable } from './operations-reference';

/** A block of a docs page generated from the code: it sits between two marker comments that name it. */
export interface GeneratedSection {
  /** The page, relative to the repository root. */
  file: string;
  name: string;
  render(): string;
}

/** Every generated block of the docs. `npm run docs:generate` rewrites them; a test fails when one is stale. */
export const GENERATED_SECTIONS: readonly GeneratedSection[] = [
  { file: 'docs/configuration.md', name: 'configuration', render: renderConfigurationTable },
  { file: 'docs/operations.md', name: 'search-attributes', render: renderSearchAttributesTable },
  { file: 'docs/operations.md', name: 'metrics', render: renderMetricsTable },
  { file: 'docs/operations.md', name: 'webhook-outcomes', render: renderWebhookOutcomesTable },
];

const begin = (name: string) => `<!-- generated: ${name} (npm run docs:generate rewrites this block) -->`;
const end = (name: string) => `<!-- end generated: ${name} -->`;

/** The page's text with the section's block replaced by what the code generates now. */
export function withSection(text: string, section: GeneratedSection): string {
  const from = text.indexOf(begin(section.name));
  const to = text.indexOf(end(section.name));
  if (from < 0 || to < from) {
    throw new Error(`${section.file} has no "${begin(section.name)}" … "${end(section.name)}" block`);
  }
  return `${text.slice(0, from)}${begin(section.name)}\n\n${section.render()}\n\n${text.slice(to)}`;
}

/** Each page that holds generated blocks, with its text now and as it should be. */
export function generatedPages(root: string): { file: string; current: string; expected: string }[] {
  const files = [...new Set(GENERATED_SECTIONS.map((section) => section.file))];
  return files.map((file) => {
    const current = readFileSync(`${root}/${file}`, 'utf8');
    const expected = GENERATED_SECTIONS.filter((section) => section.file === file).reduce(withSection, current);
    return { file, current, expected };
  });
}
