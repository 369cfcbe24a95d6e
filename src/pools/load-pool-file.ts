import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config';
import { toFieldErrors } from '../contracts/field-errors';
import type { PoolDefinition } from '../contracts/pool-definition';
import { poolFileSchema } from './pool-file-schema';

/** The shipped example pools file, independent of the working directory. */
export const EXAMPLE_POOLS_FILE = fileURLToPath(new URL('../../pools/pools.example.json', import.meta.url));

/**
 * Thrown when a pools file cannot be read or does not validate; the message names the file and each bad field. A
 * configuration error: entry points report it and exit as for a bad variable.
 */
export class PoolFileError extends ConfigError {
  override name = 'PoolFileError';
}

/** Validates parsed JSON as a pools file; `source` names it in errors. */
export function parsePoolFile(json: unknown, source: string): PoolDefinition[] {
  const parsed = poolFileSchema.safeParse(json);
  if (parsed.success) return parsed.data.pools;
  const errors = toFieldErrors(parsed.error, { root: '(file)', indices: 'brackets' });
  throw new PoolFileError(
    `${source} is not a valid pools file:\n${errors.map((e) => `  ${e.field}: ${e.message}`).join('\n')}`,
  );
}

/** Reads and validates a pools file; no file configured means no pools (payments then name wallets). */
export function loadPoolFile(path: string | undefined): PoolDefinition[] {
  if (path === undefined) return [];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PoolFileError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PoolFileError(`${path} is not JSON: ${(error as Error).message}`);
  }
  return parsePoolFile(json, path);
}
