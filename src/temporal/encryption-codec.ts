import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CodecKeyring } from './codec-keys';

/** The encoding of an encrypted payload (the name Temporal's samples and tools use). */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata field naming the key a payload is encrypted under. */
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = proto.temporal.api.common.v1.Payload;
const text = (bytes: Uint8Array | null | undefined): string | undefined =>
  bytes ? Buffer.from(bytes).toString('utf8') : undefined;

/** A payload that cannot be decrypted: its key is not held, or it was altered. Names the key id, never a key. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

/**
 * AES-256-GCM over the whole payload (its metadata and data, serialized as the protobuf Payload), with a fresh
 * random 96-bit IV per payload. The encrypted payload's data is `IV ‖ ciphertext ‖ tag`, and its metadata says
 * `binary/encrypted` and the key id, which is also bound into the tag as associated data. Decoding picks the key by
 * that id, so old keys keep decrypting after a rotation; a payload that is not encrypted (histories written before
 * the codec) passes through unchanged. With `encrypt: false` it only decrypts: the step that lets every process hold
 * the keys before any of them starts encrypting.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(
    /** The keys, also the root of the codec endpoint's session key (src/codec/codec-session.ts). */
    readonly keyring: CodecKeyring,
    private readonly options: { encrypt: boolean } = { encrypt: true },
  ) {}

  /** The key new payloads are encrypted under, or undefined when this codec only decrypts. */
  get encryptKeyId(): string | undefined {
    return this.options.encrypt ? this.keyring.encryptKeyId : undefined;
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    if (!this.options.encrypt) return Promise.resolve(payloads);
    return Promise.resolve(payloads.map((payload) => this.encryptOne(payload)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((payload) => this.decryptOne(payload))));
  }

  private encryptOne(payload: Payload): Payload {
    const keyId = this.keyring.encryptKeyId;
    const key = this.keyring.keys.get(keyId) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(associatedData(keyId));
    const plain = ProtoPayload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        encoding: Buffer.from(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: Buffer.from(keyId),
      },
      data: sealed,
    };
  }

  private decryptOne(payload: Payload): Payload {
    if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
    const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
    if (!keyId) throw new PayloadDecryptionError(`an encrypted payload carries no ${KEY_ID_METADATA}`);
    const key = this.keyring.keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `a payload is encrypted under key "${keyId}", which the codec keys (TEMPORAL_CODEC_KEYS_FILE) do not hold`,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(`a payload encrypted under key "${keyId}" is too short to be one`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData(keyId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(
        `a payload encrypted under key "${keyId}" does not authenticate: it was altered, or that id names another key`,
      );
    }
    const decoded = ProtoPayload.decode(plain);
    return { metadata: decoded.metadata, data: decoded.data };
  }
}

/** Binds the encoding and the key id into the tag, so that the metadata cannot be swapped unnoticed. */
function associatedData(keyId: string): Buffer {
  return Buffer.from(`${ENCRYPTED_ENCODING};${KEY_ID_METADATA}=${keyId}`);
}
