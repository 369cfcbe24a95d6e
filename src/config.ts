import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseHostEntry } from './callbacks/callback-hosts';
import { toFieldErrors } from './contracts/field-errors';
import { ExpectedExit } from './expected-exit';
import { CLIENT_ID_PATTERN } from './contracts/payment-id';
import { parseTravelRuleThresholds } from './contracts/travel-rule-requirement';

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

/** The processes and commands that read variables, as the configuration reference names them. */
export const CONFIG_READERS = [
  'worker',
  'server',
  'CLI',
  'dev',
  'demo',
  'policies',
  'approvals',
  'dfns-setup',
] as const;
export type ConfigReader = (typeof CONFIG_READERS)[number];

/** What the configuration reference (docs/configuration.md, generated) says about one variable. */
export type VariableDoc = {
  /** One or two sentences for the reference's "meaning" column. */
  description: string;
  /** Who reads it. */
  usedBy: readonly ConfigReader[];
  /** The default as the reference shows it, when the schema's default is absent (derived at run time) or unclear. */
  shownDefault?: string;
  /** It holds a secret: logs redact it (src/logger.ts) and compose gives it only to the process that uses it. */
  secret?: true;
};

const doc = (description: string, usedBy: readonly ConfigReader[], extra: Partial<VariableDoc> = {}): VariableDoc => ({
  description,
  usedBy,
  ...extra,
});
/** Everything that connects to Temporal. */
const TEMPORAL_CLIENTS: readonly ConfigReader[] = ['worker', 'server', 'CLI', 'dev'];
/** Everything that signs Dfns requests with the service account's key. */
const SIGNERS: readonly ConfigReader[] = ['worker', 'policies', 'approvals', 'dfns-setup'];

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
  TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233').meta(doc('Temporal frontend (host:port).', TEMPORAL_CLIENTS)),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default').meta(doc('Temporal namespace.', TEMPORAL_CLIENTS)),
  TEMPORAL_TASK_QUEUE: z
    .string()
    .min(1)
    .default('payments')
    .meta(
      doc('Task queue of the payment workflow; the cost-class queues are named after it.', ['worker', 'server', 'CLI']),
    ),
  TEMPORAL_UI_URL: z
    .url()
    .default('http://127.0.0.1:8233')
    .meta(
      doc(
        "Temporal Web UI base, for printed links; `npm run dev` serves the dev server's UI on its port. Its origin is the only one allowed to call the codec endpoint.",
        ['dev', 'CLI', 'server'],
      ),
    ),
  TEMPORAL_SDK_LOG_LEVEL: z
    .enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'])
    .default('WARN')
    .meta(doc("Level of the Temporal SDK's own log lines (worker lifecycle, Rust core).", ['worker'])),
  APP_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .meta(doc('Listen address of the app (payments API and webhook bridge).', ['server', 'dev'])),
  APP_PORT: port
    .default(8787)
    .meta(doc('Listen port of the app (payments API and webhook bridge).', ['server', 'dev'])),
  WEBHOOK_TOLERANCE_SECONDS: wholeNumber(1, 86_400, 'a number of seconds')
    .default(300)
    .meta(
      doc('Webhook deliveries whose `timestampSent` is further from now are refused (replay protection).', ['server']),
    ),
  DFNS_CREDENTIALS_FILE: z
    .string()
    .min(1)
    .default(DEFAULT_CREDENTIALS_FILE)
    .meta(
      doc('The credentials file the Dfns sandbox writes; used when `DFNS_AUTH_TOKEN` is not set.', [
        'worker',
        'server',
        'CLI',
        'dev',
        'demo',
        'policies',
        'approvals',
        'dfns-setup',
      ]),
    ),
  DFNS_BASE_URL: z
    .url()
    .optional()
    .meta(doc('Dfns API origin, e.g. `https://api.dfns.io`.', SIGNERS, { shownDefault: 'from the credentials file' })),
  DFNS_ORG_ID: z
    .string()
    .min(1)
    .optional()
    .meta(
      doc('Optional; the SDK then checks that the token belongs to this org.', SIGNERS, {
        shownDefault: 'from the credentials file',
      }),
    ),
  DFNS_AUTH_TOKEN: z
    .string()
    .min(1)
    .optional()
    .meta(
      doc(
        "The service account's token; setting it switches from the credentials file to the `DFNS_*` variables.",
        SIGNERS,
        {
          secret: true,
        },
      ),
    ),
  DFNS_AUTH_TOKEN_FILE: z.string().min(1).optional().meta(doc('… or a file holding it (a Docker secret).', SIGNERS)),
  DFNS_CRED_ID: z.string().min(1).optional().meta(doc("The service account's signing-key credential id.", SIGNERS)),
  DFNS_PRIVATE_KEY: z
    .string()
    .min(1)
    .optional()
    .meta(doc('Its private key (PEM; `\\n` escapes allowed) …', SIGNERS, { secret: true })),
  DFNS_PRIVATE_KEY_FILE: z.string().min(1).optional().meta(doc('… or a path to the PEM file.', SIGNERS)),
  // Where the service account's signing key lives (src/dfns/signing-key.ts, docs/hsm.md): a PEM key (the two
  // variables above, or the sandbox credentials file), or a PKCS#11 token that never lets the key out.
  DFNS_SIGNER: z
    .enum(['pem', 'pkcs11'])
    .default('pem')
    .meta(
      doc(
        "Where the service account's key is: `pem` (the two variables above, or the credentials file) or `pkcs11` (an HSM; [hsm.md](hsm.md)).",
        SIGNERS,
      ),
    ),
  DFNS_PKCS11_MODULE: z
    .string()
    .min(1)
    .optional()
    .meta(doc("With `pkcs11`: path to the token vendor's PKCS#11 library (`.so`).", SIGNERS)),
  DFNS_PKCS11_TOKEN_LABEL: z
    .string()
    .min(1)
    .max(32, 'must be at most 32 characters (a PKCS#11 token label)')
    .optional()
    .meta(doc("… the token's label …", SIGNERS)),
  DFNS_PKCS11_SLOT: z
    .string()
    .regex(/^\d{1,20}$/, 'must be a slot id (decimal digits)')
    .optional()
    .meta(doc('… or its slot id (decimal) instead.', SIGNERS)),
  DFNS_PKCS11_KEY_LABEL: z
    .string()
    .min(1)
    .default('dfns-service-account')
    .meta(doc('… the label of the key pair in the token.', SIGNERS)),
  DFNS_PKCS11_PIN: z
    .string()
    .min(1)
    .optional()
    .meta(doc("… the token user's PIN …", SIGNERS, { secret: true })),
  DFNS_PKCS11_PIN_FILE: z.string().min(1).optional().meta(doc('… or a file holding it.', SIGNERS)),
  DFNS_WEBHOOK_SECRETS: list.optional().meta(
    doc('Webhook secret(s), comma-separated during a rotation.', ['server'], {
      shownDefault: 'from the credentials file',
      secret: true,
    }),
  ),
  DFNS_WEBHOOK_SECRETS_FILE: z
    .string()
    .min(1)
    .optional()
    .meta(doc('… or a file holding them, one per line or comma-separated.', ['server'])),
  DFNS_WALLET_ID: z
    .string()
    .min(1)
    .optional()
    .meta(
      doc('The wallet `payments pay` pays from when neither `--wallet` nor `--pool` is given.', ['CLI'], {
        shownDefault: "the credentials file's wallet",
      }),
    ),
  // The org's Dfns budget in requests per minute (src/dfns/dfns-budget.ts derives every Dfns rate from it); unset:
  // DFNS_DEFAULT_REQUESTS_PER_MINUTE, the limit Dfns documents for an org. The two per-second settings it replaced
  // are deprecated: still read when set alone (the worker logs a warning).
  DFNS_REQUESTS_PER_MINUTE: wholeNumber(1, 600_000, 'a whole number of Dfns requests per minute')
    .optional()
    .meta(
      doc(
        "The org's Dfns budget in requests a minute (a signed call costs 3, a read 1): every worker's cost-class queues share it (signed 80 %, reads 10 %, escalation 3 %), and the approvals and policies CLIs keep to the operators' 5 %.",
        ['worker', 'policies', 'approvals'],
        { shownDefault: '`1000` (the limit Dfns documents per org)' },
      ),
    ),
  DFNS_REQUESTS_PER_SECOND: wholeNumber(1, 10_000, 'a whole number of Dfns requests per second')
    .optional()
    .meta(
      doc('Deprecated: the budget a second, read only when `DFNS_REQUESTS_PER_MINUTE` is not set (logged).', [
        'worker',
        'policies',
        'approvals',
      ]),
    ),
  DFNS_ACTIVITIES_PER_SECOND: wholeNumber(1, 10_000, 'a whole number of activities per second')
    .optional()
    .meta(
      doc(
        'Deprecated: a rate limit on the payment task queue itself, read only when `DFNS_REQUESTS_PER_MINUTE` is not set (logged); setting both budgets is a configuration error.',
        ['worker'],
      ),
    ),
  // Wallet pools (src/pools): the pools file the API validates against and the worker routes by, and how long a
  // pool payment no wallet can pay waits for a refill before it fails.
  PAYMENT_POOLS_FILE: z
    .string()
    .min(1)
    .optional()
    .meta(
      doc('The wallet pools file ([pools-and-batches.md](pools-and-batches.md)); unset: no pools.', [
        'worker',
        'server',
        'CLI',
        'dev',
      ]),
    ),
  PAYMENT_POOL_REFILL_WAIT_MINUTES: wholeNumber(1, 525_600, 'a number of minutes')
    .default(1440)
    .meta(doc('How long a pool payment that no wallet can cover waits for a refill, then fails.', ['worker'])),
  // Which wallets and pools each client may pay from (src/clients); unset, nobody may pay from anything.
  PAYMENT_CLIENTS_FILE: z
    .string()
    .min(1)
    .optional()
    .meta(
      doc(
        'Which wallets and pools each client may pay from ([clients.md](clients.md)); unset: nobody may pay from anything.',
        ['worker', 'server', 'CLI', 'dev'],
        {
          shownDefault: '— (`npm run dev` writes one)',
        },
      ),
    ),
  // From which amount, per asset, every payment must carry Travel Rule data: NETWORK:ASSET=AMOUNT,… (a client's
  // own thresholds in the clients file apply too). Unset, only the clients file's apply.
  TRAVEL_RULE_REQUIRED_FROM: z
    .string()
    .transform((text, ctx) => {
      try {
        return parseTravelRuleThresholds(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .optional()
    .meta(
      doc(
        "From which amount every payment of an asset must carry Travel Rule data: comma-separated `NETWORK:ASSET=AMOUNT` entries in minimum units ([compliance.md](compliance.md)); a client's own thresholds in the clients file apply too.",
        ['server', 'CLI'],
        { shownDefault: "— (only the clients file's thresholds)" },
      ),
    ),
  // Polling timings the starters (the app, the CLI) give each new payment; unset, the workflow's production defaults
  // (src/contracts/payment-messages.ts DEFAULT_PAYMENT_TIMINGS) apply. Payments already running keep theirs.
  PAYMENT_FIRST_POLL_SECONDS: wholeNumber(1, 86_400, 'a number of seconds')
    .optional()
    .meta(
      doc('A payment with no news reads Dfns this long after its last change …', ['server', 'CLI'], {
        shownDefault: '`60`',
      }),
    ),
  PAYMENT_MAX_POLL_INTERVAL_SECONDS: wholeNumber(1, 604_800, 'a number of seconds')
    .optional()
    .meta(
      doc("… backing off to this (the network's confirmation time brings the first read forward).", ['server', 'CLI'], {
        shownDefault: '`600`',
      }),
    ),
  PAYMENT_APPROVAL_FIRST_POLL_SECONDS: wholeNumber(1, 86_400, 'a number of seconds')
    .optional()
    .meta(
      doc('A payment waiting for an approval first reads it after this …', ['server', 'CLI'], { shownDefault: '`30`' }),
    ),
  PAYMENT_APPROVAL_FAST_POLL_SECONDS: wholeNumber(1, 86_400, 'a number of seconds')
    .optional()
    .meta(
      doc(
        '… doubling up to this during the fast window, so a decision whose webhooks are lost is noticed within it …',
        ['server', 'CLI'],
        {
          shownDefault: '`100`',
        },
      ),
    ),
  PAYMENT_APPROVAL_FAST_WINDOW_MINUTES: wholeNumber(0, 525_600, 'a number of minutes')
    .optional()
    .meta(
      doc('… for this long after the approval was asked (`0`: no fast window) …', ['server', 'CLI'], {
        shownDefault: '`30`',
      }),
    ),
  PAYMENT_APPROVAL_POLL_MINUTES: wholeNumber(1, 525_600, 'a number of minutes')
    .optional()
    .meta(doc('… then every this many minutes …', ['server', 'CLI'], { shownDefault: '`15`' })),
  PAYMENT_MAX_APPROVAL_POLL_MINUTES: wholeNumber(1, 525_600, 'a number of minutes')
    .optional()
    .meta(doc('… backing off to this while nothing changes.', ['server', 'CLI'], { shownDefault: '`240`' })),
  // Reconciliation against Dfns (src/reconciliation): the wallets and pools the worker schedules a reconciliation for,
  // how often, and how far back each run reads transfers again (keep it shorter than the namespace's retention).
  RECONCILIATION_WALLETS: list
    .optional()
    .meta(
      doc(
        'Wallets (comma-separated) reconciled against Dfns on a Temporal Schedule ([reconciliation.md](reconciliation.md)).',
        ['worker'],
      ),
    ),
  RECONCILIATION_POOLS: list
    .optional()
    .meta(doc('Pools (from the pools file) whose wallets are reconciled together on a Schedule.', ['worker'])),
  RECONCILIATION_INTERVAL_MINUTES: wholeNumber(1, 525_600, 'a number of minutes')
    .default(1440)
    .meta(doc('How often each scheduled reconciliation runs.', ['worker'])),
  RECONCILIATION_LOOKBACK_HOURS: wholeNumber(1, 8_760, 'a number of hours')
    .default(168)
    .meta(
      doc("How far back each run reads settled transfers again; shorter than the namespace's retention.", [
        'worker',
        'server',
        'CLI',
      ]),
    ),
  CALLBACK_SIGNING_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .meta(
      doc(
        'HMAC secret of the outcome callbacks (16+ characters); without it none are sent ([callbacks.md](callbacks.md)).',
        ['worker'],
        {
          secret: true,
        },
      ),
    ),
  CALLBACK_SIGNING_SECRET_FILE: z
    .string()
    .min(1)
    .optional()
    .meta(doc('… or a file holding it (a Docker secret).', ['worker'])),
  // Callback receivers (host or host:port) that may be plain http and may resolve to loopback or private addresses:
  // the operator's own, such as the dev stack's receiver. Every other callback goes to a public address over https.
  CALLBACK_ALLOWED_INSECURE_HOSTS: hostList
    .optional()
    .meta(
      doc(
        'Comma-separated `host` or `host:port` callback receivers that may be plain http and resolve to loopback or private addresses; all others must be https to a public address.',
        ['worker', 'server'],
      ),
    ),
  // Policies and approvals (src/policies, src/approvals): org-specific values the policy files leave open.
  DFNS_APPROVER_USER_IDS: list.optional().meta(
    doc('Approver user ids (`us-…`, comma-separated) for `{"$org": "approvers"}` in the policy files.', ['policies'], {
      shownDefault: "the credentials file's approvers",
    }),
  ),
  // The compliance group that decides on transfers KYT screening holds for approval (policies/compliance.json).
  DFNS_COMPLIANCE_APPROVER_USER_IDS: list
    .optional()
    .meta(
      doc(
        'Compliance group user ids (`us-…`, comma-separated) for `{"$org": "complianceApprovers"}` in the compliance policy set ([compliance.md](compliance.md)).',
        ['policies'],
        { shownDefault: "the credentials file's approvers, last first" },
      ),
    ),
  PAYMENT_RECIPIENT_WHITELIST: list.optional().meta(
    doc(
      'Recipient addresses (comma-separated); empty: the whitelist policy triggers for every transfer.',
      ['policies'],
      {
        shownDefault: 'empty',
      },
    ),
  ),
  POLICY_WALLET_IDS: list.optional().meta(
    doc('Wallets the policies apply to (comma-separated); unset with a real org: every wallet.', ['policies'], {
      shownDefault: "the credentials file's wallets",
    }),
  ),
  POLICY_AUTO_REJECT_TIMEOUT_MINUTES: wholeNumber(1, 525_600, 'a number of minutes')
    .default(1440)
    .meta(
      doc('Minutes before an undecided approval is rejected; the app also reads it for the expiring-approval gauge.', [
        'policies',
        'server',
      ]),
    ),
  DFNS_APPROVER_AUTH_TOKEN: z
    .string()
    .min(1)
    .optional()
    .meta(doc("A human approver's token (never the service account's) …", ['approvals'], { secret: true })),
  DFNS_APPROVER_AUTH_TOKEN_FILE: z
    .string()
    .min(1)
    .optional()
    .meta(doc('… or a file holding it …', ['approvals'])),
  DFNS_APPROVER_CRED_ID: z
    .string()
    .min(1)
    .optional()
    .meta(doc('… its signing-key credential id …', ['approvals'])),
  DFNS_APPROVER_PRIVATE_KEY: z
    .string()
    .min(1)
    .optional()
    .meta(doc('… and its private key (PEM; `\\n` escapes allowed) …', ['approvals'], { secret: true })),
  DFNS_APPROVER_PRIVATE_KEY_FILE: z
    .string()
    .min(1)
    .optional()
    .meta(doc('… or a path to the PEM file.', ['approvals'])),
  // The payments API (src/api). Keys are configured as hashes only (`payments mint-key` prints the line).
  API_KEYS_FILE: z
    .string()
    .min(1)
    .optional()
    .meta(
      doc(
        'API keys, one `keyId clientId scopes sha256` line each (`payments mint-key` prints it; `#` comments).',
        ['server'],
        {
          shownDefault: '— (`npm run dev` writes one with its development key)',
        },
      ),
    ),
  API_KEY_ENTRY: z
    .string()
    .min(1)
    .optional()
    .meta(doc("One more such line, for a single key from the environment (compose's `.env`).", ['server'])),
  API_RATE_LIMIT_PER_MINUTE: wholeNumber(1, 1_000_000, 'a whole number of requests per minute')
    .default(600)
    .meta(doc('Requests per minute per API key (per process).', ['server'])),
  // Failed authentications (401) per minute from one source address before the API answers 429 to that address.
  API_AUTH_FAILURES_PER_MINUTE: wholeNumber(1, 1_000_000, 'a whole number of failed authentications per minute')
    .default(30)
    .meta(
      doc(
        'Failed authentications (401) per minute from one source address before that address gets 429 (per process; keys that verify are never counted).',
        ['server'],
      ),
    ),
  // The HMAC key that seals list cursors; unset, each process draws a random one (cursors then die with it).
  API_CURSOR_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .meta(
      doc(
        'HMAC key (32+ characters) that seals list cursors; set the same value on every replica, or cursors fail after a restart and across replicas.',
        ['server'],
        { shownDefault: 'random per process', secret: true },
      ),
    ),
  API_CURSOR_SECRET_FILE: z
    .string()
    .min(1)
    .optional()
    .meta(doc('… or a file holding it (a Docker secret).', ['server'])),
  // The `payments` CLI through the API instead of Temporal: `--api URL` (or PAYMENTS_API_URL) with this key.
  PAYMENTS_API_URL: z
    .url()
    .optional()
    .meta(doc('Go through the payments API instead of Temporal (as `--api URL` does).', ['CLI', 'demo'])),
  PAYMENTS_API_KEY: z
    .string()
    .min(1)
    .optional()
    .meta(doc('The API key the CLI sends in `--api` mode.', ['CLI', 'demo'], { secret: true })),
  PAYMENTS_API_KEY_FILE: z
    .string()
    .min(1)
    .optional()
    .meta(doc('… or a file holding it (a Docker secret).', ['CLI', 'demo'])),
  // The client the CLI starts payments and batches for on Temporal directly; unset, they belong to no client.
  PAYMENTS_CLIENT_ID: z
    .string()
    .regex(CLIENT_ID_PATTERN, 'must be a client id: lower-case letters, digits and "-", at most 40')
    .optional()
    .meta(
      doc("The client the CLI's payments and batches on Temporal belong to (`payment:<client>:<key>`); unset: none.", [
        'CLI',
      ]),
    ),
  // Observability (src/logger.ts, src/observability): log level, the worker's Prometheus endpoint, and how far ahead
  // an expiring approval is reported (the app's gauges count it from Temporal visibility).
  LOG_LEVEL: z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
    .default('info')
    .meta(doc("pino level of the processes' logs and of the workflows' and activities' lines.", ['worker', 'server'])),
  WORKER_METRICS_ADDRESS: hostPort
    .default('127.0.0.1:9464')
    .meta(
      doc("host:port of the worker's Prometheus endpoint (`/metrics`); `0.0.0.0:9464` in a container.", [
        'worker',
        'dev',
      ]),
    ),
  // The app's Prometheus endpoint, on a listener of its own (never the API's port), and how long the payment gauges
  // reuse one round of Temporal visibility counts (0: every scrape counts).
  APP_METRICS_ADDRESS: hostPort
    .default('127.0.0.1:9465')
    .meta(
      doc(
        "host:port of the app's Prometheus endpoint (`/metrics`), a listener of its own: the API's port serves no metrics; `0.0.0.0:9465` in a container, unpublished.",
        ['server', 'dev'],
      ),
    ),
  APP_METRICS_CACHE_SECONDS: wholeNumber(0, 3_600, 'a number of seconds')
    .default(10)
    .meta(
      doc('How long one round of Temporal visibility counts serves the payment gauges (`0`: every scrape counts).', [
        'server',
      ]),
    ),
  // The worker's memory budget (its container's limit): the workflow cache is sized to it, unless set outright.
  WORKER_MEMORY_MIB: wholeNumber(128, 1_048_576, 'a whole number of MiB')
    .default(512)
    .meta(
      doc(
        "Memory the worker may use (its container's limit); the workflow cache is sized to it: (MiB − 320) / 0.5 workflows, 384 at 512.",
        ['worker'],
      ),
    ),
  WORKER_MAX_CACHED_WORKFLOWS: wholeNumber(0, 1_000_000, 'a whole number of workflows')
    .optional()
    .meta(
      doc(
        'The workflow cache size outright (`0`: no cache, every task replays); evicted payments replay their history when woken.',
        ['worker'],
        {
          shownDefault: 'from `WORKER_MEMORY_MIB`',
        },
      ),
    ),
  // The V8 heap limit of the worker's workflow thread; by default derived from the cache size.
  WORKER_WORKFLOW_HEAP_MIB: wholeNumber(64, 1_048_576, 'a whole number of MiB')
    .optional()
    .meta(
      doc(
        'V8 old-space limit of the workflow thread: 1.5 × (32 + 0.35 × cache) MiB, at least 256; raise it if a worker logs a heap out-of-memory.',
        ['worker'],
        { shownDefault: 'from the cache size' },
      ),
    ),
  // What the worker's start-up reads to set its own limits (src/worker-launch.ts): an operator's --max-old-space-size in
  // NODE_OPTIONS and MALLOC_ARENA_MAX are kept as given; WORKER_RELAUNCHED marks the process the worker started itself
  // with its limits, which never starts another.
  NODE_OPTIONS: z
    .string()
    .optional()
    .meta(
      doc("Node's own options; a `--max-old-space-size` in it is kept as the worker's heap limit.", ['worker'], {
        shownDefault: 'the worker sets its own limits',
      }),
    ),
  MALLOC_ARENA_MAX: wholeNumber(1, 1024, 'a whole number of malloc arenas')
    .optional()
    .meta(doc("glibc's malloc arenas; the worker uses 2 when it is not set.", ['worker'], { shownDefault: '`2`' })),
  WORKER_RELAUNCHED: z
    .literal('1', 'set only by the worker itself, to 1')
    .optional()
    .meta(
      doc('Set by the worker itself on the process it starts again with its memory limits; never set it.', ['worker']),
    ),
  // The Worker Deployment the worker runs a version of (src/temporal/worker-deployment.ts); unset: unversioned. The
  // version's build id is WORKER_BUILD_ID (set when the image is built), else the workflow bundle's hash.
  WORKER_DEPLOYMENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, "-" and "_" (at most 100)')
    .optional()
    .meta(
      doc(
        'Run as a version of this Temporal Worker Deployment: payments stay on the version that started them ([operations.md](operations.md)).',
        ['worker'],
        { shownDefault: 'unset (unversioned)' },
      ),
    ),
  WORKER_BUILD_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, "-" and "_" (at most 100)')
    .optional()
    .meta(
      doc(
        "The version's build id (the image's `WORKER_BUILD_ID` build argument); needs `WORKER_DEPLOYMENT_NAME`.",
        ['worker'],
        {
          shownDefault: "the workflow bundle's hash",
        },
      ),
    ),
  // How long the worker waits for Temporal at start-up before it exits 1; unset: it waits as long as it takes.
  TEMPORAL_CONNECT_TIMEOUT_SECONDS: wholeNumber(1, 86_400, 'a number of seconds')
    .optional()
    .meta(
      doc(
        'At start-up the worker retries Temporal with capped backoff (0.5 s doubling to 30 s); set this to exit 1 after so long instead.',
        ['worker'],
        {
          shownDefault: 'wait forever',
        },
      ),
    ),
  APPROVAL_EXPIRY_WARNING_MINUTES: wholeNumber(1, 525_600, 'a number of minutes')
    .default(60)
    .meta(doc('How far ahead `payment_approvals_expiring_soon` counts approvals.', ['server'])),
  CLI_LOG_FORMAT: z
    .enum(['text', 'json'])
    .default('text')
    .meta(
      doc('`json`: CLI errors are pino lines on stderr (command, exit code).', [
        'CLI',
        'policies',
        'approvals',
        'dfns-setup',
      ]),
    ),
  // Tracing (src/observability/tracing.ts, docs/tracing.md), with OpenTelemetry's standard names: off unless an OTLP
  // endpoint is set; the sampler decides which payments' traces are kept.
  OTEL_SDK_DISABLED: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .meta(
      doc('`true` turns tracing off even with an endpoint set.', ['worker', 'server'], { shownDefault: '`false`' }),
    ),
  OTEL_SERVICE_NAME: z
    .string()
    .min(1)
    .optional()
    .meta(
      doc("The service name on the process's spans.", ['worker', 'server'], {
        shownDefault: '`payments-worker` / `payments-api`',
      }),
    ),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url()
    .optional()
    .meta(
      doc(
        'OTLP/HTTP base URL traces are sent to (`/v1/traces` is appended); unset, nothing is traced ([tracing.md](tracing.md)).',
        ['worker', 'server'],
        {
          shownDefault: 'unset (tracing off)',
        },
      ),
    ),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z
    .url()
    .optional()
    .meta(doc('Full OTLP/HTTP traces URL, used as given instead of the base endpoint.', ['worker', 'server'])),
  OTEL_EXPORTER_OTLP_PROTOCOL: z
    .enum(['http/protobuf', 'http/json'])
    .default('http/protobuf')
    .meta(doc('`http/protobuf` or `http/json`.', ['worker', 'server'])),
  OTEL_EXPORTER_OTLP_HEADERS: otlpHeaders
    .optional()
    .meta(
      doc("`key=value,…` headers sent with each export (a backend's token).", ['worker', 'server'], { secret: true }),
    ),
  OTEL_EXPORTER_OTLP_HEADERS_FILE: z
    .string()
    .min(1)
    .optional()
    .meta(doc('… or a file holding them (an empty file: none).', ['worker', 'server'])),
  OTEL_TRACES_SAMPLER: z
    .enum(OTEL_SAMPLERS)
    .default('parentbased_always_on')
    .meta(doc(`Which traces are kept: ${OTEL_SAMPLERS.map((s) => '`' + s + '`').join(', ')}.`, ['worker', 'server'])),
  OTEL_TRACES_SAMPLER_ARG: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a ratio between 0 and 1')
    .transform(Number)
    .optional()
    .meta(doc('The ratio (0–1) of the `traceidratio` samplers.', ['worker', 'server'], { shownDefault: '`1`' })),
  OTEL_RESOURCE_ATTRIBUTES: otlpHeaders
    .optional()
    .meta(
      doc("`key=value,…` attributes added to every span's resource (e.g. `deployment.environment=prod`).", [
        'worker',
        'server',
      ]),
    ),
  // Securing the Temporal connection (src/temporal/connection.ts checks how they combine), and the worker's bundle.
  // Names as the Temporal CLI reads them, so one environment serves the CLI, the worker and the app.
  TEMPORAL_TLS: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .meta(
      doc(
        '`true`: TLS with the system roots; `false`: plaintext (refused with TLS settings or an API key).',
        TEMPORAL_CLIENTS,
        {
          shownDefault: 'on when any TLS setting or an API key is set',
        },
      ),
    ),
  TEMPORAL_TLS_CLIENT_CERT_PATH: z
    .string()
    .min(1)
    .optional()
    .meta(doc('mTLS client certificate (PEM file) …', TEMPORAL_CLIENTS)),
  TEMPORAL_TLS_CLIENT_CERT_DATA: z
    .string()
    .min(1)
    .optional()
    .meta(doc('… or the PEM itself (`\\n` escapes allowed); never both.', TEMPORAL_CLIENTS)),
  TEMPORAL_TLS_CLIENT_KEY_PATH: z
    .string()
    .min(1)
    .optional()
    .meta(doc('Its private key (PEM file; must match the certificate) …', TEMPORAL_CLIENTS)),
  TEMPORAL_TLS_CLIENT_KEY_DATA: z
    .string()
    .min(1)
    .optional()
    .meta(doc('… or the PEM itself.', TEMPORAL_CLIENTS, { secret: true })),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: z
    .string()
    .min(1)
    .optional()
    .meta(
      doc("CA that signed the server's certificate (PEM file) …", TEMPORAL_CLIENTS, { shownDefault: 'system roots' }),
    ),
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: z
    .string()
    .min(1)
    .optional()
    .meta(doc('… or the PEM itself.', TEMPORAL_CLIENTS, { shownDefault: 'system roots' })),
  TEMPORAL_TLS_SERVER_NAME: z
    .string()
    .min(1)
    .optional()
    .meta(
      doc(
        "Name the server's certificate must carry (SNI and verification), when it differs from the address.",
        TEMPORAL_CLIENTS,
        {
          shownDefault: 'host of `TEMPORAL_ADDRESS`',
        },
      ),
    ),
  TEMPORAL_API_KEY: z
    .string()
    .min(1)
    .optional()
    .meta(doc('Temporal Cloud API key (sent as a bearer token; turns TLS on).', TEMPORAL_CLIENTS, { secret: true })),
  TEMPORAL_API_KEY_FILE: z
    .string()
    .min(1)
    .optional()
    .meta(doc('… or a file holding it (a Docker secret).', TEMPORAL_CLIENTS)),
  TEMPORAL_WORKFLOW_BUNDLE_PATH: z
    .string()
    .min(1)
    .optional()
    .meta(
      doc(
        'A prebuilt workflow bundle (`npm run build` writes `dist/workflow-bundle.js`; the image sets it).',
        ['worker'],
        {
          shownDefault: 'bundled at start-up',
        },
      ),
    ),
  // The payload codec (src/temporal/encryption-codec.ts, docs/deployment.md): AES-256-GCM keys, one per line
  // (`keyId base64key`), the id of the one that encrypts, and whether to encrypt at all (false: decrypt only, the
  // first step of turning encryption on or off in a running deployment). Unset, payloads go to Temporal in clear.
  TEMPORAL_CODEC_KEYS_FILE: z
    .string()
    .min(1)
    .optional()
    .meta(
      doc(
        'Payload codec keys, one `keyId base64key` line each (AES-256); set, every payload is encrypted before it reaches Temporal ([deployment.md](deployment.md#payload-encryption)); unset, payloads are stored in clear.',
        TEMPORAL_CLIENTS,
        { shownDefault: '— (`npm run dev`: `.local/codec-keys`)' },
      ),
    ),
  TEMPORAL_CODEC_KEY_ID: z
    .string()
    .min(1)
    .optional()
    .meta(
      doc('The codec key that encrypts; the others only decrypt (rotation).', TEMPORAL_CLIENTS, {
        shownDefault: "the keys file's only key",
      }),
    ),
  TEMPORAL_CODEC_ENCRYPT: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .default(true)
    .meta(
      doc(
        '`false`: decrypt only, the step that gives every process the keys before any encrypts (or stops encrypting).',
        TEMPORAL_CLIENTS,
        { shownDefault: '`true`' },
      ),
    ),
  // The app's codec endpoint for the Temporal Web UI and CLI (src/codec), on a listener of its own, never the API's.
  APP_CODEC_ADDRESS: hostPort
    .default('127.0.0.1:8789')
    .meta(
      doc(
        'host:port of the codec endpoint (`/codec/decode`, `/codec/encode`, `/codec/session`) for the Web UI and the CLI, a listener of its own; served when codec keys are set.',
        ['server', 'dev'],
      ),
    ),
});

/** Every variable the orchestrator reads, with its schema (which carries its {@link VariableDoc} as metadata). */
export const CONFIG_VARIABLES = envSchema.shape;

/** The reference entry of a variable, as its schema carries it. */
export function variableDoc(name: keyof typeof CONFIG_VARIABLES): VariableDoc {
  return CONFIG_VARIABLES[name].meta() as unknown as VariableDoc;
}

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

/** The Dfns budget is one setting: the per-minute one and the deprecated per-second one must not both be set. */
function oneDfnsBudget(
  env: { DFNS_REQUESTS_PER_MINUTE?: number; DFNS_REQUESTS_PER_SECOND?: number },
  ctx: z.RefinementCtx,
) {
  if (env.DFNS_REQUESTS_PER_MINUTE === undefined || env.DFNS_REQUESTS_PER_SECOND === undefined) return;
  ctx.addIssue({
    code: 'custom',
    path: ['DFNS_REQUESTS_PER_SECOND'],
    message: 'deprecated: DFNS_REQUESTS_PER_MINUTE replaces it; set only DFNS_REQUESTS_PER_MINUTE',
  });
}

/** Parses the environment once; call it from main entry points only and pass the result down. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set" (compose passes `${X:-}` through as ""), not "set to nothing".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.superRefine(oneDfnsBudget).safeParse({ ...present, ...readSecretFiles(present) });
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
