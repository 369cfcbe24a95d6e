import type * as Pkcs11js from 'pkcs11js';
import { ConfigError } from '../../config';
import type { Pkcs11KeySettings } from '../signing-key';
import {
  acquirePkcs11Library,
  pkcs11ErrorCode,
  pkcs11ErrorText,
  pkcs11js,
  releasePkcs11Library,
} from './pkcs11-library';

/** What a token needs to be found and unlocked: the key's settings without the key. */
export type Pkcs11TokenSettings = Pick<Pkcs11KeySettings, 'module' | 'tokenLabel' | 'slotId' | 'pin' | 'pinSource'>;

/** A logged-in session with one token; `reopen()` replaces a session the token dropped (restart, network HSM). */
export interface Pkcs11Token {
  readonly lib: Pkcs11js.PKCS11;
  /** The token's label as it reports it, for messages. */
  readonly label: string;
  readonly slot: Buffer;
  session(): Buffer;
  reopen(): void;
  close(): void;
}

// Return values after which a new session (and login) can succeed where the old one cannot.
const SESSION_LOST = new Set([
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_CLOSED',
  'CKR_USER_NOT_LOGGED_IN',
  'CKR_DEVICE_REMOVED',
  'CKR_DEVICE_ERROR',
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_OBJECT_HANDLE_INVALID',
  'CKR_KEY_HANDLE_INVALID',
]);

/** Whether a failed call may succeed on a new session: the token dropped the old one, or the device came back. */
export function isSessionLost(error: unknown): boolean {
  return SESSION_LOST.has(pkcs11ErrorCode(error) ?? '');
}

/** A slot id as the module's CK_SLOT_ID bytes (little-endian, 8 bytes on 64-bit Unix, 4 on Windows). */
function slotIdOf(slot: Buffer): bigint {
  return slot.length === 8 ? slot.readBigUInt64LE() : BigInt(slot.readUInt32LE());
}

function findSlot(lib: Pkcs11js.PKCS11, settings: Pkcs11TokenSettings): { slot: Buffer; label: string } {
  const tokens = lib.C_GetSlotList(true).flatMap((slot) => {
    const info = lib.C_GetTokenInfo(slot);
    // An uninitialised token (SoftHSM's free slot) has no label and no keys.
    if ((info.flags & pkcs11js().CKF_TOKEN_INITIALIZED) === 0) return [];
    return [{ slot, label: info.label.trimEnd(), id: slotIdOf(slot) }];
  });
  const list = tokens.map((token) => `"${token.label}" (slot ${token.id})`).join(', ') || 'none';
  if (settings.slotId !== undefined) {
    const found = tokens.find((token) => token.id === settings.slotId);
    if (!found) throw new ConfigError(`DFNS_PKCS11_SLOT: no initialised token in slot ${settings.slotId} (${list})`);
    return found;
  }
  const matching = tokens.filter((token) => token.label === settings.tokenLabel);
  if (matching.length === 0) {
    throw new ConfigError(`DFNS_PKCS11_TOKEN_LABEL: no token labelled "${settings.tokenLabel}" (tokens: ${list})`);
  }
  if (matching.length > 1) {
    throw new ConfigError(
      `DFNS_PKCS11_TOKEN_LABEL: ${matching.length} tokens are labelled "${settings.tokenLabel}"; ` +
        `name one with DFNS_PKCS11_SLOT instead (${list})`,
    );
  }
  return matching[0] as { slot: Buffer; label: string };
}

function login(lib: Pkcs11js.PKCS11, session: Buffer, settings: Pkcs11TokenSettings): void {
  try {
    lib.C_Login(session, pkcs11js().CKU_USER, settings.pin);
  } catch (error) {
    const code = pkcs11ErrorCode(error);
    // A login belongs to the application, not the session: a second session of this process is already in.
    if (code === 'CKR_USER_ALREADY_LOGGED_IN') return;
    // The PIN is never part of the message, only the variable it came from.
    if (code === 'CKR_PIN_INCORRECT' || code === 'CKR_PIN_LOCKED' || code === 'CKR_PIN_EXPIRED') {
      throw new ConfigError(`${settings.pinSource}: the token refused the PIN (${code})`);
    }
    throw error;
  }
}

/**
 * Opens a read-write session with the token the settings name and logs in as its user. Configuration mistakes
 * (module, token, PIN) are ConfigErrors naming the variable; the PIN is never in a message.
 */
export function openPkcs11Token(settings: Pkcs11TokenSettings): Pkcs11Token {
  const lib = acquirePkcs11Library(settings.module);
  let slot: Buffer;
  let label: string;
  let current: Buffer | undefined;
  const open = (): Buffer => {
    const session = lib.C_OpenSession(slot, pkcs11js().CKF_SERIAL_SESSION | pkcs11js().CKF_RW_SESSION);
    try {
      login(lib, session, settings);
    } catch (error) {
      lib.C_CloseSession(session);
      throw error;
    }
    return session;
  };
  try {
    ({ slot, label } = findSlot(lib, settings));
    current = open();
  } catch (error) {
    releasePkcs11Library(settings.module);
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`DFNS_PKCS11_MODULE: cannot open the token (${pkcs11ErrorText(error)})`);
  }
  let closed = false;
  const drop = () => {
    if (!current) return;
    const session = current;
    current = undefined;
    try {
      lib.C_CloseSession(session);
    } catch {
      // Already gone on the token's side.
    }
  };
  return {
    lib,
    label,
    slot,
    session: () => {
      if (closed) throw new Error(`the PKCS#11 session with token "${label}" is closed`);
      // After a failed reopen, the next use tries again.
      current ??= open();
      return current;
    },
    reopen: () => {
      if (closed) throw new Error(`the PKCS#11 session with token "${label}" is closed`);
      drop();
      current = open();
    },
    close: () => {
      if (closed) return;
      closed = true;
      drop();
      releasePkcs11Library(settings.module);
    },
  };
}
