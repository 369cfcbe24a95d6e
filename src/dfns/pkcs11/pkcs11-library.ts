import pkcs11js from 'pkcs11js';
import { ConfigError } from '../../config';

/**
 * The name of the PKCS#11 return value a call failed with (`CKR_PIN_INCORRECT`), or undefined for another error.
 * Read from the message: pkcs11js wraps most calls' failures as Pkcs11Error, but a few throw a plain Error with the
 * same `CKR_NAME:code` text.
 */
export function pkcs11ErrorCode(error: unknown): string | undefined {
  return error instanceof Error ? /^(CKR_[A-Z0-9_]+)/.exec(error.message)?.[1] : undefined;
}

/** A short, secret-free description of what a PKCS#11 call threw, for messages. */
export function pkcs11ErrorText(error: unknown): string {
  return pkcs11ErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
}

interface Loaded {
  lib: pkcs11js.PKCS11;
  users: number;
}

// A Cryptoki library is initialised once per process (a second C_Initialize fails), so every token opened from the
// same module shares one instance, finalised when the last one closes.
const loaded = new Map<string, Loaded>();

/** Loads and initialises the PKCS#11 module at `path` (DFNS_PKCS11_MODULE), or shares the one already loaded. */
export function acquirePkcs11Library(path: string): pkcs11js.PKCS11 {
  const existing = loaded.get(path);
  if (existing) {
    existing.users += 1;
    return existing.lib;
  }
  const lib = new pkcs11js.PKCS11();
  try {
    lib.load(path);
  } catch (error) {
    throw new ConfigError(`DFNS_PKCS11_MODULE: cannot load ${path} (${pkcs11ErrorText(error)})`);
  }
  try {
    lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (error) {
    if (pkcs11ErrorCode(error) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      lib.close();
      throw new ConfigError(`DFNS_PKCS11_MODULE: ${path} did not initialise (${pkcs11ErrorText(error)})`);
    }
  }
  loaded.set(path, { lib, users: 1 });
  return lib;
}

/** Gives back a library from {@link acquirePkcs11Library}; the last user finalises and unloads it. */
export function releasePkcs11Library(path: string): void {
  const entry = loaded.get(path);
  if (!entry) return;
  entry.users -= 1;
  if (entry.users > 0) return;
  loaded.delete(path);
  try {
    entry.lib.C_Finalize();
  } finally {
    entry.lib.close();
  }
}
