import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

const DEFAULT_CREDENTIALS_FILE = '.local/dfns-sandbox.json';

const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'must be host:port');
/** Whole decimal numbers only: Number() would read " " as 0 and "0x1F90" as 8080. */
const wholeNumber = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `must be ${what} (decimal digits)`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const port = wholeNumber(0, 65535, 'a port number');
const list = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

const envSchema = z.object({
  TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('payments'),
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
  TEMPORAL_SDK_LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('WARN'),
  APP_HOST: z.string().min(1).default('127.0.0.1'),
  APP_PORT: port.default(8787),
  WEBHOOK_TOLERANCE_SECONDS: wholeNumber(1, 86_400, 'a number of seconds').default(300),
  DFNS_CREDENTIALS_FILE: z.string().min(1).default(DEFAULT_CREDENTIALS_FILE),
  DFNS_BASE_URL: z.url().optional(),
  DFNS_ORG_ID: z.string().min(1).optional(),
  DFNS_AUTH_TOKEN: z.string().min(1).optional(),
  DFNS_CRED_ID: z.string().min(1).optional(),
  DFNS_PRIVATE_KEY: z.string().min(1).optional(),
  DFNS_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  DFNS_WEBHOOK_SECRETS: list.optional(),
  DFNS_WALLET_ID: z.string().min(1).optional(),
  DFNS_ACTIVITIES_PER_SECOND: wholeNumber(1, 10_000, 'a whole number of activities per second').default(5),
  CALLBACK_SIGNING_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  // Policies and approvals (src/policies, src/approvals): org-specific values the policy files leave open.
  DFNS_APPROVER_USER_IDS: list.optional(),
  PAYMENT_RECIPIENT_WHITELIST: list.optional(),
  POLICY_WALLET_IDS: list.optional(),
  POLICY_AUTO_REJECT_TIMEOUT_MINUTES: wholeNumber(1, 525_600, 'a number of minutes').default(1440),
  DFNS_APPROVER_AUTH_TOKEN: z.string().min(1).optional(),
  DFNS_APPROVER_CRED_ID: z.string().min(1).optional(),
  DFNS_APPROVER_PRIVATE_KEY: z.string().min(1).optional(),
  DFNS_APPROVER_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  // The payments API (src/api). Keys are configured as hashes only (`payments mint-key` prints the line).
  API_KEYS_FILE: z.string().min(1).optional(),
  API_KEY_ENTRY: z.string().min(1).optional(),
  API_RATE_LIMIT_PER_MINUTE: wholeNumber(1, 1_000_000, 'a whole number of requests per minute').default(600),
  // The `payments` CLI through the API instead of Temporal: `--api URL` (or PAYMENTS_API_URL) with this key.
  PAYMENTS_API_URL: z.url().optional(),
  PAYMENTS_API_KEY: z.string().min(1).optional(),
});

/** Credentials and settings for talking to one Dfns org (real, or the local sandbox). */
export interface DfnsCredentials {
  baseUrl: string;
  orgId?: string;
  authToken: string;
  credId: string;
  privateKey: string;
  /** Where these came from, for start-up logs (never the values). */
  source: string;
}

/** The parsed environment: the only view of process.env the project has. */
export type Config = Omit<z.infer<typeof envSchema>, 'DFNS_WEBHOOK_SECRETS'> & { DFNS_WEBHOOK_SECRETS?: string[] };

/** Thrown when the configuration cannot work; its message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; call it from main entry points only and pass the result down. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set" (compose passes `${X:-}` through as ""), not "set to nothing".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

const sandboxFileSchema = z.object({
  baseUrl: z.url(),
  orgId: z.string().min(1),
  authToken: z.string().min(1),
  credId: z.string().min(1),
  privateKey: z.string().min(1),
  walletId: z.string().min(1),
  webhookSecret: z.string().min(1),
});

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`DFNS_PRIVATE_KEY_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function fromEnvironment(config: Config): DfnsCredentials | undefined {
  if (!config.DFNS_AUTH_TOKEN) return undefined;
  const privateKey = config.DFNS_PRIVATE_KEY ?? (config.DFNS_PRIVATE_KEY_FILE ? readKeyFile(config.DFNS_PRIVATE_KEY_FILE) : undefined);
  const missing = [
    ['DFNS_BASE_URL', config.DFNS_BASE_URL],
    ['DFNS_CRED_ID', config.DFNS_CRED_ID],
    ['DFNS_PRIVATE_KEY or DFNS_PRIVATE_KEY_FILE', privateKey],
  ].filter(([, value]) => !value);
  if (missing.length > 0) {
    throw new ConfigError(`DFNS_AUTH_TOKEN is set, so these are required too: ${missing.map(([name]) => name).join(', ')}`);
  }
  return {
    baseUrl: config.DFNS_BASE_URL as string,
    orgId: config.DFNS_ORG_ID,
    authToken: config.DFNS_AUTH_TOKEN,
    credId: config.DFNS_CRED_ID as string,
    privateKey: (privateKey as string).replace(/\\n/g, '\n'),
    source: 'environment (DFNS_*)',
  };
}

type SandboxFile = z.infer<typeof sandboxFileSchema>;

function readSandboxFile(config: Config, purpose: string): SandboxFile & { path: string } {
  const path = resolve(config.DFNS_CREDENTIALS_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new ConfigError(`DFNS_CREDENTIALS_FILE: cannot read ${path} (${code ?? 'error'})`);
    throw new ConfigError(`no ${purpose}: ${path} does not exist. Start the sandbox (npm run dev) so that it writes it, or configure a real org (see README)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`${path} is not JSON`);
  }
  const parsed = sandboxFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${path} is not a Dfns credentials file: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return { ...parsed.data, path };
}

function fromSandboxFile(config: Config): DfnsCredentials {
  const file = readSandboxFile(config, 'Dfns credentials (set DFNS_AUTH_TOKEN, DFNS_CRED_ID, DFNS_PRIVATE_KEY, DFNS_BASE_URL)');
  return {
    baseUrl: config.DFNS_BASE_URL ?? file.baseUrl,
    orgId: file.orgId,
    authToken: file.authToken,
    credId: file.credId,
    privateKey: file.privateKey,
    source: `sandbox credentials file ${file.path}`,
  };
}

/** The webhook secrets the bridge verifies with: DFNS_WEBHOOK_SECRETS, else the sandbox's. The bridge needs no signing key. */
export function resolveWebhookSecrets(config: Config): string[] {
  if (config.DFNS_WEBHOOK_SECRETS && config.DFNS_WEBHOOK_SECRETS.length > 0) return config.DFNS_WEBHOOK_SECRETS;
  return [readSandboxFile(config, 'webhook secret (set DFNS_WEBHOOK_SECRETS)').webhookSecret];
}

/** The wallet to pay from when the caller names none: DFNS_WALLET_ID, else the sandbox's funded wallet. */
export function resolveDefaultWalletId(config: Config): string | undefined {
  if (config.DFNS_WALLET_ID) return config.DFNS_WALLET_ID;
  try {
    return readSandboxFile(config, 'default wallet').walletId;
  } catch {
    return undefined;
  }
}

/** Finds the Dfns credentials: DFNS_* variables when DFNS_AUTH_TOKEN is set, else the sandbox's credentials file. */
export function resolveDfnsCredentials(config: Config): DfnsCredentials {
  return fromEnvironment(config) ?? fromSandboxFile(config);
}
