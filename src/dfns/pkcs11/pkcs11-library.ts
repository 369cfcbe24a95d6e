import { createRequire } from 'node:module';
import type * as Pkcs11js from 'pkcs11js';
import { ConfigError } from '../../config';

let binding: typeof Pkcs11js | undefined;

/**
 * The pkcs11js binding, loaded on first use: a native addon compiled when npm installs it (an optional dependency),
 * so a process that signs with a PEM key never loads it and an install where it could not be built still works for
 * PEM keys. Without it the PKCS#11 signer fails with a message that says how to get it.
 */
export function pkcs11js(): typeof Pkcs11js {
  if (binding) return binding;
  try {
    binding = createRequire(import.meta.url)('pkcs11js') as typeof Pkcs11js;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(
      `the PKCS#11 signer (DFNS_SIGNER=pkcs11, dfns-setup --key pkcs11) needs the pkcs11js module, which is not installed or was not built (${reason}); run ` +
        'npm ci where python3, make and a C++ compiler are present (docs/hsm.md)',
    );
  }
  return binding;
}

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
  lib: Pkcs11js.PKCS11;
  users: number;
}

// A Cryptoki library is initialised once per process (a second C_Initialize fails), so every token opened from the
// same module shares one instance, finalised when the last one closes.
const loaded = new Map<string, Loaded>();

/** Loads and initialises the PKCS#11 module at `path` (DFNS_PKCS11_MODULE), or shares the one already loaded. */
export function acquirePkcs11Library(path: string): Pkcs11js.PKCS11 {
  const existing = loaded.get(path);
  if (existing) {
    existing.users += 1;
    return existing.lib;
  }
  const lib = new (pkcs11js().PKCS11)();
  try {
    lib.load(path);
  } catch (error) {
    throw new ConfigError(`DFNS_PKCS11_MODULE: cannot load ${path} (${pkcs11ErrorText(error)})`);
  }
  try {
    lib.C_Initialize({ flags: pkcs11js().CKF_OS_LOCKING_OK });
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
