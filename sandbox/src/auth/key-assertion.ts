import { createPublicKey, verify } from 'node:crypto';

/**
 * The `credentialAssertion` of a Key factor, as `AsymmetricKeySigner` sends it: base64url `clientData` JSON, its
 * signature and the credential id.
 */
export interface KeyCredentialAssertion {
  credId: string;
  clientData: string;
  signature: string;
  algorithm?: string;
}

// Digests a client may name in `algorithm`; the SDK never sends it, so SHA-256 is the default.
const DIGESTS = new Set(['sha256', 'sha384', 'sha512']);

/**
 * Verifies a Key assertion over the exact decoded clientData bytes (never a re-serialisation)
 * against the registered SPKI PEM: ECDSA (DER) / RSA PKCS#1 v1.5 with SHA-256, or pure EdDSA.
 */
export function verifyKeyAssertion(
  assertion: KeyCredentialAssertion,
  expectedChallenge: string,
  publicKeyPem: string,
): boolean {
  try {
    const clientData = Buffer.from(assertion.clientData, 'base64url');
    const parsed = JSON.parse(clientData.toString('utf8')) as { type?: unknown; challenge?: unknown };
    if (parsed.type !== 'key.get' || parsed.challenge !== expectedChallenge) return false;
    const key = createPublicKey(publicKeyPem);
    const type = key.asymmetricKeyType;
    const digest = type === 'ed25519' || type === 'ed448' ? null : (assertion.algorithm ?? 'sha256').toLowerCase();
    if (digest !== null && !DIGESTS.has(digest)) return false;
    return verify(digest, clientData, { key, dsaEncoding: 'der' }, Buffer.from(assertion.signature, 'base64url'));
  } catch {
    return false; // malformed base64, JSON or key material is simply an invalid signature
  }
}
