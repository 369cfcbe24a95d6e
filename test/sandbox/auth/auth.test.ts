import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createJwtCodec } from '../../../sandbox/src/auth/jwt';
import {
  admin,
  clientFor,
  dfnsFailure,
  groundTruth,
  rawCall,
  RECIPIENT,
  sendNative,
  startTestSandbox,
  userActionFor,
  type Json,
  type TestSandbox,
} from '../helpers';

function assertDfnsError(body: Json, status: number) {
  assert.equal(body.error.status, status);
  assert.match(body.error.id, /^\d+$/);
  assert.equal(typeof body.error.message, 'string');
}

function p256Pem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

describe('authentication and user-action signing', () => {
  let t: TestSandbox;
  let transfersPath: string;
  const transferBody = JSON.stringify({ kind: 'Native', to: RECIPIENT, amount: '5' });
  before(async () => {
    t = await startTestSandbox();
    transfersPath = `/wallets/${t.bootstrap.walletId}/transfers`;
  });
  after(async () => {
    await t.close();
  });

  it('refuses a missing, garbage or foreign bearer token with 401', async () => {
    const missing = await rawCall(t.bootstrap, 'GET', '/wallets', { bearer: null });
    assert.equal(missing.status, 401);
    assertDfnsError(missing.body, 401);
    const garbage = await rawCall(t.bootstrap, 'GET', '/wallets', { bearer: 'not-a-jwt' });
    assert.equal(garbage.status, 401);
    assertDfnsError(garbage.body, 401);
    // Same claims, signed by another sandbox's secret.
    const payload = JSON.parse(Buffer.from(t.bootstrap.authToken.split('.')[1] ?? '', 'base64url').toString('utf8'));
    const forged = await rawCall(t.bootstrap, 'GET', '/wallets', {
      bearer: createJwtCodec('another-secret').sign(payload),
    });
    assert.equal(forged.status, 401);
    const ok = await rawCall(t.bootstrap, 'GET', '/wallets');
    assert.equal(ok.status, 200);
  });

  it('issues a token that passes the SDK orgId guard and serves admin routes without one', async () => {
    const wallet = await t.dfns.wallets.getWallet({ walletId: t.bootstrap.walletId });
    assert.equal(wallet.address, t.bootstrap.walletAddress);
    const health = await fetch(`${t.sandbox.url}/_sandbox/health`);
    assert.deepEqual(await health.json(), { ok: true });
    const unknown = await rawCall(t.bootstrap, 'GET', '/no/such/route');
    assert.equal(unknown.status, 404);
    assertDfnsError(unknown.body, 404);
  });

  it('rejects an assertion signed with the wrong private key (401 from /auth/action)', async () => {
    const impostor = clientFor(t.bootstrap, { credId: t.bootstrap.credId, privateKey: p256Pem() });
    const err = await dfnsFailure(sendNative(impostor, t.bootstrap.walletId, '1'));
    assert.equal(err.httpStatus, 401);
    assert.match(String((err.context as { url: string }).url), /\/auth\/action$/);
  });

  it('does not list an unregistered credId, and refuses it server-side with 401', async () => {
    const stranger = clientFor(t.bootstrap, { credId: 'Y3ItdW5rbm93bg', privateKey: p256Pem() });
    const err = await dfnsFailure(sendNative(stranger, t.bootstrap.walletId, '1'));
    assert.equal(err.httpStatus, -1);

    const init = await rawCall(t.bootstrap, 'POST', '/auth/action/init', {
      body: JSON.stringify({
        userActionPayload: transferBody,
        userActionHttpMethod: 'POST',
        userActionHttpPath: transfersPath,
      }),
    });
    assert.equal(init.status, 200);
    assert.deepEqual(init.body.allowCredentials, {
      key: [{ type: 'public-key', id: t.bootstrap.credId }],
      webauthn: [],
    });
    const privateKey = p256Pem();
    const clientData = Buffer.from(JSON.stringify({ type: 'key.get', challenge: init.body.challenge }));
    const signed = await rawCall(t.bootstrap, 'POST', '/auth/action', {
      body: JSON.stringify({
        challengeIdentifier: init.body.challengeIdentifier,
        firstFactor: {
          kind: 'Key',
          credentialAssertion: {
            credId: 'Y3ItdW5rbm93bg',
            clientData: clientData.toString('base64url'),
            signature: sign(undefined, clientData, privateKey).toString('base64url'),
          },
        },
      }),
    });
    assert.equal(signed.status, 401);
    assertDfnsError(signed.body, 401);
  });

  it('refuses an unknown challenge identifier with 401', async () => {
    const signed = await rawCall(t.bootstrap, 'POST', '/auth/action', {
      body: JSON.stringify({
        challengeIdentifier: 'no-such-challenge',
        firstFactor: {
          kind: 'Key',
          credentialAssertion: { credId: t.bootstrap.credId, clientData: 'e30', signature: 'AA' },
        },
      }),
    });
    assert.equal(signed.status, 401);
    assertDfnsError(signed.body, 401);
  });

  it('requires an x-dfns-useraction on mutations (403 when missing)', async () => {
    const res = await rawCall(t.bootstrap, 'POST', transfersPath, { body: transferBody });
    assert.equal(res.status, 403);
    assertDfnsError(res.body, 403);
  });

  it('accepts a user action once, and refuses its reuse with 403', async () => {
    const userAction = await userActionFor(t.bootstrap, { method: 'POST', path: transfersPath, payload: transferBody });
    const headers = { 'x-dfns-useraction': userAction };
    const first = await rawCall(t.bootstrap, 'POST', transfersPath, { body: transferBody, headers });
    assert.equal(first.status, 200);
    assert.equal(first.body.status, 'Pending');
    const reused = await rawCall(t.bootstrap, 'POST', transfersPath, { body: transferBody, headers });
    assert.equal(reused.status, 403);
    assertDfnsError(reused.body, 403);
    assert.match(reused.body.error.message, /already been used/);
  });

  const postTransfer = (userAction: string, body = transferBody) =>
    rawCall(t.bootstrap, 'POST', transfersPath, { body, headers: { 'x-dfns-useraction': userAction } });

  it('refuses a body, path or method other than the signed one with 403', async () => {
    const tampered = JSON.stringify({ kind: 'Native', to: RECIPIENT, amount: '5000' });
    const a = await userActionFor(t.bootstrap, { method: 'POST', path: transfersPath, payload: transferBody });
    const bodyChanged = await postTransfer(a, tampered);
    assert.equal(bodyChanged.status, 403);
    assert.match(bodyChanged.body.error.message, /does not match/);

    const b = await userActionFor(t.bootstrap, { method: 'POST', path: '/webhooks', payload: transferBody });
    const pathChanged = await postTransfer(b);
    assert.equal(pathChanged.status, 403);

    const c = await userActionFor(t.bootstrap, { method: 'PUT', path: transfersPath, payload: transferBody });
    const methodChanged = await postTransfer(c);
    assert.equal(methodChanged.status, 403);

    const unknown = await postTransfer('forged');
    assert.equal(unknown.status, 403);

    const truth = await groundTruth(t.sandbox.url);
    assert.equal(truth.filter((item) => item.requestBody.amount === '5000').length, 0);
  });

  it('GET /_sandbox/user-actions shows which credential and registered key signed each request; reset clears it', async () => {
    await admin(t.sandbox.url, 'POST', '/reset');
    const transfer = await sendNative(t.dfns, t.bootstrap.walletId, '7');
    const { body } = await admin(t.sandbox.url, 'GET', '/user-actions');
    const b = t.bootstrap;
    const publicKey = createPublicKey(b.privateKey).export({ type: 'spki', format: 'pem' }).toString();
    assert.deepEqual(
      body.items.map(({ userId, credId, publicKey, method, path }: Json) => ({
        userId,
        credId,
        publicKey,
        method,
        path,
      })),
      [{ userId: b.userId, credId: b.credId, publicKey, method: 'POST', path: transfersPath }],
    );
    assert.equal(typeof transfer.id, 'string');
    await admin(t.sandbox.url, 'POST', '/reset');
    assert.deepEqual((await admin(t.sandbox.url, 'GET', '/user-actions')).body, { items: [] });
  });
});
