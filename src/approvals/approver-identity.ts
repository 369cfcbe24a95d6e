import { readFileSync } from 'node:fs';
import { ConfigError, type Config, type DfnsCredentials } from '../config';
import { readSandboxFixtures, type SandboxFixtures } from '../policies/sandbox-fixtures';

/** The credentials of a human approver, and who they are for messages. */
export interface ApproverIdentity {
  credentials: DfnsCredentials;
  /** "approver-1", or "the DFNS_APPROVER_* user". */
  label: string;
  /** Known for sandbox approvers; a real org's approver is whoever the token belongs to. */
  userId?: string;
}

function readKey(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`DFNS_APPROVER_PRIVATE_KEY_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function fromSandbox(config: Config, name: string, fixtures: SandboxFixtures): ApproverIdentity {
  const approver = fixtures.approvers.find((candidate) => candidate.name === name);
  if (!approver) {
    const names = fixtures.approvers.map((candidate) => candidate.name).join(', ') || 'none';
    throw new ConfigError(`--as ${name}: no such approver in ${fixtures.path} (it has: ${names})`);
  }
  const baseUrl = config.DFNS_BASE_URL ?? fixtures.baseUrl;
  if (!baseUrl) throw new ConfigError(`--as ${name}: ${fixtures.path} has no baseUrl; set DFNS_BASE_URL`);
  return {
    credentials: {
      baseUrl,
      ...(fixtures.orgId ? { orgId: fixtures.orgId } : {}),
      authToken: approver.authToken,
      credId: approver.credId,
      privateKey: approver.privateKey,
      source: `sandbox approver ${name} (${fixtures.path})`,
    },
    label: name,
    userId: approver.userId,
  };
}

function fromEnvironment(config: Config, readFixtures: (config: Config) => SandboxFixtures): ApproverIdentity {
  const token = config.DFNS_APPROVER_AUTH_TOKEN as string;
  // Approving is a human's decision: the payment service must never sign one with its own identity.
  if (token === config.DFNS_AUTH_TOKEN || (config.DFNS_APPROVER_CRED_ID && config.DFNS_APPROVER_CRED_ID === config.DFNS_CRED_ID)) {
    throw new ConfigError('DFNS_APPROVER_AUTH_TOKEN / DFNS_APPROVER_CRED_ID are the service account\'s own: an approver must be a different user');
  }
  const privateKey = config.DFNS_APPROVER_PRIVATE_KEY ?? (config.DFNS_APPROVER_PRIVATE_KEY_FILE ? readKey(config.DFNS_APPROVER_PRIVATE_KEY_FILE) : undefined);
  // With the sandbox, the base URL may come from its credentials file.
  const baseUrl = config.DFNS_BASE_URL ?? (config.DFNS_AUTH_TOKEN ? undefined : readFixtures(config).baseUrl);
  const missing = [
    ['DFNS_APPROVER_CRED_ID', config.DFNS_APPROVER_CRED_ID],
    ['DFNS_APPROVER_PRIVATE_KEY or DFNS_APPROVER_PRIVATE_KEY_FILE', privateKey],
    ['DFNS_BASE_URL', baseUrl],
  ].filter(([, value]) => !value);
  if (missing.length > 0) {
    throw new ConfigError(`DFNS_APPROVER_AUTH_TOKEN is set, so these are required too: ${missing.map(([name]) => name).join(', ')}`);
  }
  return {
    credentials: {
      baseUrl: baseUrl as string,
      ...(config.DFNS_ORG_ID ? { orgId: config.DFNS_ORG_ID } : {}),
      authToken: token,
      credId: config.DFNS_APPROVER_CRED_ID as string,
      privateKey: (privateKey as string).replace(/\\n/g, '\n'),
      source: 'environment (DFNS_APPROVER_*)',
    },
    label: 'the DFNS_APPROVER_* user',
  };
}

/**
 * The approver to decide as: `--as NAME` picks one of the sandbox credentials file's approvers, otherwise the
 * DFNS_APPROVER_* variables; undefined when neither is given. The service account is never an approver.
 */
export function resolveApproverIdentity(
  config: Config,
  as: string | undefined,
  readFixtures: (config: Config) => SandboxFixtures = readSandboxFixtures,
): ApproverIdentity | undefined {
  if (as !== undefined) return fromSandbox(config, as, readFixtures(config));
  if (config.DFNS_APPROVER_AUTH_TOKEN) return fromEnvironment(config, readFixtures);
  return undefined;
}

/** Why no approver identity was found, and how to give one. */
export const NO_APPROVER_MESSAGE =
  'no approver identity: pass --as approver-1 (sandbox approvers) or set DFNS_APPROVER_AUTH_TOKEN, DFNS_APPROVER_CRED_ID and ' +
  'DFNS_APPROVER_PRIVATE_KEY (or DFNS_APPROVER_PRIVATE_KEY_FILE); the service account never approves';
