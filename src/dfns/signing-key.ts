import { readFileSync } from 'node:fs';
import { ConfigError, type Config } from '../config';

/** Where a PIN came from, so that a refused PIN names the variable to fix (never the PIN). */
export type PinSource = 'DFNS_PKCS11_PIN' | 'DFNS_PKCS11_PIN_FILE';

/**
 * A signing key held by a PKCS#11 token: the module (the vendor's .so), the token by label or slot id, the key's
 * label, and the user PIN that unlocks it. The key itself never leaves the token.
 */
export interface Pkcs11KeySettings {
  module: string;
  tokenLabel?: string;
  slotId?: bigint;
  keyLabel: string;
  pin: string;
  pinSource: PinSource;
}

/** Reads a secret given inline (`NAME`) or as a file (`NAME_FILE`); one trailing newline of a file is dropped. */
function readPin(config: Config): { pin: string; pinSource: PinSource } | undefined {
  if (config.DFNS_PKCS11_PIN) return { pin: config.DFNS_PKCS11_PIN, pinSource: 'DFNS_PKCS11_PIN' };
  const file = config.DFNS_PKCS11_PIN_FILE;
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`DFNS_PKCS11_PIN_FILE: cannot read ${file} (${code})`);
  }
  const pin = text.replace(/\r?\n$/, '');
  if (pin === '') throw new ConfigError(`DFNS_PKCS11_PIN_FILE: ${file} is empty`);
  return { pin, pinSource: 'DFNS_PKCS11_PIN_FILE' };
}

/**
 * The PKCS#11 settings from the DFNS_PKCS11_* variables; `reason` says why they are needed ("DFNS_SIGNER=pkcs11 is
 * set", "--key pkcs11 is given"), for the message that names each missing or conflicting variable.
 */
export function resolvePkcs11Settings(config: Config, reason: string): Pkcs11KeySettings {
  const conflicts = [
    ['DFNS_PKCS11_TOKEN_LABEL', 'DFNS_PKCS11_SLOT'],
    ['DFNS_PKCS11_PIN', 'DFNS_PKCS11_PIN_FILE'],
  ].filter(([a, b]) => config[a as keyof Config] !== undefined && config[b as keyof Config] !== undefined);
  if (conflicts.length > 0) {
    throw new ConfigError(conflicts.map(([a, b]) => `set one of ${a} and ${b}, not both`).join('; '));
  }
  const missing = [
    ['DFNS_PKCS11_MODULE', config.DFNS_PKCS11_MODULE],
    ['DFNS_PKCS11_TOKEN_LABEL or DFNS_PKCS11_SLOT', config.DFNS_PKCS11_TOKEN_LABEL ?? config.DFNS_PKCS11_SLOT],
    ['DFNS_PKCS11_PIN_FILE or DFNS_PKCS11_PIN', config.DFNS_PKCS11_PIN_FILE ?? config.DFNS_PKCS11_PIN],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0) throw new ConfigError(`${reason}, so these are required too: ${missing.join(', ')}`);
  const { pin, pinSource } = readPin(config) as { pin: string; pinSource: PinSource };
  return {
    module: config.DFNS_PKCS11_MODULE as string,
    ...(config.DFNS_PKCS11_TOKEN_LABEL ? { tokenLabel: config.DFNS_PKCS11_TOKEN_LABEL } : {}),
    ...(config.DFNS_PKCS11_SLOT ? { slotId: BigInt(config.DFNS_PKCS11_SLOT) } : {}),
    keyLabel: config.DFNS_PKCS11_KEY_LABEL,
    pin,
    pinSource,
  };
}

/** Where a PKCS#11 key is, for logs and messages: the token and the key's label, never the PIN. */
export function describePkcs11Key(settings: Pkcs11KeySettings): string {
  const token = settings.tokenLabel !== undefined ? `token "${settings.tokenLabel}"` : `slot ${settings.slotId}`;
  return `PKCS#11 ${token}, key "${settings.keyLabel}" (${settings.module})`;
}
