import { readFileSync } from 'node:fs';
import { ConfigError, type Config } from '../config';
import { parseApiKeyEntry, parseApiKeyFile, type ApiKeyEntry } from './api-keys';

/** The configured API keys (hashes): every line of API_KEYS_FILE, plus API_KEY_ENTRY. Errors name the source. */
export function loadApiKeys(config: Config): ApiKeyEntry[] {
  const entries: ApiKeyEntry[] = [];
  if (config.API_KEYS_FILE) {
    let text: string;
    try {
      text = readFileSync(config.API_KEYS_FILE, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `API_KEYS_FILE: cannot read ${config.API_KEYS_FILE} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    try {
      entries.push(...parseApiKeyFile(text));
    } catch (error) {
      throw new ConfigError(`API_KEYS_FILE ${config.API_KEYS_FILE}: ${(error as Error).message}`);
    }
  }
  if (config.API_KEY_ENTRY) {
    try {
      entries.push(parseApiKeyEntry(config.API_KEY_ENTRY));
    } catch (error) {
      throw new ConfigError(`API_KEY_ENTRY: ${(error as Error).message}`);
    }
  }
  return entries;
}
