import { createHash } from 'node:crypto';
import { DfnsError, type KeyAssertion, type UserActionChallenge } from '@dfns/sdk';
import { rawSignatureToAns1 } from '@dfns/sdk/utils/crypto';
import { describePkcs11Key, type Pkcs11KeySettings } from '../signing-key';
import type { DfnsSigner } from '../dfns-signer';
import { findSigningKey } from './pkcs11-ec-key';
import { pkcs11ErrorText, pkcs11js } from './pkcs11-library';
import { isSessionLost, openPkcs11Token } from './pkcs11-token';

/**
 * A Dfns credential signer whose P-256 key stays in a PKCS#11 token. It answers a user-action challenge exactly as
 * `AsymmetricKeySigner` does with a PEM key: the clientData `{"type":"key.get","challenge":…}` and an ECDSA SHA-256
 * signature over it, DER-encoded (https://docs.dfns.co/api-reference/auth/signing-flows). The digest is computed
 * here and the token signs it with CKM_ECDSA (raw r‖s, which every token supports); the private key is only ever a
 * handle. Signatures are made one at a time on one logged-in session, off the event loop; a session the token
 * dropped is reopened once per signature.
 */
export function createPkcs11Signer(credId: string, settings: Pkcs11KeySettings): DfnsSigner {
  const token = openPkcs11Token(settings);
  let key: Buffer;
  try {
    key = findSigningKey(token, settings.keyLabel);
  } catch (error) {
    token.close();
    throw error;
  }

  const signDigest = async (digest: Buffer): Promise<Buffer> => {
    const session = token.session();
    token.lib.C_SignInit(session, { mechanism: pkcs11js().CKM_ECDSA }, key);
    return token.lib.C_SignAsync(session, digest, Buffer.alloc(128));
  };
  const signWithRetry = async (digest: Buffer): Promise<Buffer> => {
    try {
      return await signDigest(digest);
    } catch (error) {
      if (!isSessionLost(error)) throw error;
      token.reopen();
      key = findSigningKey(token, settings.keyLabel);
      return signDigest(digest);
    }
  };
  // One operation at a time: C_SignInit and C_Sign of one signature must not interleave with another's.
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = (digest: Buffer): Promise<Buffer> => {
    const next = queue.then(() => signWithRetry(digest));
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    description: describePkcs11Key(settings),
    async sign(challenge: UserActionChallenge): Promise<KeyAssertion> {
      const allowed = challenge.allowCredentials.key.map((credential) => credential.id);
      if (!allowed.includes(credId)) {
        throw new DfnsError(-1, `${credId} does not match allowed credentials: ${allowed.join(',')}`);
      }
      const clientData = Buffer.from(JSON.stringify({ type: 'key.get', challenge: challenge.challenge }));
      const digest = createHash('sha256').update(clientData).digest();
      let raw: Buffer;
      try {
        raw = await serialised(digest);
      } catch (error) {
        throw new Error(`the PKCS#11 token could not sign (${pkcs11ErrorText(error)}): ${describePkcs11Key(settings)}`);
      }
      if (raw.length !== 64) throw new Error(`the PKCS#11 token returned a ${raw.length}-byte ECDSA P-256 signature`);
      return {
        kind: 'Key',
        credentialAssertion: {
          credId,
          clientData: clientData.toString('base64url'),
          signature: Buffer.from(rawSignatureToAns1(raw)).toString('base64url'),
        },
      };
    },
    async close() {
      await queue;
      token.close();
    },
  };
}
