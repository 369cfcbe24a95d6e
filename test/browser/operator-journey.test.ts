// An operator's journey in a real browser (Debian's Chromium through playwright-core) over one real stack: the
// Temporal dev server with its Web UI, the sandbox and the app serving the payments API. The API docs page; the
// documented Temporal UI views (every payment, one per PaymentStatus); a Failed payment found among Confirmed ones and
// opened to read its summary and current details; a payment held on chain, sped up through the API, seen moving in
// the UI. Every wait is for a condition, bounded. A screenshot of each step is kept under .local/browser-journey/.
//
// Running payments are only ever seen in lists (visibility, which touches no worker); a payment's page, whose User
// Metadata tab queries the workflow, is opened once the payment is closed (style rule 13).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { mintApiKey, parseApiKeyEntry } from '../../src/api/api-keys';
import type { PaymentStatus } from '../../src/contracts/payment-status';
import {
  PAYMENTS_VIEW,
  PAYMENT_STATUS_VIEWS,
  workflowListUrl,
  workflowUrl,
  type TemporalUi,
  type UiView,
} from '../../src/temporal/ui-links';
import { launchChromium } from '../support/chromium';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';
import { callApi, type ApiRequest } from '../support/stack-api';

const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = `${root}/.local/browser-journey`;
const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const WAIT_MS = 60_000;

/** Polls `probe` until it answers something other than undefined; fails after `timeoutMs` naming `what`. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function statusView(status: PaymentStatus): UiView {
  const view = PAYMENT_STATUS_VIEWS.find((candidate) => candidate.name === `Payments: ${status}`);
  assert.ok(view, `a view for ${status}`);
  return view;
}

describe('an operator in the API docs and the Temporal UI', { timeout: 240_000 }, () => {
  const acme = mintApiKey('acme', ['payments:write', 'payments:read', 'payments:operate']);
  let stack: PaymentStack;
  let ui: TemporalUi;
  let browser: Browser;
  let page: Page;
  const ids = { failed: '', confirmed: [] as string[], stuck: '' };

  const api = async (path: string, init?: ApiRequest) => {
    const { status, json } = await callApi(stack.bridgeUrl, acme.key, path, init);
    return { status, json: json as { paymentId: string; status: string; txHash?: string } };
  };
  const startPayment = async (key: string) => {
    const body = {
      walletId: stack.sandbox.bootstrap.walletId,
      network: stack.sandbox.bootstrap.network,
      asset: { kind: 'Native' },
      to: RECIPIENT,
      amount: '1000',
      reference: `journey ${key}`,
    };
    const { status, json } = await api('/v1/payments', { method: 'POST', idempotencyKey: key, json: body });
    assert.equal(status, 201, JSON.stringify(json));
    return json.paymentId;
  };
  const statusOf = async (id: string) => (await api(`/v1/payments/${encodeURIComponent(id)}`)).json.status;
  const reaches = (id: string, status: PaymentStatus) =>
    until(`${id} to be ${status}`, async () => ((await statusOf(id)) === status ? true : undefined));
  const chainFault = async (mode: 'fail-on-chain' | 'stall') => {
    const response = await fetch(`${stack.sandbox.url}/_sandbox/faults/chain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode, count: 1 }),
    });
    assert.equal(response.status, 200, await response.text());
  };
  const shoot = (name: string) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  /** The workflow ids the list shows, once it shows exactly `expected` (the list is reloaded until it does). */
  const listShows = async (view: UiView, expected: string[], options: { save?: boolean } = {}) => {
    const want = [...expected].sort();
    let shown: string[] = [];
    await until(`the view "${view.name}" to list ${want.join(', ')}`, async () => {
      await page.goto(workflowListUrl(ui, view, options));
      // The list has loaded when it shows its count ("N Workflows") and then rows or its empty state.
      await page.getByTestId('workflow-count').waitFor({ timeout: WAIT_MS });
      const rows = page.getByTestId('workflows-summary-configurable-table-row');
      await rows.or(page.getByText('No Results')).first().waitFor({ timeout: WAIT_MS });
      shown = await rowIds();
      return JSON.stringify(shown) === JSON.stringify(want) ? shown : undefined;
    }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; last shown: ${shown.join(', ') || 'nothing'}`);
    });
  };
  const rowIds = async () =>
    (
      await page
        .getByTestId('workflows-summary-configurable-table-row')
        .evaluateAll((rows) =>
          rows.map((row) => row.querySelector('a[href*="/workflows/payment"]')?.textContent?.trim() ?? '?'),
        )
    ).sort();
  const rowOf = (id: string) => page.getByTestId('workflows-summary-configurable-table-row').filter({ hasText: id });
  /** Each payment's row shows its status in the PaymentStatus column. */
  const statusColumnShows = async (expected: Record<string, PaymentStatus>) => {
    const headers = page.locator('[data-testid^="workflows-summary-table-header-cell-"]');
    await headers.filter({ hasText: 'PaymentStatus' }).waitFor({ timeout: WAIT_MS });
    assert.deepEqual((await headers.allInnerTexts()).slice(0, 3), ['Status', 'PaymentStatus', 'Workflow ID']);
    for (const [id, status] of Object.entries(expected))
      await rowOf(id).getByRole('cell', { name: status, exact: true }).waitFor({ timeout: WAIT_MS });
  };
  /** The text a User Metadata panel renders (the UI renders summary and details as Markdown in frames). */
  const metadataText = (index: number) => page.frameLocator('iframe[title="output"]').nth(index).locator('body');

  before(async () => {
    mkdirSync(shots, { recursive: true });
    [stack, browser] = await Promise.all([
      // Payloads in clear: this UI has no codec endpoint, so an encrypted summary would show as ciphertext here
      // (reading through the codec endpoint is test/integration/payload-encryption.test.ts's).
      startPaymentStack({ timeScale: 10, temporalUi: true, codec: false, apiKeys: [parseApiKeyEntry(acme.entry)] }),
      launchChromium(),
    ]);
    assert.ok(stack.temporalUiUrl, 'the stack serves the Temporal UI');
    ui = { url: stack.temporalUiUrl, namespace: stack.env.namespace ?? 'default' };
    const uiUrl = stack.temporalUiUrl;
    await until('the Temporal UI to answer', async () =>
      (await fetch(uiUrl).catch(() => undefined))?.ok ? true : undefined,
    );
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('1. the API docs page renders and lists the operations', async () => {
    const contract = (await (await fetch(`${stack.bridgeUrl}/openapi.json`)).json()) as {
      paths: Record<string, object>;
    };
    const operations = Object.values(contract.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    assert.ok(operations >= 12);
    const response = await page.goto(`${stack.bridgeUrl}/docs`);
    assert.equal(response?.status(), 200);
    await page
      .locator('.opblock')
      .nth(operations - 1)
      .waitFor({ timeout: WAIT_MS });
    assert.equal(await page.locator('.opblock').count(), operations);
    for (const path of ['/v1/payments', '/v1/payments/{id}/speed-up'])
      assert.equal((await page.locator(`.opblock-summary-path[data-path="${path}"]`).count()) > 0, true, path);
    await shoot('1-api-docs');
  });

  it('2. the documented views of the Temporal UI list the payments', async () => {
    // One payment ends Failed on chain, two are Confirmed, one stays Broadcasted (held by the sandbox).
    await chainFault('fail-on-chain');
    ids.failed = await startPayment('journey-failed');
    await reaches(ids.failed, 'Failed');
    ids.confirmed = await Promise.all([startPayment('journey-ok-1'), startPayment('journey-ok-2')]);
    await Promise.all(ids.confirmed.map((id) => reaches(id, 'Confirmed')));
    await chainFault('stall');
    ids.stuck = await startPayment('journey-stuck');
    await reaches(ids.stuck, 'Broadcasted');

    await listShows(PAYMENTS_VIEW, [ids.failed, ...ids.confirmed, ids.stuck]);
    // The workflow list's own status says Completed for every closed payment, the Failed one too.
    assert.equal(await rowOf(ids.failed).getByText('Completed', { exact: true }).count(), 1);
    // The PaymentStatus column, added as docs/operations.md says (the table's settings; the browser keeps it).
    await page.getByTestId('workflows-summary-table-configuration-button').click();
    await page.getByRole('button', { name: 'Add PaymentStatus column' }).click();
    // Next to the workflow's own Status (Status, Workflow ID, Run ID, Type, Start, End, PaymentStatus).
    for (let moves = 0; moves < 5; moves += 1)
      await page.getByRole('button', { name: 'Move PaymentStatus column up' }).click();
    await page.getByTestId('drawer-close-button').click();
    await statusColumnShows({ [ids.failed]: 'Failed', [ids.stuck]: 'Broadcasted' });
    for (const id of ids.confirmed) await statusColumnShows({ [id]: 'Confirmed' });
    await shoot('2-all-payments');
  });

  it('3. the Failed view shows the Failed payment and none of the Confirmed ones', async () => {
    const failed = statusView('Failed');
    await listShows(failed, [ids.failed], { save: true });
    // What sets it apart on screen: the PaymentStatus filter, and the view saved under its name.
    const chip = page.getByRole('button', { name: /PaymentStatus = "Failed"/ });
    assert.equal(await chip.count(), 1, 'the filter chip PaymentStatus = "Failed"');
    await page.getByText(failed.name, { exact: true }).first().waitFor({ timeout: WAIT_MS });
    // The column is kept by the browser: the Failed view shows it too.
    await page.getByTestId('workflows-summary-table-header-cell-PaymentStatus').waitFor({ timeout: WAIT_MS });
    await shoot('3-failed-view');
    await listShows(statusView('Confirmed'), ids.confirmed);
    await shoot('3-confirmed-view');
  });

  it('4. the Failed payment shows its summary and current details', async () => {
    await page.goto(workflowListUrl(ui, statusView('Failed')));
    await page.getByRole('link', { name: ids.failed, exact: true }).first().click();
    await page.getByTestId('workflow-id-heading').filter({ hasText: ids.failed }).waitFor({ timeout: WAIT_MS });
    await page.getByTestId('user-metadata-tab').click();
    const summary = metadataText(0);
    await summary.filter({ hasText: 'journey journey-failed' }).waitFor({ timeout: WAIT_MS });
    assert.match(await summary.innerText(), /ETH → 0xfB69…d359 on Ethereum Sepolia \(journey journey-failed\)/);
    const details = metadataText(1);
    await details.filter({ hasText: 'needs a person' }).waitFor({ timeout: WAIT_MS });
    const text = await details.innerText();
    assert.match(text, /^\s*Failed — /);
    assert.match(text, /reason: Transaction reverted on chain/);
    assert.match(text, /txHash 0x[0-9a-f]{64}/);
    await shoot('4-failed-payment');
  });

  it('5. a payment held on chain, sped up through the API, moves to Confirmed in the UI', async () => {
    await listShows(statusView('Broadcasted'), [ids.stuck]);
    await statusColumnShows({ [ids.stuck]: 'Broadcasted' });
    await shoot('5-held-payment');
    const held = (await api(`/v1/payments/${encodeURIComponent(ids.stuck)}`)).json.txHash;
    assert.match(held ?? '', /^0x[0-9a-f]{64}$/);
    const sped = await api(`/v1/payments/${encodeURIComponent(ids.stuck)}/speed-up`, { method: 'POST', json: {} });
    assert.equal(sped.status, 200, JSON.stringify(sped.json));
    await listShows(statusView('Broadcasted'), []);
    await listShows(statusView('Confirmed'), [...ids.confirmed, ids.stuck]);
    await statusColumnShows({ [ids.stuck]: 'Confirmed' });
    await shoot('5-sped-up-confirmed');
    // Closed now: its page (whose metadata tab queries the workflow) says what happened.
    await page.goto(workflowUrl(ui, ids.stuck));
    await page.getByTestId('user-metadata-tab').click();
    const details = metadataText(1);
    await details.filter({ hasText: 'Confirmed' }).waitFor({ timeout: WAIT_MS });
    const text = await details.innerText();
    assert.match(text, /^\s*Confirmed — /);
    // Confirmed by the speed-up's replacement transaction: another hash than the one held on chain.
    const final = (await api(`/v1/payments/${encodeURIComponent(ids.stuck)}`)).json.txHash;
    assert.notEqual(final, held);
    assert.ok(text.includes(`txHash ${final}`), text);
    await shoot('5-sped-up-payment');
  });
});
