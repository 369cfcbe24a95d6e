import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, type Config } from '../config';

const approverSchema = z.object({
  name: z.string().min(1),
  userId: z.string().min(1),
  authToken: z.string().min(1),
  credId: z.string().min(1),
  privateKey: z.string().min(1),
});

// Only the fields policies and approvals need; src/config.ts validates the rest of the file.
const fixturesSchema = z.looseObject({
  baseUrl: z.url().optional(),
  orgId: z.string().min(1).optional(),
  walletId: z.string().min(1).optional(),
  approvers: z.array(approverSchema).default([]),
  wallets: z.array(z.looseObject({ walletId: z.string().min(1), network: z.string().optional(), address: z.string().optional() })).default([]),
});

/** One approver user the sandbox bootstrap created, with its own signing key. */
export type SandboxApprover = z.infer<typeof approverSchema>;

/** What the sandbox credentials file offers beyond the service account: approver users and wallets. */
export interface SandboxFixtures {
  path: string;
  baseUrl?: string;
  orgId?: string;
  approvers: SandboxApprover[];
  walletIds: string[];
}

/** Reads the approvers and wallets from DFNS_CREDENTIALS_FILE; older files without them give empty lists. */
export function readSandboxFixtures(config: Config): SandboxFixtures {
  const path = resolve(config.DFNS_CREDENTIALS_FILE);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`DFNS_CREDENTIALS_FILE: ${path} does not exist. Start the sandbox (npm run dev), or configure a real org (see README)`);
    throw new ConfigError(`DFNS_CREDENTIALS_FILE: cannot read ${path} (${code ?? 'not JSON'})`);
  }
  const parsed = fixturesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`DFNS_CREDENTIALS_FILE: ${path}: ${issue?.path.join('.')} ${issue?.message}`);
  }
  const { approvers, wallets, walletId, baseUrl, orgId } = parsed.data;
  const walletIds = wallets.length > 0 ? wallets.map((wallet) => wallet.walletId) : walletId ? [walletId] : [];
  return { path, approvers, walletIds, ...(baseUrl ? { baseUrl } : {}), ...(orgId ? { orgId } : {}) };
}
