// The codec endpoint (src/codec/codec-app.ts) through app.request(): the remote codec protocol, who may use it (an
// operator's key or its session; never a client's key, never nobody), CORS for the Web UI's origin only, and the
// session cookie the Web UI sends.
import { defaultPayloadConverter } from '@temporalio/common';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  createApiKeyDirectory,
  createApiKeyVerifier,
  mintApiKey,
  parseApiKeyEntry,
  type ApiKeyEntry,
} from '../../src/api/api-keys';
import { createCodecApp } from '../../src/codec/codec-app';
import { CODEC_SESSION_MS } from '../../src/codec/codec-session';
import { payloadsToJson } from '../../src/codec/payloads-json';
import { EncryptionCodec } from '../../src/temporal/encryption-codec';
import { captureLogs } from '../logging/log-capture';

const UI = 'http://127.0.0.1:8233';
const operator = mintApiKey('ops', ['payloads:decode']);
const acme = mintApiKey('acme', ['payments:write', 'payments:read', 'payments:operate']);
const globex = mintApiKey('globex', ['payments:write', 'payments:read', 'payments:operate']);
const payment = { to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', amount: '2500000' };

function harness(options: { entries?: ApiKeyEntry[]; authFailuresPerMinute?: number } = {}) {
  const entries = options.entries ?? [operator, acme, globex].map((k) => parseApiKeyEntry(k.entry));
  const codec = new EncryptionCodec({ encryptKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) });
  const clock = { now: Date.now() };
  const logs = captureLogs('codec', 'debug');
  const app = createCodecApp({
    codec,
    verifyKey: createApiKeyVerifier(entries),
    keyById: createApiKeyDirectory(entries),
    sessionSecret: randomBytes(32),
    uiUrl: `${UI}/namespaces/default/workflows`,
    authFailuresPerMinute: options.authFailuresPerMinute ?? 30,
    logger: logs.logger,
    now: () => clock.now,
  });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
  const signIn = async (key: string, headers: Record<string, string> = {}) =>
    app.request('/codec/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ key }).toString(),
    });
  return { app, codec, clock, logs, post, bearer, signIn };
}

const encrypted = async (codec: EncryptionCodec) =>
  payloadsToJson(await codec.encode([defaultPayloadConverter.toPayload(payment)]));

describe('the codec endpoint', () => {
  it('decodes and encodes in the remote codec shape for an operator key', async () => {
    const { codec, post, bearer } = harness();
    const body = await encrypted(codec);
    assert.equal(Buffer.from(body.payloads[0]?.metadata?.encoding ?? '', 'base64').toString(), 'binary/encrypted');
    const decoded = await post('/codec/decode', body, bearer(operator.key));
    assert.equal(decoded.status, 200);
    const clear = (await decoded.json()) as typeof body;
    const [first] = clear.payloads;
    assert.equal(Buffer.from(first?.metadata?.encoding ?? '', 'base64').toString(), 'json/plain');
    assert.deepEqual(JSON.parse(Buffer.from(first?.data ?? '', 'base64').toString()), payment);

    const encoded = await post('/codec/encode', clear, bearer(operator.key));
    assert.equal(encoded.status, 200);
    const again = (await encoded.json()) as typeof body;
    assert.equal(Buffer.from(again.payloads[0]?.metadata?.['encryption-key-id'] ?? '', 'base64').toString(), 'k1');
    assert.notEqual(again.payloads[0]?.data, body.payloads[0]?.data, 'a fresh IV');
  });

  it('reads {} as no payloads, as protobuf JSON writes an empty list (the Temporal CLI sends it)', async () => {
    const { post, bearer } = harness();
    for (const direction of ['decode', 'encode']) {
      const empty = await post(`/codec/${direction}`, {}, bearer(operator.key));
      assert.equal(empty.status, 200, direction);
      assert.deepEqual(await empty.json(), { payloads: [] }, direction);
    }
  });

  it('refuses nobody, a wrong key and both clients’ keys, whatever their scopes', async () => {
    const { codec, post, bearer } = harness();
    const body = await encrypted(codec);
    const anonymous = await post('/codec/decode', body);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('content-type'), 'application/problem+json');
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /Bearer/);
    assert.match(((await anonymous.json()) as { detail: string }).detail, /no credentials/);
    const wrong = await post('/codec/decode', body, bearer(`${operator.key.slice(0, -2)}xx`));
    assert.equal(wrong.status, 401);
    for (const client of [acme, globex]) {
      const refused = await post('/codec/decode', body, bearer(client.key));
      assert.equal(refused.status, 403, 'a client key never decodes, even with payments:operate');
      const problem = (await refused.json()) as { detail: string };
      assert.match(problem.detail, /lacks the scope payloads:decode/);
      assert.ok(!JSON.stringify(problem).includes(client.key));
      assert.equal((await post('/codec/encode', body, bearer(client.key))).status, 403);
    }
  });

  it('counts wrong keys per source address and answers 429 past the limit', async () => {
    const { codec, post, bearer } = harness({ authFailuresPerMinute: 3 });
    const body = await encrypted(codec);
    for (let i = 0; i < 3; i++) assert.equal((await post('/codec/decode', body, bearer('pk_nope'))).status, 401);
    const limited = await post('/codec/decode', body, bearer('pk_nope'));
    assert.equal(limited.status, 429);
    assert.ok(limited.headers.get('retry-after'));
  });

  it('lets the Web UI origin call it with credentials, and no other origin', async () => {
    const { app, codec, post, bearer } = harness();
    const preflight = (origin: string) =>
      app.request('/codec/decode', {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type,x-namespace',
        },
      });
    const fromUi = await preflight(UI);
    assert.equal(fromUi.headers.get('access-control-allow-origin'), UI);
    assert.equal(fromUi.headers.get('access-control-allow-credentials'), 'true');
    assert.match(fromUi.headers.get('access-control-allow-headers') ?? '', /X-Namespace/);
    for (const other of ['http://127.0.0.1:3000', 'https://evil.example', 'null']) {
      assert.equal((await preflight(other)).headers.get('access-control-allow-origin'), null, other);
    }
    // A refusal still carries the UI's CORS headers, so the UI can tell "not signed in" from "unreachable".
    const refused = await post('/codec/decode', await encrypted(codec), { Origin: UI });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('access-control-allow-origin'), UI);
    const allowed = await post('/codec/decode', await encrypted(codec), { Origin: UI, ...bearer(operator.key) });
    assert.equal(allowed.headers.get('access-control-allow-origin'), UI);
  });

  it('signs a browser in with an operator key: an HttpOnly, SameSite=Strict cookie for /codec only', async () => {
    const { codec, post, signIn, clock } = harness();
    const page = await signIn(operator.key);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await page.text();
    assert.match(html, /Signed in with key/);
    assert.ok(!html.includes(operator.key));
    const setCookie = page.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^payments_codec_session=/);
    for (const flag of [/HttpOnly/, /SameSite=Strict/, /Path=\/codec/, /Max-Age=28800/]) assert.match(setCookie, flag);
    assert.doesNotMatch(setCookie, /Secure/, 'plain http on loopback: a Secure cookie would never be sent back');
    const cookie = setCookie.split(';')[0] as string;

    const decoded = await post('/codec/decode', await encrypted(codec), { Cookie: cookie });
    assert.equal(decoded.status, 200);

    const [name, value] = cookie.split('=') as [string, string];
    const forged = `${name}=${value.replace(/^[a-z0-9]{12}/, 'abcdefghijkl')}`;
    assert.equal((await post('/codec/decode', await encrypted(codec), { Cookie: forged })).status, 401);

    clock.now += CODEC_SESSION_MS + 1;
    const expired = await post('/codec/decode', await encrypted(codec), { Cookie: cookie });
    assert.equal(expired.status, 401);
    assert.match(((await expired.json()) as { detail: string }).detail, /session has expired/);
  });

  it('marks the cookie Secure behind a TLS proxy, and ends a session whose key is no longer configured', async () => {
    const { signIn } = harness();
    const behindTls = await signIn(operator.key, { 'X-Forwarded-Proto': 'https' });
    assert.match(behindTls.headers.get('set-cookie') ?? '', /Secure/);

    const withKey = harness();
    const cookie = ((await withKey.signIn(operator.key)).headers.get('set-cookie') ?? '').split(';')[0] as string;
    assert.equal((await withKey.post('/codec/decode', { payloads: [] }, { Cookie: cookie })).status, 200);
    // The same app, its keys reloaded without the operator's: the cookie's signature is still good, the key is gone.
    const revoked = harness({ entries: [acme].map((k) => parseApiKeyEntry(k.entry)) });
    const again = await revoked.post('/codec/decode', { payloads: [] }, { Cookie: cookie });
    assert.equal(again.status, 401);
  });

  it('refuses to sign in a client key or a wrong key, without echoing either', async () => {
    const { signIn } = harness();
    const client = await signIn(acme.key);
    assert.equal(client.status, 403);
    assert.equal(client.headers.get('set-cookie'), null);
    assert.match(await client.text(), /lacks the scope payloads:decode/);
    const wrong = await signIn('pk_abcdefghijkl_wrong');
    assert.equal(wrong.status, 401);
    assert.ok(!(await wrong.text()).includes('wrong'));
  });

  it('names the bad field, refuses other media types, and says which key a payload needs', async () => {
    const { post, bearer } = harness();
    const auth = bearer(operator.key);
    const bad = await post('/codec/decode', { payloads: [{ metadata: { encoding: '***' }, data: 'AA==' }] }, auth);
    assert.equal(bad.status, 400);
    const problem = (await bad.json()) as { errors: { field: string; message: string }[] };
    assert.deepEqual(problem.errors, [{ field: 'payloads.0.metadata.encoding', message: 'must be base64' }]);
    assert.equal((await post('/codec/decode', '{', auth)).status, 400);
    assert.equal(
      (await post('/codec/decode', { payloads: [] }, { ...auth, 'Content-Type': 'text/plain' })).status,
      415,
    );

    const other = new EncryptionCodec({ encryptKeyId: 'retired', keys: new Map([['retired', randomBytes(32)]]) });
    const unknown = await post('/codec/decode', await encrypted(other), auth);
    assert.equal(unknown.status, 422);
    assert.match(((await unknown.json()) as { detail: string }).detail, /key "retired"/);
  });

  it('answers anything else with a 404 problem', async () => {
    const { app } = harness();
    const response = await app.request('/v1/payments');
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
  });
});
