import type { Pkcs11KeySettings } from '../signing-key';
import type { ServiceAccountKey } from '../service-account-setup';
import { destroyKeyPair, findSigningKey, generateP256KeyPair, publicKeyPem, type TokenKeyPair } from './pkcs11-ec-key';
import { openPkcs11Token } from './pkcs11-token';

/** A service account's key in a token, for dfns-setup: what to register, and how to undo a key made for nothing. */
export interface Pkcs11ServiceAccountKey extends ServiceAccountKey {
  /** Whether the key pair was generated now (else it was already in the token). */
  generated: boolean;
  /** Destroys a key pair generated now (Dfns refused the account, so nothing will ever use it); else does nothing. */
  discard(): void;
  close(): void;
}

/**
 * Generates the service account's P-256 key pair inside the token (C_GenerateKeyPair; the private key sensitive and
 * non-extractable), or with `existing` takes the key pair already there under the label, e.g. one made by the HSM
 * vendor's tools. Either way the private key is checked as the signer checks it, and only the public key is read.
 */
export function pkcs11ServiceAccountKey(
  settings: Pkcs11KeySettings,
  options: { existing: boolean },
): Pkcs11ServiceAccountKey {
  const token = openPkcs11Token(settings);
  let pair: TokenKeyPair | undefined;
  try {
    pair = options.existing ? undefined : generateP256KeyPair(token, settings.keyLabel);
    const generated = pair;
    findSigningKey(token, settings.keyLabel);
    return {
      publicKeyPem: publicKeyPem(token, settings.keyLabel),
      signingKey: { pkcs11: settings },
      generated: generated !== undefined,
      discard: () => {
        if (generated) destroyKeyPair(token, generated);
      },
      close: () => token.close(),
    };
  } catch (error) {
    if (pair) destroyKeyPair(token, pair);
    token.close();
    throw error;
  }
}
