import { createPublicKey, randomBytes } from 'node:crypto';
import type * as Pkcs11js from 'pkcs11js';
import { ConfigError } from '../../config';
import { pkcs11js } from './pkcs11-library';
import type { Pkcs11Token } from './pkcs11-token';

/** The DER OID of NIST P-256 (secp256r1, prime256v1), as CKA_EC_PARAMS holds it: the curve Dfns expects for ECDSA. */
export const P256_EC_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');

/** A key pair in a token, by handle. */
export interface TokenKeyPair {
  privateKey: Buffer;
  publicKey: Buffer;
}

function findObjects(token: Pkcs11Token, template: Pkcs11js.Template): Buffer[] {
  const { lib } = token;
  const session = token.session();
  lib.C_FindObjectsInit(session, template);
  try {
    return lib.C_FindObjects(session, 16);
  } finally {
    lib.C_FindObjectsFinal(session);
  }
}

const byLabel = (objectClass: number, label: string): Pkcs11js.Template => [
  { type: pkcs11js().CKA_CLASS, value: objectClass },
  { type: pkcs11js().CKA_LABEL, value: label },
];

/** The values of boolean and CK_ULONG attributes, read as the module returns them (little-endian CK_ULONG). */
function readAttributes(token: Pkcs11Token, handle: Buffer, types: number[]): Map<number, Buffer> {
  const result = token.lib.C_GetAttributeValue(
    token.session(),
    handle,
    types.map((type) => ({ type })),
  );
  return new Map(result.map((attribute) => [attribute.type, attribute.value]));
}

const isTrue = (value: Buffer | undefined) => value !== undefined && value.length > 0 && value[0] !== 0;
const ulong = (value: Buffer | undefined) =>
  value === undefined ? undefined : value.length >= 8 ? Number(value.readBigUInt64LE()) : value.readUInt32LE();

/**
 * Generates a P-256 key pair inside the token with C_GenerateKeyPair: the private key is a token object, private,
 * sensitive and non-extractable, usable only to sign; the public key is a token object too, so that it can be read
 * back and registered. Refuses a label that a key in the token already has.
 */
export function generateP256KeyPair(token: Pkcs11Token, label: string): TokenKeyPair {
  const existing = [
    ...findObjects(token, byLabel(pkcs11js().CKO_PRIVATE_KEY, label)),
    ...findObjects(token, byLabel(pkcs11js().CKO_PUBLIC_KEY, label)),
  ];
  if (existing.length > 0) {
    throw new ConfigError(
      `DFNS_PKCS11_KEY_LABEL: token "${token.label}" already holds a key labelled "${label}"; choose another ` +
        'label, or register that key with --existing-key',
    );
  }
  const id = randomBytes(16);
  const common = [
    { type: pkcs11js().CKA_TOKEN, value: true },
    { type: pkcs11js().CKA_LABEL, value: label },
    { type: pkcs11js().CKA_ID, value: id },
  ];
  return token.lib.C_GenerateKeyPair(
    token.session(),
    { mechanism: pkcs11js().CKM_EC_KEY_PAIR_GEN },
    [
      ...common,
      { type: pkcs11js().CKA_EC_PARAMS, value: P256_EC_PARAMS },
      { type: pkcs11js().CKA_VERIFY, value: true },
      { type: pkcs11js().CKA_PRIVATE, value: false },
    ],
    [
      ...common,
      { type: pkcs11js().CKA_PRIVATE, value: true },
      { type: pkcs11js().CKA_SENSITIVE, value: true },
      { type: pkcs11js().CKA_EXTRACTABLE, value: false },
      { type: pkcs11js().CKA_SIGN, value: true },
      { type: pkcs11js().CKA_DECRYPT, value: false },
      { type: pkcs11js().CKA_UNWRAP, value: false },
      { type: pkcs11js().CKA_DERIVE, value: false },
    ],
  );
}

function exactlyOne(token: Pkcs11Token, kind: 'private' | 'public', label: string): Buffer {
  const objectClass = kind === 'private' ? pkcs11js().CKO_PRIVATE_KEY : pkcs11js().CKO_PUBLIC_KEY;
  const found = findObjects(token, byLabel(objectClass, label));
  if (found.length === 0) {
    const hint = kind === 'private' ? ' (npm run dfns-setup service-account --key pkcs11 generates one)' : '';
    throw new ConfigError(
      `DFNS_PKCS11_KEY_LABEL: token "${token.label}" has no ${kind} key labelled "${label}"${hint}`,
    );
  }
  if (found.length > 1) {
    throw new ConfigError(
      `DFNS_PKCS11_KEY_LABEL: token "${token.label}" has ${found.length} ${kind} keys labelled "${label}"; ` +
        'give the key to sign with a label of its own',
    );
  }
  return found[0] as Buffer;
}

/**
 * The private key labelled `label`, once checked to be one the service may sign with: a P-256 EC key that can sign,
 * is sensitive and is not extractable. A key that could leave the token is refused, whatever created it.
 */
export function findSigningKey(token: Pkcs11Token, label: string): Buffer {
  const handle = exactlyOne(token, 'private', label);
  const attributes = readAttributes(token, handle, [
    pkcs11js().CKA_KEY_TYPE,
    pkcs11js().CKA_EC_PARAMS,
    pkcs11js().CKA_SIGN,
    pkcs11js().CKA_SENSITIVE,
    pkcs11js().CKA_EXTRACTABLE,
  ]);
  const where = `DFNS_PKCS11_KEY_LABEL: key "${label}" in token "${token.label}"`;
  if (ulong(attributes.get(pkcs11js().CKA_KEY_TYPE)) !== pkcs11js().CKK_EC) {
    throw new ConfigError(`${where} is not an EC key (the signer uses ECDSA P-256)`);
  }
  if (!P256_EC_PARAMS.equals(attributes.get(pkcs11js().CKA_EC_PARAMS) ?? Buffer.alloc(0))) {
    throw new ConfigError(`${where} is not on the P-256 curve (the signer uses ECDSA P-256)`);
  }
  if (!isTrue(attributes.get(pkcs11js().CKA_SIGN))) throw new ConfigError(`${where} may not sign (CKA_SIGN is false)`);
  if (!isTrue(attributes.get(pkcs11js().CKA_SENSITIVE)) || isTrue(attributes.get(pkcs11js().CKA_EXTRACTABLE))) {
    throw new ConfigError(
      `${where} can leave the token (it must be CKA_SENSITIVE and not CKA_EXTRACTABLE); generate a new one with ` +
        'npm run dfns-setup service-account --key pkcs11',
    );
  }
  return handle;
}

/** The uncompressed EC point from CKA_EC_POINT, which modules return DER-wrapped (an OCTET STRING) or bare. */
function uncompressedPoint(value: Buffer): Buffer {
  if (value.length === 67 && value[0] === 0x04 && value[1] === 0x41) return value.subarray(2);
  if (value.length === 65 && value[0] === 0x04) return value;
  throw new Error(`unexpected CKA_EC_POINT of ${value.length} bytes (expected an uncompressed P-256 point)`);
}

/** The public half of the key labelled `label`, read from the token, as an SPKI PEM (what Dfns registers). */
export function publicKeyPem(token: Pkcs11Token, label: string): string {
  const handle = exactlyOne(token, 'public', label);
  const point = uncompressedPoint(
    readAttributes(token, handle, [pkcs11js().CKA_EC_POINT]).get(pkcs11js().CKA_EC_POINT)!,
  );
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    x: point.subarray(1, 33).toString('base64url'),
    y: point.subarray(33, 65).toString('base64url'),
  };
  return createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
}

/** Destroys both halves of a key pair, e.g. one generated for an account that Dfns then refused to create. */
export function destroyKeyPair(token: Pkcs11Token, pair: TokenKeyPair): void {
  token.lib.C_DestroyObject(token.session(), pair.privateKey);
  token.lib.C_DestroyObject(token.session(), pair.publicKey);
}
