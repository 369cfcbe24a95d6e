// Tests the PKCS#11 signer (src/dfns/pkcs11) on a throw-away SoftHSM2 token: the key pair is generated inside the
// token and its private key refuses every way out; the signer answers a user-action challenge exactly as
// AsymmetricKeySigner does, verified by the sandbox's own verifier; configuration mistakes name their variable.
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DfnsError, type UserActionChallenge } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import pkcs11js from 'pkcs11js';
import { createJwtCodec } from '../../sandbox/src/auth/jwt';
import { verifyKeyAssertion } from '../../sandbox/src/auth/key-assertion';
import { createUserActions } from '../../sandbox/src/auth/user-actions';
import { ConfigError } from '../../src/config';
import { P256_EC_PARAMS } from '../../src/dfns/pkcs11/pkcs11-ec-key';
import { pkcs11ErrorCode } from '../../src/dfns/pkcs11/pkcs11-library';
import { pkcs11ServiceAccountKey } from '../../src/dfns/pkcs11/pkcs11-service-key';
import { createPkcs11Signer } from '../../src/dfns/pkcs11/pkcs11-signer';
import { openPkcs11Token, type Pkcs11Token } from '../../src/dfns/pkcs11/pkcs11-token';
import { createSoftHsmToken, type SoftHsmToken } from '../support/softhsm';

const LABEL = 'dfns-service-account';
const CRED_ID = 'cr-hsm-test';

const challengeFor = (challenge: string, credIds = [CRED_ID]) =>
  ({
    challenge,
    challengeIdentifier: 'ci-1',
    supportedCredentialKinds: [{ kind: 'Key', factor: 'either', requiresSecondFactor: false }],
    userVerification: 'required',
    externalAuthenticationUrl: '',
    allowCredentials: { key: credIds.map((id) => ({ type: 'public-key', id })), webauthn: [] },
  }) as UserActionChallenge;

/** The PKCS#11 return value a call failed with. */
function pkcs11Failure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    const code = pkcs11ErrorCode(error);
    assert.ok(code, `expected a PKCS#11 error, got ${String(error)}`);
    return code;
  }
  assert.fail('the call succeeded');
}

function configFailure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('no ConfigError');
}

function findOne(token: Pkcs11Token, objectClass: number, label: string): Buffer {
  const session = token.session();
  token.lib.C_FindObjectsInit(session, [
    { type: pkcs11js.CKA_CLASS, value: objectClass },
    { type: pkcs11js.CKA_LABEL, value: label },
  ]);
  const found = token.lib.C_FindObjects(session, 4);
  token.lib.C_FindObjectsFinal(session);
  assert.equal(found.length, 1, `one object labelled ${label}`);
  return found[0] as Buffer;
}

describe('the PKCS#11 signer on a SoftHSM2 token', () => {
  let hsm: SoftHsmToken;
  let publicKeyPem: string;

  before(() => {
    hsm = createSoftHsmToken({ inProcess: true });
    const key = pkcs11ServiceAccountKey(hsm.settings(LABEL), { existing: false });
    try {
      assert.equal(key.generated, true);
      assert.deepEqual(key.signingKey, { pkcs11: hsm.settings(LABEL) });
      publicKeyPem = key.publicKeyPem;
    } finally {
      key.close();
    }
  });
  after(() => hsm?.remove());

  describe('the key handle refuses export', () => {
    let token: Pkcs11Token;
    let privateKey: Buffer;
    before(() => {
      token = openPkcs11Token(hsm.settings(LABEL));
      privateKey = findOne(token, pkcs11js.CKO_PRIVATE_KEY, LABEL);
    });
    after(() => token?.close());

    it('was generated in the token as a P-256 token object, sensitive and never extractable', () => {
      const values = token.lib.C_GetAttributeValue(token.session(), privateKey, [
        { type: pkcs11js.CKA_TOKEN },
        { type: pkcs11js.CKA_PRIVATE },
        { type: pkcs11js.CKA_SENSITIVE },
        { type: pkcs11js.CKA_ALWAYS_SENSITIVE },
        { type: pkcs11js.CKA_EXTRACTABLE },
        { type: pkcs11js.CKA_NEVER_EXTRACTABLE },
        { type: pkcs11js.CKA_LOCAL },
        { type: pkcs11js.CKA_EC_PARAMS },
      ]);
      const flags = values.slice(0, 7).map((attribute) => attribute.value[0]);
      // token, private, sensitive, always sensitive, NOT extractable, never extractable, generated in the token
      assert.deepEqual(flags, [1, 1, 1, 1, 0, 1, 1]);
      assert.ok(P256_EC_PARAMS.equals(values[7]?.value as Buffer));
    });

    it('C_GetAttributeValue of CKA_VALUE fails: the private scalar cannot be read', () => {
      const code = pkcs11Failure(() =>
        token.lib.C_GetAttributeValue(token.session(), privateKey, [{ type: pkcs11js.CKA_VALUE }]),
      );
      assert.equal(code, 'CKR_ATTRIBUTE_SENSITIVE');
    });

    it('C_WrapKey fails: the key cannot leave encrypted under a key the caller holds', () => {
      const session = token.session();
      const wrappingKey = token.lib.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
        { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
        { type: pkcs11js.CKA_TOKEN, value: false },
        { type: pkcs11js.CKA_WRAP, value: true },
        { type: pkcs11js.CKA_EXTRACTABLE, value: true },
      ]);
      try {
        const code = pkcs11Failure(() =>
          token.lib.C_WrapKey(
            session,
            { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD },
            wrappingKey,
            privateKey,
            Buffer.alloc(4096),
          ),
        );
        assert.equal(code, 'CKR_KEY_UNEXTRACTABLE');
      } finally {
        token.lib.C_DestroyObject(session, wrappingKey);
      }
    });

    it('cannot be made extractable or non-sensitive, in place or by copying it', () => {
      const session = token.session();
      for (const attribute of [
        { type: pkcs11js.CKA_EXTRACTABLE, value: true },
        { type: pkcs11js.CKA_SENSITIVE, value: false },
      ]) {
        assert.equal(
          pkcs11Failure(() => token.lib.C_SetAttributeValue(session, privateKey, [attribute])),
          'CKR_ATTRIBUTE_READ_ONLY',
        );
        assert.equal(
          pkcs11Failure(() => token.lib.C_CopyObject(session, privateKey, [attribute])),
          'CKR_ATTRIBUTE_READ_ONLY',
        );
      }
      const [extractable] = token.lib.C_GetAttributeValue(session, privateKey, [{ type: pkcs11js.CKA_EXTRACTABLE }]);
      assert.equal(extractable?.value[0], 0, 'still not extractable');
    });
  });

  describe('signing', () => {
    it('answers a challenge as AsymmetricKeySigner does: same clientData, DER ECDSA P-256 over SHA-256', async () => {
      const signer = createPkcs11Signer(CRED_ID, hsm.settings(LABEL));
      try {
        const assertion = await signer.sign(challengeFor('the-challenge'));
        const pem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
        const privateKey = pem.export({ type: 'pkcs8', format: 'pem' }).toString();
        const reference = await new AsymmetricKeySigner({ credId: CRED_ID, privateKey }).sign(
          challengeFor('the-challenge'),
        );
        assert.equal(assertion.kind, 'Key');
        assert.equal(assertion.credentialAssertion.credId, CRED_ID);
        assert.equal(assertion.credentialAssertion.clientData, reference.credentialAssertion.clientData);
        assert.equal('algorithm' in assertion.credentialAssertion, false, 'no algorithm, like the keysigner');
        const signature = Buffer.from(assertion.credentialAssertion.signature, 'base64url');
        assert.equal(signature[0], 0x30, 'a DER SEQUENCE, as Dfns requires for ECDSA');
        const clientData = Buffer.from(assertion.credentialAssertion.clientData, 'base64url');
        const key = createPublicKey(publicKeyPem);
        assert.equal(verify('sha256', clientData, { key, dsaEncoding: 'der' }, signature), true);
        assert.equal(verifyKeyAssertion(assertion.credentialAssertion, 'the-challenge', publicKeyPem), true);
        assert.equal(verifyKeyAssertion(assertion.credentialAssertion, 'another-challenge', publicKeyPem), false);
      } finally {
        await signer.close();
      }
    });

    it("passes the sandbox's user-action handshake with the token's registered public key", async () => {
      const signer = createPkcs11Signer(CRED_ID, hsm.settings(LABEL));
      const credential = {
        credId: CRED_ID,
        userId: 'us-hsm',
        kind: 'Key' as const,
        publicKey: publicKeyPem,
        isActive: true,
        dateCreated: new Date().toISOString(),
      };
      const actions = createUserActions({
        now: () => Date.now(),
        jwt: createJwtCodec('test-secret'),
        credentialsOf: () => [credential],
      });
      const request = { method: 'POST', path: '/wallets/wa-1/transfers', payload: '{"amount":"1"}' };
      try {
        const challenge = actions.createChallenge('us-hsm', request);
        const assertion = await signer.sign(challenge as UserActionChallenge);
        const { userAction } = actions.sign('us-hsm', challenge.challengeIdentifier, assertion.credentialAssertion);
        actions.consume('us-hsm', userAction, request);
        assert.deepEqual(
          actions.accepted().map(({ credId, publicKey, path }) => ({ credId, publicKey, path })),
          [{ credId: CRED_ID, publicKey: publicKeyPem, path: '/wallets/wa-1/transfers' }],
        );
      } finally {
        await signer.close();
      }
    });

    it('signs 25 challenges at once, one at a time on the token, each verifiable', async () => {
      const signer = createPkcs11Signer(CRED_ID, hsm.settings(LABEL));
      try {
        const names = Array.from({ length: 25 }, (_, i) => `challenge-${i}`);
        const assertions = await Promise.all(names.map((name) => signer.sign(challengeFor(name))));
        assertions.forEach((assertion, i) =>
          assert.equal(verifyKeyAssertion(assertion.credentialAssertion, names[i] as string, publicKeyPem), true),
        );
      } finally {
        await signer.close();
      }
    });

    it('refuses a challenge that does not allow its credential, as AsymmetricKeySigner does', async () => {
      const signer = createPkcs11Signer(CRED_ID, hsm.settings(LABEL));
      try {
        await assert.rejects(signer.sign(challengeFor('c', ['cr-someone-else'])), (error: unknown) => {
          assert.ok(error instanceof DfnsError);
          assert.match(error.message, /cr-hsm-test does not match allowed credentials: cr-someone-else/);
          return true;
        });
      } finally {
        await signer.close();
      }
    });

    it('opens a new session when the token dropped its own, and signs on', async () => {
      const signer = createPkcs11Signer(CRED_ID, hsm.settings(LABEL));
      const other = openPkcs11Token(hsm.settings(LABEL));
      try {
        await signer.sign(challengeFor('before'));
        // Every session this process has with the token ends, and with them the login.
        other.lib.C_CloseAllSessions(other.slot);
        const assertion = await signer.sign(challengeFor('after'));
        assert.equal(verifyKeyAssertion(assertion.credentialAssertion, 'after', publicKeyPem), true);
      } finally {
        other.close();
        await signer.close();
      }
    });
  });

  describe('keys and configuration it refuses', () => {
    it('refuses an extractable key, whoever made it, naming DFNS_PKCS11_KEY_LABEL', () => {
      const token = openPkcs11Token(hsm.settings(LABEL));
      try {
        const common = [
          { type: pkcs11js.CKA_TOKEN, value: true },
          { type: pkcs11js.CKA_LABEL, value: 'extractable' },
        ];
        token.lib.C_GenerateKeyPair(
          token.session(),
          { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
          [...common, { type: pkcs11js.CKA_EC_PARAMS, value: P256_EC_PARAMS }],
          [
            ...common,
            { type: pkcs11js.CKA_SIGN, value: true },
            { type: pkcs11js.CKA_SENSITIVE, value: false },
            { type: pkcs11js.CKA_EXTRACTABLE, value: true },
          ],
        );
        const message = configFailure(() => createPkcs11Signer(CRED_ID, hsm.settings('extractable')));
        assert.match(message, /^DFNS_PKCS11_KEY_LABEL: key "extractable" in token "dfns-payments" can leave the token/);
        assert.match(
          configFailure(() => pkcs11ServiceAccountKey(hsm.settings('extractable'), { existing: true })),
          /can leave the token/,
        );
      } finally {
        token.close();
      }
    });

    it('does not generate over a taken label; --existing-key registers the key already there', () => {
      assert.match(
        configFailure(() => pkcs11ServiceAccountKey(hsm.settings(LABEL), { existing: false })),
        /^DFNS_PKCS11_KEY_LABEL: token "dfns-payments" already holds a key labelled "dfns-service-account"/,
      );
      const existing = pkcs11ServiceAccountKey(hsm.settings(LABEL), { existing: true });
      try {
        assert.equal(existing.generated, false);
        assert.equal(existing.publicKeyPem, publicKeyPem);
        existing.discard(); // a key that was there before is never destroyed
      } finally {
        existing.close();
      }
      const signer = createPkcs11Signer(CRED_ID, hsm.settings(LABEL));
      return signer.close();
    });

    it('a key pair generated for an account Dfns refused is destroyed', () => {
      const key = pkcs11ServiceAccountKey(hsm.settings('refused'), { existing: false });
      key.discard();
      key.close();
      assert.match(
        configFailure(() => createPkcs11Signer(CRED_ID, hsm.settings('refused'))),
        /no private key/,
      );
    });

    it('names the variable of each mistake, and never the PIN', () => {
      const good = hsm.settings(LABEL);
      const cases: [Partial<typeof good>, RegExp][] = [
        [{ pin: 'not-the-pin' }, /^DFNS_PKCS11_PIN_FILE: the token refused the PIN \(CKR_PIN_INCORRECT\)$/],
        [{ pin: 'not-the-pin', pinSource: 'DFNS_PKCS11_PIN' }, /^DFNS_PKCS11_PIN: the token refused the PIN/],
        [
          { tokenLabel: 'nope' },
          /^DFNS_PKCS11_TOKEN_LABEL: no token labelled "nope" \(tokens: "dfns-payments" \(slot \d+\)\)$/,
        ],
        [{ tokenLabel: undefined, slotId: 4242n }, /^DFNS_PKCS11_SLOT: no initialised token in slot 4242/],
        [
          { keyLabel: 'missing' },
          /^DFNS_PKCS11_KEY_LABEL: token "dfns-payments" has no private key labelled "missing"/,
        ],
        [{ module: '/nonexistent/libpkcs11.so' }, /^DFNS_PKCS11_MODULE: cannot load \/nonexistent\/libpkcs11.so/],
      ];
      for (const [change, pattern] of cases) {
        const message = configFailure(() => createPkcs11Signer(CRED_ID, { ...good, ...change }));
        assert.match(message, pattern);
        assert.ok(!message.includes(good.pin) && !message.includes('not-the-pin'), 'no PIN in the message');
      }
    });

    it('finds the token by slot id as well as by label', async () => {
      const token = openPkcs11Token(hsm.settings(LABEL));
      const slotId = token.slot.readBigUInt64LE();
      token.close();
      const signer = createPkcs11Signer(CRED_ID, { ...hsm.settings(LABEL), tokenLabel: undefined, slotId });
      try {
        const assertion = await signer.sign(challengeFor('by-slot'));
        assert.equal(verifyKeyAssertion(assertion.credentialAssertion, 'by-slot', publicKeyPem), true);
      } finally {
        await signer.close();
      }
    });
  });
});
