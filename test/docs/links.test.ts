// Every relative link in the README and the docs resolves: the file exists, and a `#fragment` names a heading of the
// target page (GitHub's heading ids, from github-slugger). Links out of the repository (http, https, mailto) are not
// followed. A moved or renamed page or heading fails here wherever a page still links to it.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import GithubSlugger from 'github-slugger';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The markdown pages whose links are checked: the README, every page under docs/, and the sandbox's README. */
function pages(): string[] {
  const docs = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`);
  return ['README.md', 'sandbox/README.md', ...docs.sort()];
}

/** A page's lines outside fenced code blocks (a link inside a code block is an example, not a link). */
function prose(text: string): { line: string; number: number }[] {
  let fenced = false;
  const lines: { line: string; number: number }[] = [];
  text.split('\n').forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced) lines.push({ line, number: index + 1 });
  });
  return lines;
}

/** The inline links `[text](target)` of a page, with their line numbers; inline code spans are left out. */
export function links(text: string): { target: string; line: number }[] {
  return prose(text).flatMap(({ line, number }) =>
    [...line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => ({
      target: m[1] as string,
      line: number,
    })),
  );
}

/** The ids GitHub gives a page's headings. */
export function headingIds(text: string): Set<string> {
  const slugger = new GithubSlugger();
  return new Set(
    prose(text)
      .map(({ line }) => /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1])
      .filter((heading): heading is string => heading !== undefined)
      .map((heading) => slugger.slug(heading.replace(/`/g, ''))),
  );
}

/** What is wrong with one link of `page`, or undefined when it resolves. */
function broken(page: string, target: string): string | undefined {
  if (/^(https?|mailto):/.test(target)) return undefined;
  const [path = '', fragment] = target.split('#', 2);
  const file = path === '' ? join(root, page) : normalize(join(root, dirname(page), decodeURIComponent(path)));
  if (!file.startsWith(root)) return `${target}: outside the repository`;
  if (!existsSync(file)) return `${target}: no such file (${relative(root, file)})`;
  if (fragment === undefined || fragment === '') return undefined;
  if (statSync(file).isDirectory() || !file.endsWith('.md'))
    return `${target}: a fragment on a file that is not a page`;
  const ids = headingIds(readFileSync(file, 'utf8'));
  return ids.has(decodeURIComponent(fragment))
    ? undefined
    : `${target}: ${relative(root, file)} has no heading #${fragment}`;
}

describe('links in the README and the docs resolve', () => {
  for (const page of pages()) {
    it(`${page}: every relative link names an existing file and heading`, () => {
      const text = readFileSync(join(root, page), 'utf8');
      const problems = links(text).flatMap(({ target, line }) => {
        const problem = broken(page, target);
        return problem ? [`${page}:${line} ${problem}`] : [];
      });
      assert.deepEqual(problems, []);
    });
  }

  it('finds links, and ignores the ones in code', () => {
    const text = ['See [a](a.md#b) and `[c](c.md)`.', '```', '[d](d.md)', '```', '[e](https://example.com)'].join('\n');
    assert.deepEqual(links(text), [
      { target: 'a.md#b', line: 1 },
      { target: 'https://example.com', line: 5 },
    ]);
  });

  it('catches a renamed page and a renamed heading', () => {
    assert.match(broken('README.md', 'docs/getting-startd.md') ?? '', /no such file/);
    assert.match(broken('README.md', 'docs/operations.md#search-attribute') ?? '', /no heading #search-attribute/);
    assert.equal(broken('README.md', 'docs/operations.md#search-attributes'), undefined);
  });

  it('gives headings the ids GitHub gives them', () => {
    const ids = headingIds("## A workflow's history does not replay (alert `WorkflowNondeterminism`)\n## Dup\n## Dup");
    assert.deepEqual([...ids], ['a-workflows-history-does-not-replay-alert-workflownondeterminism', 'dup', 'dup-1']);
  });
});
