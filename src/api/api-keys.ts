import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { CLIENT_ID_PATTERN } from '../contracts/payment-id';

/**
 * What a client's key may do: start payments, read them, act on them as an operator; read the reconciliations of its
 * client's wallets, and run them and acknowledge their findings (an operator's scope).
 */
export const API_SCOPES = [
  'payments:write',
  'payments:read',
  'payments:operate',
  'reconciliations:read',
  'reconciliations:operate',
] as const;
/**
 * What an operator's key may do beyond any one client: `payloads:decode` decrypts payloads at the codec endpoint
 * (src/codec), every client's alike. A key holding it holds no other scope, so no client's key ever can.
 */
export const OPERATOR_SCOPES = ['payloads:decode'] as const;
export type ApiScope = (typeof API_SCOPES)[number] | (typeof OPERATOR_SCOPES)[number];
const ALL_SCOPES = [...API_SCOPES, ...OPERATOR_SCOPES] as const;

/** What `payments mint-key` grants when no `--scopes` are given: the payment scopes, no reconciliation scope. */
export const DEFAULT_SCOPES: readonly ApiScope[] = ['payments:write', 'payments:read', 'payments:operate'];

/** A configured key: its public id, its client (tenant), its scopes, and the SHA-256 of the secret key. */
export interface ApiKeyEntry {
  keyId: string;
  clientId: string;
  scopes: ApiScope[];
  sha256: Buffer;
}

/** Who is calling, once a key has been verified. Never holds the key itself. */
export interface ApiPrincipal {
  keyId: string;
  clientId: string;
  scopes: readonly ApiScope[];
}

const KEY_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const KEY_PATTERN = /^pk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/**
 * One key per line, `keyId clientId scope,scope sha256hex` (the line `payments mint-key` prints). The key has 256
 * bits of randomness, so an unsalted SHA-256 is enough to store it: there is nothing to brute-force.
 */
const entrySchema = z
  .string()
  .transform((line) => line.split(/\s+/))
  .pipe(
    z.tuple([
      z.string().regex(/^[a-z0-9]{12}$/, 'key id must be 12 lowercase letters or digits'),
      z.string().regex(CLIENT_ID_PATTERN, `client id must match ${CLIENT_ID_PATTERN}`),
      z
        .string()
        .transform((scopes) => scopes.split(','))
        .pipe(
          z
            .array(z.enum(ALL_SCOPES, { error: `scopes are ${ALL_SCOPES.join(', ')}` }))
            .min(1)
            .refine(
              (scopes) => scopes.every((s) => isOperatorScope(s)) || scopes.every((s) => !isOperatorScope(s)),
              `${OPERATOR_SCOPES.join(', ')} is an operator scope: a key holding it holds no client scope`,
            ),
        ),
      z.string().regex(/^[0-9a-f]{64}$/, 'hash must be 64 lowercase hex digits (SHA-256)'),
    ]),
  );

/** True for a scope no client's key may hold. */
export function isOperatorScope(scope: string): boolean {
  return (OPERATOR_SCOPES as readonly string[]).includes(scope);
}

/** Parses one key line, or throws an Error naming what is wrong (never echoing the line: it could be a key). */
export function parseApiKeyEntry(line: string): ApiKeyEntry {
  const parsed = entrySchema.safeParse(line.trim());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      issue?.code === 'too_small' || issue?.code === 'too_big'
        ? 'expected: keyId clientId scopes sha256'
        : (issue?.message ?? 'invalid'),
    );
  }
  const [keyId, clientId, scopes, sha256] = parsed.data;
  return { keyId, clientId, scopes: [...new Set(scopes)], sha256: Buffer.from(sha256, 'hex') };
}

/** Parses a keys file: one entry per line; blank lines and `#` comments skipped. Errors name the line number. */
export function parseApiKeyFile(text: string): ApiKeyEntry[] {
  return text.split('\n').flatMap((line, index) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return [];
    try {
      return [parseApiKeyEntry(line)];
    } catch (error) {
      throw new Error(`line ${index + 1}: ${(error as Error).message}`);
    }
  });
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Mints a key: the secret (shown once) and the line to configure, which holds only its hash. */
export function mintApiKey(clientId: string, scopes: readonly ApiScope[]): { key: string; entry: string } {
  // The key id is public (it picks the entry to compare with), so a slight modulo bias in it costs nothing.
  const keyId = Array.from(randomBytes(12), (byte) => KEY_ID_ALPHABET[byte % KEY_ID_ALPHABET.length]).join('');
  const key = `pk_${keyId}_${randomBytes(32).toString('base64url')}`;
  const entry = `${keyId} ${clientId} ${scopes.join(',')} ${sha256(key).toString('hex')}`;
  parseApiKeyEntry(entry); // the line must be one the server accepts
  return { key, entry };
}

/** The principal of a configured key by its public id (a session that names the key), while the key is configured. */
export function createApiKeyDirectory(entries: readonly ApiKeyEntry[]): (keyId: string) => ApiPrincipal | undefined {
  const byId = new Map(entries.map((entry) => [entry.keyId, entry]));
  return (keyId) => {
    const entry = byId.get(keyId);
    return entry ? { keyId: entry.keyId, clientId: entry.clientId, scopes: entry.scopes } : undefined;
  };
}

/** Finds who holds a presented key: looked up by its public id, then its hash compared in constant time. */
export function createApiKeyVerifier(entries: readonly ApiKeyEntry[]): (presented: string) => ApiPrincipal | undefined {
  const byId = new Map(entries.map((entry) => [entry.keyId, entry]));
  if (byId.size !== entries.length) throw new Error('two API keys share a key id');
  return (presented) => {
    const match = KEY_PATTERN.exec(presented);
    const entry = match ? byId.get(match[1] as string) : undefined;
    if (!entry || !timingSafeEqual(sha256(presented), entry.sha256)) return undefined;
    return { keyId: entry.keyId, clientId: entry.clientId, scopes: entry.scopes };
  };
}
