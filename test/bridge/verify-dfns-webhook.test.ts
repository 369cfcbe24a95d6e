// Tests src/bridge/verify-dfns-webhook.ts on its own: what it lets through and what it leaves for the route.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { answerErrors } from '../../src/bridge/http-error';
import { verifyDfnsWebhook, type VerifiedWebhookEnv } from '../../src/bridge/verify-dfns-webhook';
import { DFNS_SIGNATURE_HEADER, signDfnsWebhook } from '../../src/dfns/webhook-signature';
import { captureLogs } from '../logging/log-capture';

const SECRET = 'whsec_verifier_test_31c9';
const NOW_MS = Date.parse('2025-01-01T00:10:00.000Z');
const quiet = captureLogs().logger;

/** An app whose route only echoes what the verifier left, counting how often it ran. */
function echoApp(): { app: Hono<VerifiedWebhookEnv>; reached: () => number } {
  let reached = 0;
  const app = new Hono<VerifiedWebhookEnv>();
  const secrets = ['whsec_old_1', SECRET];
  const verify = verifyDfnsWebhook({ secrets, toleranceSeconds: 300, logger: quiet, now: () => NOW_MS });
  app.post('/', verify, (c) => {
    reached++;
    return c.json(c.get('webhookBody'));
  });
  app.onError(answerErrors(quiet));
  return { app, reached: () => reached };
}

const post = (app: Hono<VerifiedWebhookEnv>, body: string, signature: string) =>
  app.request('/', { method: 'POST', headers: { [DFNS_SIGNATURE_HEADER]: signature }, body });

describe('verifyDfnsWebhook', () => {
  it('is a named middleware', () => {
    const verify = verifyDfnsWebhook({ secrets: [SECRET], toleranceSeconds: 300, logger: quiet });
    assert.equal(verify.name, 'verifyDfnsWebhook');
  });

  it('hands the route the body it verified, parsed once, whichever configured secret signed it', async () => {
    const { app, reached } = echoApp();
    const body = JSON.stringify({ id: 'whe-1', timestampSent: NOW_MS / 1000, data: { nested: [1, 2] } });
    for (const secret of [SECRET, 'whsec_old_1']) {
      const res = await post(app, body, signDfnsWebhook(body, secret));
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), JSON.parse(body));
    }
    assert.equal(reached(), 2);
  });

  it('never reaches the route for a refused delivery', async () => {
    const { app, reached } = echoApp();
    const fresh = JSON.stringify({ timestampSent: NOW_MS / 1000 });
    const stale = JSON.stringify({ timestampSent: NOW_MS / 1000 - 301 });
    const answers = [
      await post(app, fresh, signDfnsWebhook(fresh, 'whsec_other')),
      await post(app, stale, signDfnsWebhook(stale, SECRET)),
      await post(app, '[]', signDfnsWebhook('[]', SECRET)),
    ];
    assert.deepEqual(
      answers.map((r) => r.status),
      [401, 401, 400],
    );
    assert.equal(reached(), 0);
  });
});
