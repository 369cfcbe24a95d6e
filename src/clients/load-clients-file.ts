import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config';
import { toFieldErrors, type FieldError } from '../contracts/field-errors';
import type { PoolDefinition } from '../contracts/pool-definition';
import { clientBindings, NO_CLIENT_BINDINGS, type ClientBindings } from './client-bindings';
import { clientsFileSchema, type ClientsFile } from './clients-file-schema';

/** The shipped example clients file, independent of the working directory. */
export const EXAMPLE_CLIENTS_FILE = fileURLToPath(new URL('../../clients/clients.example.json', import.meta.url));

/**
 * Thrown when a clients file cannot be read or does not validate; the message names the file and each bad field. A
 * configuration error: entry points report it and exit as for a bad variable.
 */
export class ClientsFileError extends ConfigError {
  override name = 'ClientsFileError';
}

/** Bindings to pools the pools file does not define (`clients[0].pools[1]`). */
function undefinedPools(file: ClientsFile, pools: readonly PoolDefinition[]): FieldError[] {
  const known = new Set(pools.map((pool) => pool.name));
  const defined = known.size > 0 ? `defined: ${[...known].join(', ')}` : 'it defines none';
  const check = (names: readonly string[], at: string) =>
    names.flatMap((name, i) =>
      known.has(name)
        ? []
        : [{ field: `${at}.pools[${i}]`, message: `"${name}" is not in the pools file (${defined})` }],
    );
  return [
    ...file.clients.flatMap((client, i) => check(client.pools, `clients[${i}]`)),
    ...(file.withoutClient ? check(file.withoutClient.pools, 'withoutClient') : []),
  ];
}

/**
 * Validates parsed JSON as a clients file; `source` names it in errors. With `pools` (the pools file as loaded, empty
 * when none is configured), a binding to a pool it does not define is refused too.
 */
export function parseClientsFile(json: unknown, source: string, pools?: readonly PoolDefinition[]): ClientsFile {
  const parsed = clientsFileSchema.safeParse(json);
  const errors = parsed.success
    ? pools
      ? undefinedPools(parsed.data, pools)
      : []
    : toFieldErrors(parsed.error, { root: '(file)', indices: 'brackets' });
  if (parsed.success && errors.length === 0) return parsed.data;
  throw new ClientsFileError(
    `${source} is not a valid clients file:\n${errors.map((e) => `  ${e.field}: ${e.message}`).join('\n')}`,
  );
}

/** Reads and validates a clients file (see parseClientsFile). */
export function readClientsFile(path: string, pools?: readonly PoolDefinition[]): ClientsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ClientsFileError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ClientsFileError(`${path} is not JSON: ${(error as Error).message}`);
  }
  return parseClientsFile(json, path, pools);
}

/**
 * The bindings PAYMENT_CLIENTS_FILE declares, checked against the pools as loaded. No file configured means no
 * bindings: no client, and no payment without one, may pay from anything.
 */
export function loadClientBindings(path: string | undefined, pools: readonly PoolDefinition[]): ClientBindings {
  return path === undefined ? NO_CLIENT_BINDINGS : clientBindings(readClientsFile(path, pools));
}
