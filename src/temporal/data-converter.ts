import type { DataConverter, PayloadCodec } from '@temporalio/common';
import type { Config } from '../config';
import { loadCodecKeyring } from './codec-keys';
import { EncryptionCodec } from './encryption-codec';

/** What the codec reads from the configuration. */
export type PayloadCodecConfig = Pick<
  Config,
  'TEMPORAL_CODEC_KEYS_FILE' | 'TEMPORAL_CODEC_KEY_ID' | 'TEMPORAL_CODEC_ENCRYPT'
>;

/**
 * The payload codec the configuration asks for (TEMPORAL_CODEC_KEYS_FILE), or undefined when payloads go to Temporal
 * in clear. Throws a ConfigError naming the variable when the keys cannot be used.
 */
export function payloadCodecFromConfig(config: PayloadCodecConfig): EncryptionCodec | undefined {
  const keyring = loadCodecKeyring(config);
  return keyring ? new EncryptionCodec(keyring, { encrypt: config.TEMPORAL_CODEC_ENCRYPT }) : undefined;
}

/**
 * The data converter every client and worker of the project uses: the SDK's default JSON conversion, then the codec
 * when there is one. Codecs run outside the workflow sandbox (the worker applies them to activations and
 * completions), so workflow code never sees ciphertext.
 */
export function paymentDataConverter(codec: PayloadCodec | undefined): DataConverter {
  return codec ? { payloadCodecs: [codec] } : {};
}

/** How payloads leave this process, for start-up logs. */
export function describePayloadCodec(codec: EncryptionCodec | undefined): string {
  if (!codec) return 'in clear (no TEMPORAL_CODEC_KEYS_FILE)';
  const keyId = codec.encryptKeyId;
  return keyId ? `AES-256-GCM, key ${keyId}` : 'decrypt only (TEMPORAL_CODEC_ENCRYPT=false)';
}
