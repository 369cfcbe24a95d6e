import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config';
import { fieldErrorLine, toFieldErrors } from '../contracts/field-errors';

const approverSchema = z.object({
  name: z.string().min(1),
  userId: z.string().min(1),
  authToken: z.string().min(1),
  credId: z.string().min(1),
  privateKey: z.string().min(1),
});

const erc20Schema = z.object({
  contract: z.string().min(1),
  symbol: z.string().min(1),
  decimals: z.number().int().min(0).max(77),
});

/**
 * The sandbox credentials file (`.local/dfns-sandbox.json`, written by the sandbox's bootstrap): the service
 * account, its funded wallet, and the approver users. The only schema for it; extra fields pass through.
 */
export const credentialsFileSchema = z.looseObject({
  baseUrl: z.url(),
  orgId: z.string().min(1),
  authToken: z.string().min(1),
  credId: z.string().min(1),
  privateKey: z.string().min(1),
  walletId: z.string().min(1),
  // Optional so that a file holding only what one tool needs still works; the readers that need them say so.
  webhookSecret: z.string().min(1).optional(),
  network: z.string().min(1).optional(),
  erc20: erc20Schema.optional(),
  // Files written before approvers and several wallets existed have neither.
  approvers: z.array(approverSchema).default([]),
  wallets: z
    .array(
      z.looseObject({ walletId: z.string().min(1), network: z.string().optional(), address: z.string().optional() }),
    )
    .default([]),
});

/** The parsed sandbox credentials file, and the absolute path it was read from. */
export type CredentialsFile = z.infer<typeof credentialsFileSchema> & { path: string };

/** One approver user the sandbox bootstrap created, with its own signing key. */
export type SandboxApprover = z.infer<typeof approverSchema>;

/**
 * Reads and validates the credentials file; `purpose` says what was wanted from it, for the message when the
 * file does not exist. Every failure is a ConfigError naming the file (and the bad field), never a secret.
 */
export function readCredentialsFile(file: string, purpose: string): CredentialsFile {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new ConfigError(`DFNS_CREDENTIALS_FILE: cannot read ${path} (${code ?? 'error'})`);
    throw new ConfigError(
      `no ${purpose}: ${path} does not exist. Start the sandbox (npm run dev) so that it writes it, ` +
        'or configure a real org (see docs/deployment.md, "Real Dfns")',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`${path} is not JSON`);
  }
  const parsed = credentialsFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = fieldErrorLine(toFieldErrors(parsed.error, { root: '(file)' }));
    throw new ConfigError(`${path} is not a Dfns credentials file: ${problems}`);
  }
  return { ...parsed.data, path };
}
