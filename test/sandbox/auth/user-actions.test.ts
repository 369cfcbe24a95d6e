import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import { DfnsHttpError } from '../../../sandbox/src/http/errors';
import { createJwtCodec } from '../../../sandbox/src/auth/jwt';
import type { Credential } from '../../../sandbox/src/state/sandbox-state';
import { CHALLENGE_TTL_MS, createUserActions } from '../../../sandbox/src/auth/user-actions';

const KEY_MAKERS = {
  'EC P-256': () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
  'EC secp256k1': () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }),
  Ed25519: () => generateKeyPairSync('ed25519'),
  'RSA 2048': () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
};

function credentialPair(userId: string, credId: string, kind: keyof typeof KEY_MAKERS = 'EC P-256') {
  const { publicKey, privateKey } = KEY_MAKERS[kind]();
  const credential: Credential = {
    credId,
    userId,
    kind: 'Key',
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    isActive: true,
    dateCreated: new Date().toISOString(),
  };
  return { credential, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

function setup(credentials: Credential[]) {
  let now = 1_000_000;
  const actions = createUserActions({
    now: () => now,
    jwt: createJwtCodec('test-secret'),
    credentialsOf: (userId) => credentials.filter((c) => c.userId === userId),
  });
  return { actions, advance: (ms: number) => (now += ms) };
}

function statusOf(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DfnsHttpError);
    return err.status;
  }
  return 200;
}

const request = { method: 'POST', path: '/wallets/wa-1/transfers', payload: '{"kind":"Native"}' };

describe('user-action handshake', () => {
  for (const label of Object.keys(KEY_MAKERS) as (keyof typeof KEY_MAKERS)[]) {
    it(`verifies AsymmetricKeySigner assertions made with ${label} keys`, async () => {
      const { credential, privateKey } = credentialPair('us-a', 'cred-a', label);
      const { actions } = setup([credential]);
      const challenge = actions.createChallenge('us-a', request);
      const assertion = await new AsymmetricKeySigner({ credId: 'cred-a', privateKey }).sign(challenge as never);
      const { userAction } = actions.sign('us-a', challenge.challengeIdentifier, assertion.credentialAssertion);
      assert.equal(
        statusOf(() => actions.consume('us-a', userAction, request)),
        200,
      );
    });
  }

  it('expires challenges after the TTL (401)', async () => {
    const { credential, privateKey } = credentialPair('us-a', 'cred-a');
    const { actions, advance } = setup([credential]);
    const challenge = actions.createChallenge('us-a', request);
    const assertion = await new AsymmetricKeySigner({ credId: 'cred-a', privateKey }).sign(challenge as never);
    advance(CHALLENGE_TTL_MS + 1);
    assert.equal(
      statusOf(() => actions.sign('us-a', challenge.challengeIdentifier, assertion.credentialAssertion)),
      401,
    );
  });

  it('refuses clientData for another challenge even with a valid signature (401)', async () => {
    const { credential, privateKey } = credentialPair('us-a', 'cred-a');
    const { actions } = setup([credential]);
    const first = actions.createChallenge('us-a', request);
    const second = actions.createChallenge('us-a', request);
    const assertion = await new AsymmetricKeySigner({ credId: 'cred-a', privateKey }).sign(first as never);
    assert.equal(
      statusOf(() => actions.sign('us-a', second.challengeIdentifier, assertion.credentialAssertion)),
      401,
    );
  });

  it("refuses another user's token without burning it (403)", async () => {
    const a = credentialPair('us-a', 'cred-a');
    const b = credentialPair('us-b', 'cred-b', 'Ed25519');
    const { actions } = setup([a.credential, b.credential]);
    const challenge = actions.createChallenge('us-a', request);
    assert.deepEqual(challenge.allowCredentials.key, [{ type: 'public-key', id: 'cred-a' }]);
    const assertion = await new AsymmetricKeySigner({ credId: 'cred-a', privateKey: a.privateKey }).sign(
      challenge as never,
    );
    const { userAction } = actions.sign('us-a', challenge.challengeIdentifier, assertion.credentialAssertion);
    assert.equal(
      statusOf(() => actions.consume('us-b', userAction, request)),
      403,
    );
    assert.equal(
      statusOf(() => actions.consume('us-a', userAction, request)),
      200,
    );
    assert.equal(
      statusOf(() => actions.consume('us-a', userAction, request)),
      403,
    );
  });

  it('refuses a challenge opened by another user (401)', async () => {
    const a = credentialPair('us-a', 'cred-a');
    const { actions } = setup([a.credential]);
    const challenge = actions.createChallenge('us-a', request);
    const assertion = await new AsymmetricKeySigner({ credId: 'cred-a', privateKey: a.privateKey }).sign(
      challenge as never,
    );
    assert.equal(
      statusOf(() => actions.sign('us-b', challenge.challengeIdentifier, assertion.credentialAssertion)),
      401,
    );
  });

  // Dfns requires ECDSA signatures in ASN.1/DER; a signer that sent a token's raw r||s would be refused by Dfns, so
  // the sandbox refuses it too.
  it('refuses an ECDSA P-256 signature in raw r||s (IEEE P1363) form (401)', async () => {
    const { credential, privateKey } = credentialPair('us-a', 'cred-a');
    const { actions } = setup([credential]);
    const challenge = actions.createChallenge('us-a', request);
    const der = await new AsymmetricKeySigner({ credId: 'cred-a', privateKey }).sign(challenge as never);
    const clientData = Buffer.from(der.credentialAssertion.clientData, 'base64url');
    const raw = sign('sha256', clientData, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    assert.equal(raw.length, 64);
    const assertion = { ...der.credentialAssertion, signature: raw.toString('base64url') };
    assert.equal(
      statusOf(() => actions.sign('us-a', challenge.challengeIdentifier, assertion)),
      401,
    );
  });

  it('logs each carried-out request with the credential and public key that signed it, and nothing refused', async () => {
    const a = credentialPair('us-a', 'cred-a');
    const b = credentialPair('us-b', 'cred-b', 'Ed25519');
    const { actions, advance } = setup([a.credential, b.credential]);
    const run = async (userId: string, credId: string, privateKey: string, bound = request) => {
      const challenge = actions.createChallenge(userId, bound);
      const assertion = await new AsymmetricKeySigner({ credId, privateKey }).sign(challenge as never);
      return actions.sign(userId, challenge.challengeIdentifier, assertion.credentialAssertion).userAction;
    };
    actions.consume('us-a', await run('us-a', 'cred-a', a.privateKey), request);
    advance(1000);
    const other = { method: 'DELETE', path: '/webhooks/wh-1', payload: '{}' };
    actions.consume('us-b', await run('us-b', 'cred-b', b.privateKey, other), other);
    // Signed but refused (another request than the signed one): not carried out, so not logged.
    const refused = await run('us-a', 'cred-a', a.privateKey);
    assert.equal(
      statusOf(() => actions.consume('us-a', refused, { ...request, payload: '{"kind":"Erc20"}' })),
      403,
    );
    assert.deepEqual(actions.accepted(), [
      {
        userId: 'us-a',
        credId: 'cred-a',
        publicKey: a.credential.publicKey,
        method: 'POST',
        path: '/wallets/wa-1/transfers',
        date: new Date(1_000_000).toISOString(),
      },
      {
        userId: 'us-b',
        credId: 'cred-b',
        publicKey: b.credential.publicKey,
        method: 'DELETE',
        path: '/webhooks/wh-1',
        date: new Date(1_001_000).toISOString(),
      },
    ]);
    actions.clearAccepted();
    assert.deepEqual(actions.accepted(), []);
  });
});
