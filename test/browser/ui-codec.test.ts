// An operator reads an encrypted payment in the Temporal Web UI, in a real browser (Debian's Chromium through
// playwright-core), as `npm run dev` serves it: the dev server's UI is started with `--ui-codec-endpoint`, and the
// stack's payloads are encrypted. Before the operator signs in, the payment's page holds no recipient, amount or
// reference in clear; after signing in at the codec endpoint with an operator's key, and letting the UI send the
// session cookie (its codec settings: "Include cross-origin credentials"), the same page reads them. A client's key
// cannot sign in. Every wait is for a condition, bounded. Screenshots are kept under .local/browser-journey/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { mintApiKey, parseApiKeyEntry } from '../../src/api/api-keys';
import { CODEC_SCOPE } from '../../src/codec/codec-app';
import { CODEC_SESSION_COOKIE } from '../../src/codec/codec-session';
import { ENCRYPTED_ENCODING } from '../../src/temporal/encryption-codec';
import { workflowUrl, type TemporalUi } from '../../src/temporal/ui-links';
import { launchChromium } from '../support/chromium';
import { startPaymentStack, type PaymentStack } from '../support/payment-stack';

const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = `${root}/.local/browser-journey`;
const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const REFERENCE = 'invoice UI-CODEC-7731';
const AMOUNT = '1234567';
const WAIT_MS = 60_000;
/** How the UI shows a payload's encoding it could not decode: the metadata value, base64. */
const ENCRYPTED_ENCODING_BASE64 = Buffer.from(ENCRYPTED_ENCODING).toString('base64');

describe(
  'an operator reads an encrypted payment in the Temporal UI through the codec endpoint',
  { timeout: 240_000 },
  () => {
    const operator = mintApiKey('operations', [CODEC_SCOPE]);
    const client = mintApiKey('acme', ['payments:write', 'payments:read']);
    let stack: PaymentStack;
    let ui: TemporalUi;
    let browser: Browser;
    let page: Page;
    let paymentId: string;

    const shoot = (name: string) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
    /** The payment's page, opened afresh; answers the Input panel's text once it shows `expected`. */
    const inputShows = async (expected: string) => {
      await page.goto(workflowUrl(ui, paymentId));
      await page.getByTestId('workflow-id-heading').filter({ hasText: paymentId }).waitFor({ timeout: WAIT_MS });
      const input = page
        .locator('section, div')
        .filter({ has: page.getByRole('heading', { name: 'Input', exact: true }) })
        .last();
      await input.getByText(expected).first().waitFor({ timeout: WAIT_MS });
      return input.innerText();
    };
    const sessionCookies = async () =>
      (await page.context().cookies(stack.uiCodecEndpoint)).filter((cookie) => cookie.name === CODEC_SESSION_COOKIE);

    before(async () => {
      mkdirSync(shots, { recursive: true });
      [stack, browser] = await Promise.all([
        startPaymentStack({ timeScale: 10, temporalUi: true, uiCodecKeys: [parseApiKeyEntry(operator.entry)] }),
        launchChromium(),
      ]);
      assert.ok(
        stack.temporalUiUrl && stack.uiCodecEndpoint,
        'the stack serves the Temporal UI and its codec endpoint',
      );
      assert.ok(stack.codec, 'the stack encrypts payloads');
      ui = { url: stack.temporalUiUrl, namespace: stack.env.namespace ?? 'default' };
      const { bootstrap } = stack.sandbox;
      paymentId = (
        await stack.client.start({
          idempotencyKey: 'ui-codec-1',
          walletId: bootstrap.walletId,
          network: 'EthereumSepolia',
          asset: { kind: 'Erc20', contract: bootstrap.erc20.contract, symbol: 'USDC', decimals: 6 },
          to: RECIPIENT,
          amount: AMOUNT,
          reference: REFERENCE,
        })
      ).paymentId;
      const outcome = await stack.client.waitForOutcome(paymentId);
      assert.equal(outcome.status, 'Confirmed');
      page = await browser.newPage({ viewport: { width: 1600, height: 1600 } });
    });
    after(async () => {
      await browser?.close();
      await stack?.stop();
    });

    it('shows no recipient, amount or reference before an operator signs in', async () => {
      // The UI cannot call the codec endpoint yet: it says so, and shows the payload as it is stored.
      const input = await inputShows(ENCRYPTED_ENCODING_BASE64);
      await page.getByTestId('data-encoder-status-error').waitFor({ timeout: WAIT_MS });
      const text = await page.locator('body').innerText();
      for (const secret of [RECIPIENT, REFERENCE, AMOUNT]) assert.equal(text.includes(secret), false, secret);
      assert.match(input, /"data": "[A-Za-z0-9+/=]{200,}"/);
      await shoot('codec-1-encrypted');
    });

    it("refuses a client's key at the codec sign-in", async () => {
      await page.goto(`${stack.uiCodecEndpoint}/session`);
      await page.locator('input[name="key"]').fill(client.key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('That key is not valid.').waitFor({ timeout: WAIT_MS });
      assert.deepEqual(await sessionCookies(), []);
    });

    it('reads the payment in clear once an operator signs in and the UI sends the session cookie', async () => {
      await page.goto(`${stack.uiCodecEndpoint}/session`);
      await page.locator('input[name="key"]').fill(operator.key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: WAIT_MS });
      assert.equal((await sessionCookies()).length, 1, 'the session cookie');
      // The UI's codec settings, as docs/deployment.md tells an operator of the dev server: this browser's setting, the
      // same endpoint, and cross-origin credentials, so that the UI's calls carry the session cookie.
      await page.goto(workflowUrl(ui, paymentId));
      await page.locator('[data-testid^="data-encoder-status"]').first().click();
      await page.getByTestId('override-accordion').click();
      await page.getByText('Use my browser setting and ignore Cluster-level setting.').click();
      await page.getByTestId('data-encoder-endpoint-input').fill(stack.uiCodecEndpoint as string);
      // The toggle and Apply from the keyboard: the page's bar lies over them once the panel has opened its browser setting.
      await page.getByTestId('data-encoder-include-credentials').press('Space');
      assert.equal(await page.getByTestId('data-encoder-include-credentials').isChecked(), true);
      await page.getByTestId('confirm-data-encoder-button').press('Enter');
      const input = await inputShows(RECIPIENT);
      for (const secret of [REFERENCE, AMOUNT]) assert.ok(input.includes(secret), secret);
      await shoot('codec-2-decoded');
    });
  },
);
