import { existsSync } from 'node:fs';
import type { Config } from '../config';
import { payloadCodecFromConfig } from '../temporal/data-converter';
import type { EncryptionCodec } from '../temporal/encryption-codec';

/** The dev stack's codec keys: `npm run dev` writes them, and encrypts every payment with them. */
export const DEV_CODEC_KEYS_FILE = '.local/codec-keys';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/;

/**
 * The CLI's payload codec: TEMPORAL_CODEC_KEYS_FILE when set; otherwise, against a Temporal on loopback, the dev
 * stack's keys when they exist, so that `npm run payments` reads what `npm run dev` encrypted, as it pays from the dev
 * stack's sandbox wallet by default.
 */
export function cliPayloadCodec(config: Config): EncryptionCodec | undefined {
  const devStack = !config.TEMPORAL_CODEC_KEYS_FILE && LOOPBACK.test(config.TEMPORAL_ADDRESS);
  if (devStack && existsSync(DEV_CODEC_KEYS_FILE)) {
    return payloadCodecFromConfig({ ...config, TEMPORAL_CODEC_KEYS_FILE: DEV_CODEC_KEYS_FILE });
  }
  return payloadCodecFromConfig(config);
}
