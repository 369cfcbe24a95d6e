import { readFileSync } from 'node:fs';
import { ConfigError, type Config } from '../config';
import { readCredentialsFile, type SandboxApprover } from './credentials-file';
import { resolvePkcs11Settings, type Pkcs11KeySettings } from './signing-key';

/**
 * Where a credential's private key is: a PEM key in memory (`privateKey`), or a PKCS#11 token that signs with a key
 * it never lets out (`pkcs11`). Exactly one.
 */
export type SigningKey =
  { privateKey: string; pkcs11?: undefined } | { pkcs11: Pkcs11KeySettings; privateKey?: undefined };

/** Credentials and settings for talking to one Dfns org (real, or the local sandbox). */
export type DfnsCredentials = {
  baseUrl: string;
  orgId?: string;
  authToken: string;
  credId: string;
  /** Where these came from, for start-up logs (never the values). */
  source: string;
} & SigningKey;

/** The credentials of a human approver, and who they are for messages. */
export interface ApproverIdentity {
  credentials: DfnsCredentials;
  /** "approver-1", or "the DFNS_APPROVER_* user". */
  label: string;
  /** Known for sandbox approvers; a real org's approver is whoever the token belongs to. */
  userId?: string;
}

/** What the sandbox credentials file offers beyond the service account: approver users and wallets. */
export interface SandboxFixtures {
  path: string;
  baseUrl?: string;
  orgId?: string;
  approvers: SandboxApprover[];
  walletIds: string[];
}

/** Why no approver identity was found, and how to give one. */
export const NO_APPROVER_MESSAGE =
  'no approver identity: pass --as approver-1 (sandbox approvers) or set DFNS_APPROVER_AUTH_TOKEN, ' +
  'DFNS_APPROVER_CRED_ID and DFNS_APPROVER_PRIVATE_KEY (or DFNS_APPROVER_PRIVATE_KEY_FILE); ' +
  'the service account never approves';

const SERVICE_VARIABLES = 'Dfns credentials (set DFNS_AUTH_TOKEN, DFNS_CRED_ID, DFNS_PRIVATE_KEY, DFNS_BASE_URL)';

/** A PEM key given inline (`KEY`) or as a file (`KEY_FILE`); a `\n` written out in either becomes a newline. */
function privateKeyFrom(variable: string, inline: string | undefined, file: string | undefined): string | undefined {
  return (inline ?? (file ? readKeyFile(variable, file) : undefined))?.replace(/\\n/g, '\n');
}

function readKeyFile(variable: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`${variable}_FILE: cannot read ${file} (${code})`);
  }
}

/** Throws when `trigger` is set but some of the variables that must come with it are not, naming each. */
function requireWith(trigger: string, required: [name: string, value: unknown][]): void {
  const missing = required.filter(([, value]) => !value).map(([name]) => name);
  if (missing.length > 0) throw new ConfigError(`${trigger} is set, so these are required too: ${missing.join(', ')}`);
}

function serviceFromEnvironment(config: Config, authToken: string): DfnsCredentials {
  if (config.DFNS_SIGNER === 'pkcs11') return serviceWithPkcs11Key(config, authToken);
  const privateKey = privateKeyFrom('DFNS_PRIVATE_KEY', config.DFNS_PRIVATE_KEY, config.DFNS_PRIVATE_KEY_FILE);
  requireWith('DFNS_AUTH_TOKEN', [
    ['DFNS_BASE_URL', config.DFNS_BASE_URL],
    ['DFNS_CRED_ID', config.DFNS_CRED_ID],
    ['DFNS_PRIVATE_KEY or DFNS_PRIVATE_KEY_FILE', privateKey],
  ]);
  return {
    baseUrl: config.DFNS_BASE_URL as string,
    orgId: config.DFNS_ORG_ID,
    authToken,
    credId: config.DFNS_CRED_ID as string,
    privateKey: privateKey as string,
    source: 'environment (DFNS_*)',
  };
}

// With DFNS_SIGNER=pkcs11 the key is in a token: a PEM key given as well would be a second, weaker copy.
function serviceWithPkcs11Key(config: Config, authToken: string): DfnsCredentials {
  const pem = ['DFNS_PRIVATE_KEY', 'DFNS_PRIVATE_KEY_FILE'].filter((name) => config[name as keyof Config]);
  if (pem.length > 0) {
    throw new ConfigError(`DFNS_SIGNER=pkcs11 signs with the token's key: unset ${pem.join(' and ')}`);
  }
  requireWith('DFNS_SIGNER=pkcs11', [
    ['DFNS_BASE_URL', config.DFNS_BASE_URL],
    ['DFNS_CRED_ID', config.DFNS_CRED_ID],
  ]);
  return {
    baseUrl: config.DFNS_BASE_URL as string,
    orgId: config.DFNS_ORG_ID,
    authToken,
    credId: config.DFNS_CRED_ID as string,
    pkcs11: resolvePkcs11Settings(config, 'DFNS_SIGNER=pkcs11 is set'),
    source: 'environment (DFNS_*), key in a PKCS#11 token',
  };
}

/**
 * Finds the Dfns credentials: DFNS_* variables when DFNS_AUTH_TOKEN is set (the key as DFNS_SIGNER says), else the
 * sandbox's credentials file.
 */
export function resolveDfnsCredentials(config: Config): DfnsCredentials {
  if (config.DFNS_AUTH_TOKEN) return serviceFromEnvironment(config, config.DFNS_AUTH_TOKEN);
  if (config.DFNS_SIGNER === 'pkcs11') {
    // The sandbox credentials file holds its own account's PEM key; a token's key belongs to an account of its own.
    requireWith('DFNS_SIGNER=pkcs11', [
      ['DFNS_AUTH_TOKEN', undefined],
      ['DFNS_BASE_URL', config.DFNS_BASE_URL],
      ['DFNS_CRED_ID', config.DFNS_CRED_ID],
    ]);
  }
  const file = readCredentialsFile(config.DFNS_CREDENTIALS_FILE, SERVICE_VARIABLES);
  return {
    baseUrl: config.DFNS_BASE_URL ?? file.baseUrl,
    orgId: file.orgId,
    authToken: file.authToken,
    credId: file.credId,
    privateKey: file.privateKey,
    source: `sandbox credentials file ${file.path}`,
  };
}

/** The webhook secrets the bridge verifies with: DFNS_WEBHOOK_SECRETS, else the sandbox's. */
export function resolveWebhookSecrets(config: Config): string[] {
  if (config.DFNS_WEBHOOK_SECRETS && config.DFNS_WEBHOOK_SECRETS.length > 0) return config.DFNS_WEBHOOK_SECRETS;
  const file = readCredentialsFile(config.DFNS_CREDENTIALS_FILE, 'webhook secret (set DFNS_WEBHOOK_SECRETS)');
  if (!file.webhookSecret) throw new ConfigError(`${file.path} has no webhookSecret: set DFNS_WEBHOOK_SECRETS`);
  return [file.webhookSecret];
}

/**
 * The wallet to pay from when the caller names none: DFNS_WALLET_ID, else the sandbox's funded wallet. When the
 * credentials file cannot give it, the ConfigError says which file and why, and how else to name a wallet.
 */
export function resolveDefaultWalletId(config: Config): string {
  if (config.DFNS_WALLET_ID) return config.DFNS_WALLET_ID;
  try {
    return readCredentialsFile(config.DFNS_CREDENTIALS_FILE, 'sandbox wallet').walletId;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(
      "the default wallet (DFNS_WALLET_ID, else the sandbox's, from DFNS_CREDENTIALS_FILE) cannot be read: " +
        error.message,
    );
  }
}

/** Reads the approvers and wallets from DFNS_CREDENTIALS_FILE; older files without them give empty lists. */
export function readSandboxFixtures(config: Config): SandboxFixtures {
  const file = readCredentialsFile(config.DFNS_CREDENTIALS_FILE, 'sandbox approvers and wallets');
  const walletIds = file.wallets.length > 0 ? file.wallets.map((wallet) => wallet.walletId) : [file.walletId];
  return { path: file.path, baseUrl: file.baseUrl, orgId: file.orgId, approvers: file.approvers, walletIds };
}

function approverFromSandbox(config: Config, name: string): ApproverIdentity {
  const file = readCredentialsFile(config.DFNS_CREDENTIALS_FILE, `sandbox approver ${name}`);
  const approver = file.approvers.find((candidate) => candidate.name === name);
  if (!approver) {
    const names = file.approvers.map((candidate) => candidate.name).join(', ') || 'none';
    throw new ConfigError(`--as ${name}: no such approver in ${file.path} (it has: ${names})`);
  }
  const { authToken, credId, privateKey, userId } = approver;
  const baseUrl = config.DFNS_BASE_URL ?? file.baseUrl;
  const source = `sandbox approver ${name} (${file.path})`;
  return { credentials: { baseUrl, orgId: file.orgId, authToken, credId, privateKey, source }, label: name, userId };
}

function approverFromEnvironment(config: Config, authToken: string): ApproverIdentity {
  // Approving is a human's decision: the payment service must never sign one with its own identity.
  const sameCred = config.DFNS_APPROVER_CRED_ID !== undefined && config.DFNS_APPROVER_CRED_ID === config.DFNS_CRED_ID;
  if (authToken === config.DFNS_AUTH_TOKEN || sameCred) {
    throw new ConfigError(
      "DFNS_APPROVER_AUTH_TOKEN / DFNS_APPROVER_CRED_ID are the service account's own: " +
        'an approver must be a different user',
    );
  }
  const { DFNS_APPROVER_PRIVATE_KEY: inline, DFNS_APPROVER_PRIVATE_KEY_FILE: keyFile } = config;
  const privateKey = privateKeyFrom('DFNS_APPROVER_PRIVATE_KEY', inline, keyFile);
  // With the sandbox, the base URL may come from its credentials file.
  const baseUrl = config.DFNS_BASE_URL ?? (config.DFNS_AUTH_TOKEN ? undefined : readSandboxFixtures(config).baseUrl);
  requireWith('DFNS_APPROVER_AUTH_TOKEN', [
    ['DFNS_APPROVER_CRED_ID', config.DFNS_APPROVER_CRED_ID],
    ['DFNS_APPROVER_PRIVATE_KEY or DFNS_APPROVER_PRIVATE_KEY_FILE', privateKey],
    ['DFNS_BASE_URL', baseUrl],
  ]);
  return {
    credentials: {
      baseUrl: baseUrl as string,
      ...(config.DFNS_ORG_ID ? { orgId: config.DFNS_ORG_ID } : {}),
      authToken,
      credId: config.DFNS_APPROVER_CRED_ID as string,
      privateKey: privateKey as string,
      source: 'environment (DFNS_APPROVER_*)',
    },
    label: 'the DFNS_APPROVER_* user',
  };
}

/**
 * The approver to decide as: `--as NAME` picks one of the sandbox credentials file's approvers, otherwise the
 * DFNS_APPROVER_* variables; undefined when neither is given. The service account is never an approver.
 */
export function resolveApproverIdentity(config: Config, as: string | undefined): ApproverIdentity | undefined {
  if (as !== undefined) return approverFromSandbox(config, as);
  if (config.DFNS_APPROVER_AUTH_TOKEN) return approverFromEnvironment(config, config.DFNS_APPROVER_AUTH_TOKEN);
  return undefined;
}
