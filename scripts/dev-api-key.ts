// The development API key of a checkout: `npm run dev` makes it once, keeps it in the local state directory (never
// committed, never in an image: .gitignore and .dockerignore leave `.local/` out), configures only its own server
// with it, and prints it in its banner. `npm run demo -- --api` reads it from there.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { API_SCOPES, createApiKeyVerifier, mintApiKey, parseApiKeyEntry } from '../src/api/api-keys';

/** The API client `npm run dev` binds the sandbox's wallets to, and its key belongs to (docs/clients.md). */
export const DEV_CLIENT = 'dev';
/** The file, in the local state directory, that holds the development key. */
export const DEV_API_KEY_FILE = 'dev-api-key.json';

const StoredKey = z.object({ clientId: z.literal(DEV_CLIENT), key: z.string(), entry: z.string() });

/** A development key: the key itself (for the banner and the demo) and the hash line the server is configured with. */
export interface DevApiKey {
  key: string;
  entry: string;
  /** True when this start made it (no usable key was kept). */
  created: boolean;
}

/** The kept key, if the file holds one that its own hash line verifies as the dev client's. */
export function readDevApiKey(file: string): Omit<DevApiKey, 'created'> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const stored = StoredKey.parse(JSON.parse(readFileSync(file, 'utf8')));
    const verified = createApiKeyVerifier([parseApiKeyEntry(stored.entry)])(stored.key);
    return verified?.clientId === DEV_CLIENT ? { key: stored.key, entry: stored.entry } : undefined;
  } catch {
    return undefined; // damaged or hand-edited: a new key replaces it
  }
}

/** The checkout's development key: the one kept in `file`, or a new one (every scope, client `dev`) written there. */
export function devApiKey(file: string): DevApiKey {
  const kept = readDevApiKey(file);
  if (kept) return { ...kept, created: false };
  const { key, entry } = mintApiKey(DEV_CLIENT, API_SCOPES);
  const stored = {
    note: 'The development key of `npm run dev` (client dev, sandbox wallets only). Never configure it elsewhere.',
    clientId: DEV_CLIENT,
    key,
    entry,
  };
  writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  return { key, entry, created: true };
}

/** Whether a listen address is loopback only: the development key is served on nothing else. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
