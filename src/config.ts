import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseHostEntry } from './callbacks/callback-hosts';
import { toFieldErrors } from './contracts/field-errors';
import { ExpectedExit } from './expected-exit';
import { CLIENT_ID_PATTERN } from './contracts/payment-id';

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
/** Comma-separated (or, as a secret file holds them, one per line). */
const list = z.string().transform((value) =>
  value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean),
);

/** Comma-separated `host` or `host:port` entries, each checked. */
const hostList = list.superRefine((entries, ctx) => {
  const bad = entries.filter((entry) => parseHostEntry(entry) === undefined);
  if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `not host or host:port: ${bad.join(', ')}` });
});

/** The samplers OTEL_TRACES_SAMPLER may name (the OpenTelemetry specification's built-in ones). */
export const OTEL_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** A percent-encoded value decoded, or as written when it is not valid percent-encoding. */
const decoded = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** `key=value` pairs separated by commas, as OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES carry them. */
const otlpHeaders = z
  .string()
  .refine(
    (value) => value.split(',').every((pair) => /^[^=\s]+=.*$/.test(pair.trim())),
    'must be comma-separated key=value pairs',
  )
  .transform((value) =>
    Object.fromEntries(
      value.split(',').map((pair) => {
        const at = pair.indexOf('=');
        return [decoded(pair.slice(0, at).trim()), decoded(pair.slice(at + 1).trim())];
      }),
    ),
  );

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
  DFNS_AUTH_TOKEN_FILE: z.string().min(1).optional(),
  DFNS_CRED_ID: z.string().min(1).optional(),
  DFNS_PRIVATE_KEY: z.string().min(1).optional(),
  DFNS_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  // Where the service account's signing key lives (src/dfns/signing-key.ts, docs/hsm.md): a PEM key (the two
  // variables above, or the sandbox credentials file), or a PKCS#11 token that never lets the key out.
  DFNS_SIGNER: z.enum(['pem', 'pkcs11']).default('pem'),
  DFNS_PKCS11_MODULE: z.string().min(1).optional(),
  DFNS_PKCS11_TOKEN_LABEL: z
    .string()
    .min(1)
    .max(32, 'must be at most 32 characters (a PKCS#11 token label)')
    .optional(),
  DFNS_PKCS11_SLOT: z
    .string()
    .regex(/^\d{1,20}$/, 'must be a slot id (decimal digits)')
    .optional(),
  DFNS_PKCS11_KEY_LABEL: z.string().min(1).default('dfns-service-account'),
  DFNS_PKCS11_PIN: z.string().min(1).optional(),
  DFNS_PKCS11_PIN_FILE: z.string().min(1).optional(),
  DFNS_WEBHOOK_SECRETS: list.optional(),
  DFNS_WEBHOOK_SECRETS_FILE: z.string().min(1).optional(),
  DFNS_WALLET_ID: z.string().min(1).optional(),
  DFNS_ACTIVITIES_PER_SECOND: wholeNumber(1, 10_000, 'a whole number of activities per second').default(5),
  /** The Dfns budget in requests per second (a signed call costs 3, a read 1), shared by the cost-class queues. */
  DFNS_REQUESTS_PER_SECOND: wholeNumber(1, 10_000, 'a whole number of Dfns requests per second').default(15),
  // Wallet pools (src/pools): the pools file the API validates against and the worker routes by, and how long a
  // pool payment no wallet can pay waits for a refill before it fails.
  PAYMENT_POOLS_FILE: z.string().min(1).optional(),
  PAYMENT_POOL_REFILL_WAIT_MINUTES: wholeNumber(1, 525_600, 'a number of minutes').default(1440),
  // Which wallets and pools each client may pay from (src/clients); unset, nobody may pay from anything.
  PAYMENT_CLIENTS_FILE: z.string().min(1).optional(),
  // Polling timings the starters (the app, the CLI) give each new payment; unset, the workflow's production defaults
  // (src/contracts/payment-messages.ts DEFAULT_PAYMENT_TIMINGS) apply. Payments already running keep theirs.
  PAYMENT_FIRST_POLL_SECONDS: wholeNumber(1, 86_400, 'a number of seconds').optional(),
  PAYMENT_MAX_POLL_INTERVAL_SECONDS: wholeNumber(1, 604_800, 'a number of seconds').optional(),
  PAYMENT_APPROVAL_FIRST_POLL_SECONDS: wholeNumber(1, 86_400, 'a number of seconds').optional(),
  PAYMENT_APPROVAL_FAST_POLL_SECONDS: wholeNumber(1, 86_400, 'a number of seconds').optional(),
  PAYMENT_APPROVAL_FAST_WINDOW_MINUTES: wholeNumber(0, 525_600, 'a number of minutes').optional(),
  PAYMENT_APPROVAL_POLL_MINUTES: wholeNumber(1, 525_600, 'a number of minutes').optional(),
  PAYMENT_MAX_APPROVAL_POLL_MINUTES: wholeNumber(1, 525_600, 'a number of minutes').optional(),
  // Reconciliation against Dfns (src/reconciliation): the wallets and pools the worker schedules a reconciliation for,
  // how often, and how far back each run reads transfers again (keep it shorter than the namespace's retention).
  RECONCILIATION_WALLETS: list.optional(),
  RECONCILIATION_POOLS: list.optional(),
  RECONCILIATION_INTERVAL_MINUTES: wholeNumber(1, 525_600, 'a number of minutes').default(1440),
  RECONCILIATION_LOOKBACK_HOURS: wholeNumber(1, 8_760, 'a number of hours').default(168),
  CALLBACK_SIGNING_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  CALLBACK_SIGNING_SECRET_FILE: z.string().min(1).optional(),
  // Callback receivers (host or host:port) that may be plain http and may resolve to loopback or private addresses:
  // the operator's own, such as the dev stack's receiver. Every other callback goes to a public address over https.
  CALLBACK_ALLOWED_INSECURE_HOSTS: hostList.optional(),
  // Policies and approvals (src/policies, src/approvals): org-specific values the policy files leave open.
  DFNS_APPROVER_USER_IDS: list.optional(),
  PAYMENT_RECIPIENT_WHITELIST: list.optional(),
  POLICY_WALLET_IDS: list.optional(),
  POLICY_AUTO_REJECT_TIMEOUT_MINUTES: wholeNumber(1, 525_600, 'a number of minutes').default(1440),
  DFNS_APPROVER_AUTH_TOKEN: z.string().min(1).optional(),
  DFNS_APPROVER_AUTH_TOKEN_FILE: z.string().min(1).optional(),
  DFNS_APPROVER_CRED_ID: z.string().min(1).optional(),
  DFNS_APPROVER_PRIVATE_KEY: z.string().min(1).optional(),
  DFNS_APPROVER_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  // The payments API (src/api). Keys are configured as hashes only (`payments mint-key` prints the line).
  API_KEYS_FILE: z.string().min(1).optional(),
  API_KEY_ENTRY: z.string().min(1).optional(),
  API_RATE_LIMIT_PER_MINUTE: wholeNumber(1, 1_000_000, 'a whole number of requests per minute').default(600),
  // Failed authentications (401) per minute from one source address before the API answers 429 to that address.
  API_AUTH_FAILURES_PER_MINUTE: wholeNumber(
    1,
    1_000_000,
    'a whole number of failed authentications per minute',
  ).default(30),
  // The HMAC key that seals list cursors; unset, each process draws a random one (cursors then die with it).
  API_CURSOR_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  API_CURSOR_SECRET_FILE: z.string().min(1).optional(),
  // The `payments` CLI through the API instead of Temporal: `--api URL` (or PAYMENTS_API_URL) with this key.
  PAYMENTS_API_URL: z.url().optional(),
  PAYMENTS_API_KEY: z.string().min(1).optional(),
  PAYMENTS_API_KEY_FILE: z.string().min(1).optional(),
  // The client the CLI starts payments and batches for on Temporal directly; unset, they belong to no client.
  PAYMENTS_CLIENT_ID: z
    .string()
    .regex(CLIENT_ID_PATTERN, 'must be a client id: lower-case letters, digits and "-", at most 40')
    .optional(),
  // Observability (src/logger.ts, src/observability): log level, the worker's Prometheus endpoint, and how far ahead
  // an expiring approval is reported (the app's gauges count it from Temporal visibility).
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  WORKER_METRICS_ADDRESS: hostPort.default('127.0.0.1:9464'),
  // The app's Prometheus endpoint, on a listener of its own (never the API's port), and how long the payment gauges
  // reuse one round of Temporal visibility counts (0: every scrape counts).
  APP_METRICS_ADDRESS: hostPort.default('127.0.0.1:9465'),
  APP_METRICS_CACHE_SECONDS: wholeNumber(0, 3_600, 'a number of seconds').default(10),
  // The worker's memory budget (its container's limit): the workflow cache is sized to it, unless set outright.
  WORKER_MEMORY_MIB: wholeNumber(128, 1_048_576, 'a whole number of MiB').default(512),
  WORKER_MAX_CACHED_WORKFLOWS: wholeNumber(0, 1_000_000, 'a whole number of workflows').optional(),
  // The V8 heap limit of the worker's workflow thread; by default derived from the cache size.
  WORKER_WORKFLOW_HEAP_MIB: wholeNumber(64, 1_048_576, 'a whole number of MiB').optional(),
  // The Worker Deployment the worker runs a version of (src/temporal/worker-deployment.ts); unset: unversioned. The
  // version's build id is WORKER_BUILD_ID (set when the image is built), else the workflow bundle's hash.
  WORKER_DEPLOYMENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, "-" and "_" (at most 100)')
    .optional(),
  WORKER_BUILD_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, "-" and "_" (at most 100)')
    .optional(),
  // How long the worker waits for Temporal at start-up before it exits 1; unset: it waits as long as it takes.
  TEMPORAL_CONNECT_TIMEOUT_SECONDS: wholeNumber(1, 86_400, 'a number of seconds').optional(),
  APPROVAL_EXPIRY_WARNING_MINUTES: wholeNumber(1, 525_600, 'a number of minutes').default(60),
  CLI_LOG_FORMAT: z.enum(['text', 'json']).default('text'),
  // Tracing (src/observability/tracing.ts, docs/tracing.md), with OpenTelemetry's standard names: off unless an OTLP
  // endpoint is set; the sampler decides which payments' traces are kept.
  OTEL_SDK_DISABLED: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['http/protobuf', 'http/json']).default('http/protobuf'),
  OTEL_EXPORTER_OTLP_HEADERS: otlpHeaders.optional(),
  OTEL_EXPORTER_OTLP_HEADERS_FILE: z.string().min(1).optional(),
  OTEL_TRACES_SAMPLER: z.enum(OTEL_SAMPLERS).default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a ratio between 0 and 1')
    .transform(Number)
    .optional(),
  OTEL_RESOURCE_ATTRIBUTES: otlpHeaders.optional(),
  // Securing the Temporal connection (src/temporal/connection.ts checks how they combine), and the worker's bundle.
  // Names as the Temporal CLI reads them, so one environment serves the CLI, the worker and the app.
  TEMPORAL_TLS: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  TEMPORAL_TLS_CLIENT_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_CERT_DATA: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_KEY_DATA: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_API_KEY_FILE: z.string().min(1).optional(),
  TEMPORAL_WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  // The payload codec (src/temporal/encryption-codec.ts, docs/deployment.md): AES-256-GCM keys, one per line
  // (`keyId base64key`), the id of the one that encrypts, and whether to encrypt at all (false: decrypt only, the
  // first step of turning encryption on or off in a running deployment). Unset, payloads go to Temporal in clear.
  TEMPORAL_CODEC_KEYS_FILE: z.string().min(1).optional(),
  TEMPORAL_CODEC_KEY_ID: z.string().min(1).optional(),
  TEMPORAL_CODEC_ENCRYPT: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .default(true),
  // The app's codec endpoint for the Temporal Web UI and CLI (src/codec), on a listener of its own, never the API's.
  APP_CODEC_ADDRESS: hostPort.default('127.0.0.1:8789'),
});

/** Every variable the configuration reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/**
 * Secrets with a file form: `<NAME>_FILE` names a file (a Docker or Kubernetes secret) whose content, less one
 * trailing newline, is the value (an empty file: not set). loadConfig reads these files; the other secrets have file forms of their own,
 * read where they are used, and listed here with them.
 */
export const SECRET_FILE_FORMS = {
  DFNS_AUTH_TOKEN: 'DFNS_AUTH_TOKEN_FILE',
  DFNS_WEBHOOK_SECRETS: 'DFNS_WEBHOOK_SECRETS_FILE',
  CALLBACK_SIGNING_SECRET: 'CALLBACK_SIGNING_SECRET_FILE',
  DFNS_APPROVER_AUTH_TOKEN: 'DFNS_APPROVER_AUTH_TOKEN_FILE',
  API_CURSOR_SECRET: 'API_CURSOR_SECRET_FILE',
  PAYMENTS_API_KEY: 'PAYMENTS_API_KEY_FILE',
  TEMPORAL_API_KEY: 'TEMPORAL_API_KEY_FILE',
  // A trace backend's credentials travel in these headers.
  OTEL_EXPORTER_OTLP_HEADERS: 'OTEL_EXPORTER_OTLP_HEADERS_FILE',
} as const;

/** Secrets whose file form is read by the code that uses them (src/dfns, src/temporal/connection.ts). */
export const SECRET_FILE_FORMS_ELSEWHERE = {
  DFNS_PRIVATE_KEY: 'DFNS_PRIVATE_KEY_FILE',
  DFNS_APPROVER_PRIVATE_KEY: 'DFNS_APPROVER_PRIVATE_KEY_FILE',
  DFNS_PKCS11_PIN: 'DFNS_PKCS11_PIN_FILE',
  TEMPORAL_TLS_CLIENT_KEY_DATA: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
} as const;

/**
 * The parsed environment: the only view of process.env the project has. The Dfns credentials it points at are
 * resolved (and their files read) by src/dfns/credentials.ts.
 */
export type Config = Omit<z.infer<typeof envSchema>, 'DFNS_WEBHOOK_SECRETS'> & { DFNS_WEBHOOK_SECRETS?: string[] };

/** Thrown when the configuration cannot work; its message names every bad variable. Exit code 1. */
export class ConfigError extends ExpectedExit {
  override name = 'ConfigError';
}

/** Parses the environment once; call it from main entry points only and pass the result down. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set" (compose passes `${X:-}` through as ""), not "set to nothing".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse({ ...present, ...readSecretFiles(present) });
  if (!parsed.success) {
    const lines = toFieldErrors(parsed.error, { root: '(environment)' }).map((e) => `  ${e.field}: ${e.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * The values of the secrets given as files (SECRET_FILE_FORMS). A secret given both ways is refused, so that it is
 * clear which one is in force; an unreadable file is named with its variable, never with any content.
 */
function readSecretFiles(env: Record<string, string | undefined>): Record<string, string> {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const [name, fileName] of Object.entries(SECRET_FILE_FORMS)) {
    const file = env[fileName];
    if (file === undefined) continue;
    if (env[name] !== undefined) {
      problems.push(`  ${fileName}: set ${name} or ${fileName}, not both`);
      continue;
    }
    try {
      const value = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      // An empty file is "not set", as an empty variable is (compose mounts one where nothing is needed).
      if (value !== '') values[name] = value;
    } catch (error) {
      problems.push(`  ${fileName}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  return values;
}

/**
 * The environment a child process started by a script inherits, plus `extra`. Passing the environment through is
 * not reading it: the child parses its own with its own config module.
 */
export function childEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
