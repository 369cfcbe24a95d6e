// The docs page (src/api/docs-page.ts) comes whole from the API's own origin: its HTML references only same-origin
// paths, the asset routes serve the installed swagger-ui-dist's own files (the version the lockfile pins) with the
// right types, and a strict Content-Security-Policy allows nothing but this origin. test/browser/docs-page.test.ts
// renders it in Chromium and watches every request.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { DOCS_SCRIPT, PACKAGE_ASSETS, swaggerUiDirectory } from '../../src/api/docs-page';
import { apiHarness } from './api-harness';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The directives of a Content-Security-Policy header, each with its source list. */
export function cspDirectives(header: string): Map<string, string[]> {
  return new Map(
    header
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

/** Every `src` and `href` in the page. */
const references = (html: string) => [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1] as string);

describe('GET /docs', () => {
  const h = apiHarness();
  const get = (path: string, headers: Record<string, string> = {}) => h.app.request(path, { headers });

  it('is an HTML page whose every reference is a path on this origin, with no inline script or style', async () => {
    const response = await get('/docs');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    const html = await response.text();
    const refs = references(html);
    assert.ok(refs.length >= 4, refs.join(' '));
    for (const ref of refs) assert.match(ref, /^\/(?!\/)[\w./-]*$/, `${ref} is not a same-origin path`);
    assert.ok(!/https?:|\/\/[a-z]/i.test(html.replace(/<!doctype html>/i, '')), 'no absolute URL anywhere');
    for (const script of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
      assert.match(script[1] as string, /\ssrc="/, 'every script is a file');
      assert.equal((script[2] as string).trim(), '', 'no inline script');
    }
    assert.ok(!/<style|\sstyle=|\son[a-z]+=/i.test(html), 'no inline style or event handler');
  });

  it('carries a Content-Security-Policy that allows this origin only', async () => {
    for (const path of ['/docs', '/docs/assets/swagger-ui-bundle.js', `/docs/assets/${DOCS_SCRIPT}`]) {
      const response = await get(path);
      const header = response.headers.get('content-security-policy');
      assert.ok(header, `${path} has a CSP`);
      const csp = cspDirectives(header);
      assert.deepEqual(csp.get('default-src'), ["'none'"], path);
      for (const directive of ['script-src', 'style-src', 'font-src', 'connect-src'])
        assert.deepEqual(csp.get(directive), ["'self'"], `${path} ${directive}`);
      assert.deepEqual(csp.get('img-src'), ["'self'", 'data:'], `${path} img-src (data: is the stylesheet's icons)`);
      for (const directive of ['frame-ancestors', 'base-uri', 'form-action'])
        assert.deepEqual(csp.get(directive), ["'none'"], `${path} ${directive}`);
      for (const [directive, sources] of csp) {
        for (const source of sources)
          assert.ok(["'self'", "'none'", 'data:'].includes(source), `${path} ${directive} allows ${source}`);
      }
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
    }
  });

  it("serves the installed package's own files, the version the lockfile pins, with their content types", async () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    const pinned = lock.packages['node_modules/swagger-ui-dist'].version as string;
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    assert.equal(manifest.dependencies['swagger-ui-dist'], pinned, 'package.json pins the exact version');
    const installed = JSON.parse(readFileSync(join(swaggerUiDirectory(), 'package.json'), 'utf8'));
    assert.equal(installed.version, pinned);

    const html = await (await get('/docs')).text();
    const assets = references(html).filter((ref) => ref.startsWith('/docs/assets/'));
    const served = new Set(assets.map((ref) => ref.slice('/docs/assets/'.length)));
    assert.deepEqual([...served].sort(), [...Object.keys(PACKAGE_ASSETS), DOCS_SCRIPT].sort());
    for (const [name, type] of Object.entries(PACKAGE_ASSETS)) {
      const response = await get(`/docs/assets/${name}`);
      assert.equal(response.status, 200, name);
      assert.equal(response.headers.get('content-type'), type, name);
      const body = Buffer.from(await response.arrayBuffer());
      assert.ok(body.equals(readFileSync(join(swaggerUiDirectory(), name))), `${name} is the package's file`);
    }
    const script = await get(`/docs/assets/${DOCS_SCRIPT}`);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const text = await script.text();
    assert.match(text, /url: "\/openapi\.json"/);
    assert.match(text, /validatorUrl: null/, "no badge from Swagger's public validator");
    assert.ok(!/https?:\/\//.test(text), 'the page script names no other origin');
  });

  it('revalidates its assets by ETag, and refuses what it does not serve', async () => {
    const first = await get('/docs/assets/swagger-ui.css');
    const etag = first.headers.get('etag');
    assert.ok(etag);
    assert.equal(first.headers.get('cache-control'), 'no-cache');
    assert.equal((await get('/docs/assets/swagger-ui.css', { 'if-none-match': etag })).status, 304);
    for (const path of ['/docs/assets/package.json', '/docs/assets/../package.json', '/docs/assets/index.html']) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      assert.equal(response.headers.get('content-type'), 'application/problem+json', path);
    }
  });
});
