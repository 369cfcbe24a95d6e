// The API docs page in a real browser (Debian's Chromium through playwright-core): it renders every operation of the
// contract with no request leaving the API's origin (any such request is aborted, as offline, and recorded), and
// with no console error, so no Content-Security-Policy violation either. The screenshot is kept under .local/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { apiHarness } from '../api/api-harness';
import { launchChromium } from '../support/chromium';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the API docs page in Chromium', { timeout: 120_000 }, () => {
  let server: ServerType;
  let origin: string;
  let browser: Browser;
  before(async () => {
    const { app } = apiHarness();
    server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('lists every operation, and makes no request to another origin', async () => {
    const contract = (await (await fetch(`${origin}/openapi.json`)).json()) as { paths: Record<string, object> };
    const operations = Object.entries(contract.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    assert.ok(operations.length >= 12, operations.join(', '));

    const page = await browser.newPage();
    const foreign: string[] = [];
    const sameOrigin: string[] = [];
    const problems: string[] = [];
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`)) {
        sameOrigin.push(new URL(url).pathname);
        await route.continue();
      } else {
        foreign.push(url);
        await route.abort('internetdisconnected');
      }
    });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(String(error)));

    const response = await page.goto(`${origin}/docs`);
    assert.equal(response?.status(), 200);
    // Rendered: as many operation blocks as the contract has operations (waiting for the last one, no fixed sleep).
    await page
      .locator('.opblock')
      .nth(operations.length - 1)
      .waitFor({ timeout: 60_000 });
    const shown = await page.$$eval('.opblock', (blocks) =>
      blocks.map((block) => {
        const method = block.querySelector('.opblock-summary-method')?.textContent ?? '?';
        const path = block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '?';
        return `${method} ${path}`;
      }),
    );
    assert.deepEqual(shown.sort(), operations, 'one block per operation of the contract');
    assert.match(await page.title(), /Payments API/);
    await page.waitForLoadState('networkidle');
    mkdirSync(`${root}/.local/browser`, { recursive: true });
    await page.screenshot({ path: `${root}/.local/browser/docs-page.png`, fullPage: true });

    assert.deepEqual(foreign, [], 'requests that left the origin');
    assert.deepEqual(problems, [], 'console errors and warnings (CSP violations among them)');
    for (const path of ['/docs', '/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css', '/openapi.json'])
      assert.ok(sameOrigin.includes(path), `${path} was loaded (${sameOrigin.join(', ')})`);
  });
});
