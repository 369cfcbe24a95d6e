import { readFileSync } from 'node:fs';
import { ConfigError, type Config } from '../config';

/** The keys the payload codec holds: the one new payloads are encrypted with, and every key that may decrypt. */
export interface CodecKeyring {
  /** The id of the key that encrypts; it is written into each payload's metadata. */
  encryptKeyId: string;
  /** Every key by id (AES-256: 32 bytes each), the encrypting one included. */
  keys: ReadonlyMap<string, Buffer>;
}

/** A key id: written in clear into every payload's metadata, so it names a key and says nothing else. */
export const CODEC_KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const KEY_BYTES = 32;

/** One line of the keys file, or an Error saying what is wrong (never echoing the line: it holds a key). */
function parseKeyLine(line: string): [string, Buffer] {
  const fields = line.trim().split(/\s+/);
  if (fields.length !== 2) throw new Error('expected: keyId base64key');
  const [id, encoded] = fields as [string, string];
  if (!CODEC_KEY_ID_PATTERN.test(id)) {
    throw new Error('the key id must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  const key = Buffer.from(encoded, 'base64');
  // Buffer.from ignores what is not base64: re-encoding tells a real key from a mistyped one.
  if (key.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '') || key.length !== KEY_BYTES) {
    throw new Error(`key ${id} must be ${KEY_BYTES} random bytes in base64 (openssl rand -base64 32)`);
  }
  return [id, key];
}

/**
 * Parses a keys file: one key per line, `keyId base64key`; blank lines and `#` comments are skipped. Errors name the
 * line number, never its content.
 */
export function parseCodecKeys(text: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    let entry: [string, Buffer];
    try {
      entry = parseKeyLine(line);
    } catch (error) {
      throw new Error(`line ${index + 1}: ${(error as Error).message}`);
    }
    if (keys.has(entry[0])) throw new Error(`line ${index + 1}: key id ${entry[0]} appears twice`);
    keys.set(...entry);
  });
  return keys;
}

/** The codec settings of the configuration. */
export type CodecConfig = Pick<Config, 'TEMPORAL_CODEC_KEYS_FILE' | 'TEMPORAL_CODEC_KEY_ID'>;

/**
 * The keyring from TEMPORAL_CODEC_KEYS_FILE, with TEMPORAL_CODEC_KEY_ID naming the key that encrypts (it may be left
 * out when the file holds one key); undefined when no keys file is configured. Errors name the variable.
 */
export function loadCodecKeyring(config: CodecConfig): CodecKeyring | undefined {
  const file = config.TEMPORAL_CODEC_KEYS_FILE;
  if (!file) {
    if (config.TEMPORAL_CODEC_KEY_ID) {
      throw new ConfigError('TEMPORAL_CODEC_KEY_ID is set, so TEMPORAL_CODEC_KEYS_FILE is required too');
    }
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `TEMPORAL_CODEC_KEYS_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let keys: Map<string, Buffer>;
  try {
    keys = parseCodecKeys(text);
  } catch (error) {
    throw new ConfigError(`TEMPORAL_CODEC_KEYS_FILE ${file}: ${(error as Error).message}`);
  }
  if (keys.size === 0) throw new ConfigError(`TEMPORAL_CODEC_KEYS_FILE ${file} holds no key`);
  const named = config.TEMPORAL_CODEC_KEY_ID;
  if (named === undefined && keys.size > 1) {
    throw new ConfigError(
      `TEMPORAL_CODEC_KEYS_FILE ${file} holds ${keys.size} keys: set TEMPORAL_CODEC_KEY_ID to the one that encrypts`,
    );
  }
  const [only] = keys.keys();
  const encryptKeyId = named ?? only;
  if (encryptKeyId === undefined || !keys.has(encryptKeyId)) {
    throw new ConfigError(`TEMPORAL_CODEC_KEY_ID: ${file} holds no key ${encryptKeyId}`);
  }
  return { encryptKeyId, keys };
}
