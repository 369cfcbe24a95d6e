import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { toFieldErrors } from '../contracts/field-errors';
import { policyFileSchema, type PolicyFile } from './policy-file-schema';

/** Where the shipped policy files live, independent of the working directory. */
export const POLICIES_DIR = fileURLToPath(new URL('../../policies/', import.meta.url));

/** Thrown when a policy file cannot be read or does not validate; the message names the file and each bad field. */
export class PolicyFileError extends Error {
  override name = 'PolicyFileError';
}

/** Each bad field on its own line, as a reader of the JSON file would write its path (`policies[1].rule`). */
function describeIssues(error: z.ZodError): string {
  const errors = toFieldErrors(error, { root: '(file)', indices: 'brackets' });
  return errors.map((e) => `  ${e.field}: ${e.message}`).join('\n');
}

/** Validates parsed JSON as a policy file; `source` names it in errors. */
export function parsePolicyFile(json: unknown, source: string): PolicyFile {
  const parsed = policyFileSchema.safeParse(json);
  if (!parsed.success)
    throw new PolicyFileError(`${source} is not a valid policy file:\n${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** Reads and validates a policy file. */
export function loadPolicyFile(path: string): PolicyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyFileError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PolicyFileError(`${path} is not JSON: ${(error as Error).message}`);
  }
  return parsePolicyFile(json, path);
}

/** The shipped file of a set, e.g. `policies/standard.json`. */
export function policyFilePath(set: string, dir = POLICIES_DIR): string {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(set))
    throw new PolicyFileError(`--set must be a set name such as "standard", got "${set}"`);
  return `${dir.replace(/\/$/, '')}/${set}.json`;
}
