import type { CredentialSigner, KeyAssertion } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import type { SigningKey } from './credentials';
import { createPkcs11Signer } from './pkcs11/pkcs11-signer';

/**
 * What signs a Dfns user-action challenge for one credential: the `CredentialSigner` the SDK calls, plus where its
 * key lives (for start-up logs, never key material) and a way to let go of a token session. Every source answers
 * with a Key assertion over the same clientData `{"type":"key.get","challenge":…}` (ECDSA P-256 signatures in DER);
 * docs/hsm.md lists the sources and shows how a cloud KMS plugs in.
 */
export interface DfnsSigner extends CredentialSigner<KeyAssertion> {
  readonly description: string;
  close(): Promise<void>;
}

/** Today's signer: a PEM private key in memory, signing as `@dfns/sdk-keysigner` does (it is that signer). */
class PemSigner extends AsymmetricKeySigner implements DfnsSigner {
  readonly description = 'PEM private key';
  async close(): Promise<void> {}
}

/**
 * The signer for a credential's key source: its PKCS#11 token when it names one (opened and checked now, so that a
 * wrong module, token, PIN or key fails at start-up), else its PEM key.
 */
export function createDfnsSigner(credentials: { credId: string } & SigningKey): DfnsSigner {
  if (credentials.pkcs11) return createPkcs11Signer(credentials.credId, credentials.pkcs11);
  return new PemSigner({ credId: credentials.credId, privateKey: credentials.privateKey });
}
