import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { FEE_SPONSOR_NETWORKS, NETWORK_NAMES } from '../contracts/networks';
import { parsePaymentRequest } from '../client/payment-client';
import {
  OperatorActionRefusedError,
  PaymentConflictError,
  PaymentNotFoundError,
  PaymentValidationError,
} from '../client/payment-errors';
import { PAYMENT_STATUSES, type PaymentStatus } from '../contracts/payment-status';
import { ConfigError, type Config } from '../config';
import { resolveDefaultWalletId } from '../dfns/credentials';
import { paymentSummary } from '../contracts/payment-summary';
import { apiGateway } from './api-gateway';
import { batchCommand, BatchRowsError } from './batch-command';
import { BatchConflictError } from './batch-gateway';
import { EXIT, EXIT_CODES_HELP } from './exit-codes';
import { followPayment, formatTimelineEntry } from './follow-payment';
import { localPayerCheck } from './local-payer-check';
import { mintKey } from './mint-key';
import { exportCommand } from './export-command';
import { reconcileCommand } from './reconcile-command';
import { AcknowledgeRefusedError, ReconciliationNotFoundError } from './reconcile-gateway';
import { ApiAccessError, UnavailableError, type PaymentsGateway, type ShownPayment } from './payments-gateway';
import { parseCommandArgs } from './parse-command-args';
import { runCli, UsageError, type CommandHelp } from './run-cli';
import { connectTemporalGateway } from './temporal-gateway';

const USAGE = `usage:
  payments pay --key KEY --network NETWORK --to ADDRESS --amount MIN_UNITS
               [--asset native|erc20:CONTRACT|trc20:CONTRACT|spl:MINT|spl2022:MINT]
               [--create-destination-account yes|no] [--allow-owner-off-curve]
               [--symbol SYMBOL --decimals N] [--fee-sponsor FEE_SPONSOR_ID] [--wallet WALLET_ID | --pool POOL]
               [--reference TEXT] [--travel-rule FILE.json] [--no-follow]
  payments status|get PAYMENT_ID|KEY
  payments wait PAYMENT_ID|KEY
  payments list [--status STATUS] [--stuck] [--limit N]
  payments cancel PAYMENT_ID|KEY --reason TEXT [--operator NAME]
  payments retry PAYMENT_ID|KEY [--reason TEXT] [--operator NAME]
  payments speed-up PAYMENT_ID|KEY [--reason TEXT] [--operator NAME]
  payments batch FILE.csv --key BATCH_KEY [--concurrency N] [--report REPORT.csv] [--no-follow]
  payments reconcile WALLET_ID|pool:NAME [--run [--full] [--wait SECONDS] [--operator NAME]] [--csv]
  payments reconcile ack WALLET_ID|pool:NAME --finding FINDING_ID --reason TEXT [--operator NAME]
  payments reconcile list
  payments export --from TIME --to TIME [--client CLIENT_ID] [--out FILE.csv]
  payments mint-key --client CLIENT_ID [--scopes SCOPE,…]   (default payments:write,payments:read,payments:operate;
                    an operator's key adds reconciliations:read,reconciliations:operate)
  payments mint-key --client ops --scopes payloads:decode   (an operator's key for the codec endpoint)

  COMMAND --help (or help COMMAND) explains a command, with an example.
  Every command takes --json (one JSON document on stdout; errors as JSON on stderr) and
  --api URL (or PAYMENTS_API_URL): go through the payments API with the key in PAYMENTS_API_KEY,
  instead of Temporal. Through the API, name payments by their id (payment:<client>:<key>).

  --amount is an integer in the asset's minimum units (wei, sun, lamports, satoshis; 1000000 for 1 USDC or USDT).
  --create-destination-account is required with spl and spl2022: whether Dfns may open the recipient's token
    account. With yes, a recipient off the ed25519 curve (a program-derived address) is refused unless
    --allow-owner-off-curve says it is a program you control (a multisig vault).
  --symbol and --decimals describe a token the orchestrator does not know; a known token's own are used.
  --fee-sponsor pays the network fee from a Dfns fee sponsor (${FEE_SPONSOR_NETWORKS.join(', ')}).
  --travel-rule sends Travel Rule data (Notabene: kind, originator, beneficiary in IVMS101, beneficiaryVASPdid)
    from a JSON file with the transfer; required at or above the amounts of TRAVEL_RULE_REQUIRED_FROM and the
    client's travelRule.requiredFrom. Its contents are never printed or logged.
  --wallet defaults to DFNS_WALLET_ID, else the sandbox's funded wallet; --pool names a wallet pool instead
    (PAYMENT_POOLS_FILE), which picks the wallet. On Temporal, payments belong to PAYMENTS_CLIENT_ID (payment ids
    payment:<client>:<key>), or to no client when it is unset, and pay only from what PAYMENT_CLIENTS_FILE binds
    to it.
  batch: FILE.csv has a header line (key,walletId,network,asset,to,amount[,reference,…]); every row is checked
  first and nothing starts while any is bad. It shows a progress bar, then the report (exit 0: every row Confirmed).
  reconcile: shows the reconciliation of a wallet (or a pool's wallets) against Dfns: its findings (transfers sent
  outside the orchestrator, outcomes Dfns reports differently, duplicate transfers, balance drift) and latest run;
  --run runs it now, --csv prints the findings as CSV. Exit 2 while findings are open; ack records who and why.
  export: one CSV row per payment that moved money and closed in [--from, --to) (ISO 8601), to --out or stdout.
  networks: ${NETWORK_NAMES.join(', ')}

${EXIT_CODES_HELP}`;

/** The CLI flag for each request field, so validation errors name what the user typed. */
const FLAG_FOR_FIELD: Record<string, string> = {
  idempotencyKey: '--key',
  'Idempotency-Key': '--key',
  walletId: '--wallet',
  pool: '--pool',
  network: '--network',
  to: '--to',
  amount: '--amount',
  asset: '--asset',
  'asset.kind': '--asset',
  'asset.contract': '--asset erc20:CONTRACT|trc20:CONTRACT',
  'asset.mint': '--asset spl:MINT|spl2022:MINT',
  'asset.createDestinationAccount': '--create-destination-account',
  'asset.allowOwnerOffCurve': '--allow-owner-off-curve',
  feeSponsorId: '--fee-sponsor',
  'asset.symbol': '--symbol',
  'asset.decimals': '--decimals',
  reference: '--reference',
  reason: '--reason',
  travelRule: '--travel-rule',
};

/** Flags every command takes, taken out before the command parses its own. */
let json = process.argv.includes('--json');
function globalFlags(args: string[], config: Config): { rest: string[]; api?: string } {
  const rest: string[] = [];
  let api = config.PAYMENTS_API_URL;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--json') json = true;
    else if (arg === '--api') {
      api = args[++i];
      if (!api || !/^https?:\/\//.test(api)) throw new UsageError('--api needs an http(s) URL');
    } else if (arg.startsWith('--api=')) api = arg.slice('--api='.length);
    else rest.push(arg);
  }
  return { rest, ...(api ? { api } : {}) };
}

const output = (value: unknown, text: () => void): void =>
  json ? console.log(JSON.stringify(value, null, 2)) : text();

async function gateway(config: Config, api: string | undefined): Promise<PaymentsGateway> {
  return api ? apiGateway(api, config.PAYMENTS_API_KEY) : connectTemporalGateway(config);
}

const TOKEN_KINDS = { erc20: 'Erc20', trc20: 'Trc20', spl: 'Spl', spl2022: 'Spl2022' } as const;

/** The asset flags of `pay`, as typed. */
interface AssetFlags {
  symbol?: string;
  decimals?: string;
  createAccount?: string;
  allowOffCurve?: boolean;
}

function parseAsset(value: string | undefined, flags: AssetFlags): unknown {
  const { symbol, decimals, createAccount } = flags;
  if (value === undefined || value.toLowerCase() === 'native') return { kind: 'Native' };
  const match = /^(erc20|trc20|spl2022|spl):(.+)$/i.exec(value);
  if (!match) {
    throw new UsageError(
      `--asset must be "native", "erc20:CONTRACT", "trc20:CONTRACT", "spl:MINT" or "spl2022:MINT", got "${value}"`,
    );
  }
  const kind = TOKEN_KINDS[(match[1] as string).toLowerCase() as keyof typeof TOKEN_KINDS];
  const solana = kind === 'Spl' || kind === 'Spl2022';
  const asset: Record<string, unknown> = solana ? { kind, mint: match[2] } : { kind, contract: match[2] };
  if (createAccount !== undefined) {
    if (!solana) throw new UsageError('--create-destination-account applies only to --asset spl:MINT or spl2022:MINT');
    if (createAccount !== 'yes' && createAccount !== 'no') {
      throw new UsageError(`--create-destination-account must be "yes" or "no", got "${createAccount}"`);
    }
    asset.createDestinationAccount = createAccount === 'yes';
  }
  if (flags.allowOffCurve) {
    if (!solana) throw new UsageError('--allow-owner-off-curve applies only to --asset spl:MINT or spl2022:MINT');
    asset.allowOwnerOffCurve = true;
  }
  if (symbol !== undefined) asset.symbol = symbol;
  if (decimals !== undefined) {
    if (!/^\d+$/.test(decimals)) throw new UsageError(`--decimals must be a whole number, got "${decimals}"`);
    asset.decimals = Number(decimals);
  }
  return asset;
}

const endCode = (state: ShownPayment): number => (state.status === 'Confirmed' ? EXIT.ok : EXIT.notConfirmed);
const finalLine = (s: ShownPayment) =>
  `${s.status}${s.wallet ? ` wallet=${s.wallet}` : ''}${s.txHash ? ` txHash=${s.txHash}` : ''}${s.reason ? ` reason: ${s.reason}` : ''}`;

/**
 * Parses a request whose wallet may come from the default (DFNS_WALLET_ID or the sandbox's file). When that default
 * cannot be read, the reason (which file, and why) is given under --wallet with every other bad field.
 */
function explainingDefaultWallet(
  fields: (defaultWallet: (config: Config) => string | undefined) => unknown,
): ReturnType<typeof parsePaymentRequest> {
  let unreadable: string | undefined;
  const defaultWallet = (config: Config): string | undefined => {
    try {
      return resolveDefaultWalletId(config);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      unreadable = error.message;
      return undefined;
    }
  };
  try {
    return parsePaymentRequest(fields(defaultWallet));
  } catch (error) {
    if (unreadable === undefined || !(error instanceof PaymentValidationError)) throw error;
    const why = unreadable;
    const issues = error.issues.map((i) => (i.field === 'walletId' ? { ...i, message: `${i.message}; ${why}` } : i));
    throw new PaymentValidationError(issues);
  }
}

/** The JSON of a --travel-rule file (validated with the request); its contents never appear in a message. */
function readTravelRule(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--travel-rule: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--travel-rule: ${path} is not JSON`);
  }
}

async function pay(args: string[], config: Config): Promise<number> {
  const global = globalFlags(args, config);
  const { values } = parseCommandArgs({
    args: global.rest,
    strict: true,
    options: {
      key: { type: 'string' },
      network: { type: 'string' },
      to: { type: 'string' },
      amount: { type: 'string' },
      asset: { type: 'string' },
      symbol: { type: 'string' },
      decimals: { type: 'string' },
      wallet: { type: 'string' },
      pool: { type: 'string' },
      reference: { type: 'string' },
      'create-destination-account': { type: 'string' },
      'allow-owner-off-curve': { type: 'boolean' },
      'fee-sponsor': { type: 'string' },
      'travel-rule': { type: 'string' },
      'no-follow': { type: 'boolean' },
    },
  });
  const travelRule = values['travel-rule'] === undefined ? undefined : readTravelRule(values['travel-rule']);
  // Validated before connecting, so bad input is refused even when Temporal or the API is down.
  const request = explainingDefaultWallet((defaultWallet) => ({
    idempotencyKey: values.key,
    ...(values.pool === undefined
      ? { walletId: values.wallet ?? defaultWallet(config) }
      : { pool: values.pool, ...(values.wallet !== undefined ? { walletId: values.wallet } : {}) }),
    network: values.network,
    asset: parseAsset(values.asset, {
      symbol: values.symbol,
      decimals: values.decimals,
      createAccount: values['create-destination-account'],
      allowOffCurve: values['allow-owner-off-curve'],
    }),
    ...(values['fee-sponsor'] !== undefined ? { feeSponsorId: values['fee-sponsor'] } : {}),
    ...(travelRule !== undefined ? { travelRule } : {}),
    to: values.to,
    amount: values.amount,
    ...(values.reference !== undefined ? { reference: values.reference } : {}),
  }));
  // Through the API the API checks the payer; on Temporal the clients and pools files configured here do, if any.
  const problems = global.api ? [] : (localPayerCheck(config)?.(request) ?? []);
  if (problems.length > 0) throw new PaymentValidationError(problems);
  const payments = await gateway(config, global.api);
  const started = await payments.start(request);
  if (!json) {
    console.log(`${started.created ? 'started' : 'already exists:'} ${started.paymentId}`);
    console.log(`  ${paymentSummary(request)}`);
    if (!global.api)
      console.log(
        `  ${config.TEMPORAL_UI_URL}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(started.paymentId)}`,
      );
  }
  if (values['no-follow']) {
    output(started, () => undefined);
    return EXIT.ok;
  }
  const final = await followPayment(payments, started.paymentId, (line) => !json && console.log(`  ${line}`));
  output({ ...started, payment: final }, () => console.log(finalLine(final)));
  return endCode(final);
}

async function status(args: string[], config: Config, wait: boolean): Promise<number> {
  const global = globalFlags(args, config);
  const { positionals } = parseCommandArgs({ args: global.rest, strict: true, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError(`expected one PAYMENT_ID or KEY, got ${positionals.length}`);
  const payments = await gateway(config, global.api);
  const paymentId = payments.paymentId(positionals[0] as string);
  const state = wait
    ? await followPayment(payments, paymentId, (line) => !json && console.log(line))
    : await payments.get(paymentId);
  output(state, () => {
    if (!wait) for (const entry of state.timeline) console.log(formatTimelineEntry(entry));
    const wallet = state.wallet ? ` wallet=${state.wallet}` : '';
    console.log(
      `${state.paymentId}: ${state.status}${wallet}${state.transferId ? ` transfer=${state.transferId}` : ''}`,
    );
  });
  // `wait` answers whether the payment went through; `status` only reads it.
  return wait ? endCode(state) : EXIT.ok;
}

async function list(args: string[], config: Config): Promise<number> {
  const global = globalFlags(args, config);
  const { values } = parseCommandArgs({
    args: global.rest,
    strict: true,
    options: { status: { type: 'string' }, stuck: { type: 'boolean' }, limit: { type: 'string' } },
  });
  if (values.status !== undefined && !(PAYMENT_STATUSES as readonly string[]).includes(values.status)) {
    throw new UsageError(`--status must be one of ${PAYMENT_STATUSES.join(', ')}`);
  }
  if (values.limit !== undefined && !/^[1-9]\d{0,3}$/.test(values.limit))
    throw new UsageError('--limit must be a whole number from 1 to 9999');
  const payments = await gateway(config, global.api);
  const items = await payments.list({
    ...(values.status ? { status: values.status as PaymentStatus } : {}),
    ...(values.stuck ? { stuck: true } : {}),
    limit: values.limit ? Number(values.limit) : 50,
  });
  output({ items }, () => {
    for (const item of items) {
      console.log(
        `${item.paymentId}  ${(item.status ?? '?').padEnd(16)} ${item.running ? 'running' : 'closed '}  started ${item.createdAt}`,
      );
    }
    console.log(`${items.length} payment(s)`);
  });
  return EXIT.ok;
}

async function operatorAction(
  action: 'cancel' | 'retry' | 'speed-up',
  args: string[],
  config: Config,
): Promise<number> {
  const global = globalFlags(args, config);
  const { values, positionals } = parseCommandArgs({
    args: global.rest,
    strict: true,
    allowPositionals: true,
    options: { reason: { type: 'string' }, operator: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one PAYMENT_ID or KEY, got ${positionals.length}`);
  if (action === 'cancel' && !values.reason)
    throw new UsageError('cancel needs --reason, which is recorded in the payment timeline');
  const request = {
    operator: values.operator ?? userInfo().username,
    ...(values.reason ? { reason: values.reason } : {}),
  };
  const payments = await gateway(config, global.api);
  const paymentId = payments.paymentId(positionals[0] as string);
  const result = await payments.act(action, paymentId, request);
  output({ paymentId, ...result }, () => console.log(`${paymentId}: ${result.status} — ${result.message}`));
  return EXIT.ok;
}

/** The expected errors, as text or JSON, with their exit codes. */
function expected(error: unknown): { lines: string[]; code: number } | undefined {
  const report = (code: number, kind: string, message: string, issues?: { field: string; message: string }[]) => ({
    code,
    lines: json
      ? [JSON.stringify({ error: { kind, message, ...(issues ? { issues } : {}) } })]
      : issues
        ? [
            `payments: ${message}:`,
            ...issues.map((issue) => `  ${FLAG_FOR_FIELD[issue.field] ?? issue.field}: ${issue.message}`),
          ]
        : [`payments: ${message}`],
  });
  if (error instanceof BatchRowsError) {
    const issues = error.problems.map((p) => ({
      field: p.row > 0 ? `row ${p.row} (line ${p.row + 1}) ${p.field}` : p.field,
      message: p.message,
    }));
    return json
      ? report(EXIT.usage, 'invalid', error.message, issues)
      : { code: EXIT.usage, lines: [`payments: ${error.message}:`, ...error.lines().map((line) => `  ${line}`)] };
  }
  if (error instanceof BatchConflictError) return report(EXIT.refused, 'refused', error.message);
  if (error instanceof ReconciliationNotFoundError || error instanceof AcknowledgeRefusedError)
    return report(EXIT.refused, 'refused', error.message);
  if (error instanceof PaymentValidationError)
    return report(EXIT.usage, 'invalid', 'invalid payment request', error.issues);
  if (error instanceof UsageError) return report(EXIT.usage, 'usage', error.message);
  if (
    error instanceof PaymentConflictError ||
    error instanceof PaymentNotFoundError ||
    error instanceof OperatorActionRefusedError
  ) {
    return report(EXIT.refused, 'refused', error.message);
  }
  if (error instanceof UnavailableError) return report(EXIT.unavailable, 'unavailable', error.message);
  if (error instanceof ApiAccessError) return report(EXIT.unauthorized, 'unauthorized', error.message);
  return undefined;
}

const RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const read: CommandHelp = {
  summary:
    'Prints a payment: its timeline (every webhook, poll and decision), then its status, wallet and Dfns transfer.\n' +
    'A key names the payment of that idempotency key; through the API, name it by id (payment:<client>:<key>).\n' +
    '`get` and `status` are the same command.',
  examples: ['npm run payments -- get payout-124', 'npm run payments -- status payment:dev:payout-124 --json'],
};

runCli({
  name: 'payments',
  usage: USAGE,
  help: {
    pay: {
      summary:
        'Starts a payment and follows it to its outcome: exit 0 only if it ends Confirmed (--no-follow: only start it).\n' +
        'The same key with the same request is the same payment; with another request it is refused (exit 3).',
      examples: [
        `npm run payments -- pay --key payout-124 --network EthereumSepolia --to ${RECIPIENT} --amount 1000000000000000`,
        `npm run payments -- pay --key usdc-1 --network EthereumSepolia --asset erc20:0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238 --to ${RECIPIENT} --amount 1500000`,
        `npm run payments -- pay --key vasp-1 --network EthereumSepolia --to ${RECIPIENT} --amount 1000000000000000 --travel-rule travel-rule.json`,
      ],
    },
    status: read,
    get: read,
    wait: {
      summary: 'Follows a payment until it is final: exit 0 if it ends Confirmed, 2 if Failed, Rejected or Cancelled.',
      examples: ['npm run payments -- wait payout-124'],
    },
    list: {
      summary:
        'Lists payments, newest first: by status, or the stuck ones (broadcast for longer than their network takes).',
      examples: ['npm run payments -- list --status AwaitingApproval', 'npm run payments -- list --stuck --limit 10'],
    },
    cancel: {
      summary:
        'Cancels a payment that has not been broadcast: denies its approval as the initiator, or aborts the transfer.\n' +
        'The reason is recorded in its timeline; a payment past broadcast is refused (exit 3).',
      examples: ['npm run payments -- cancel payout-124 --reason "duplicate payout"'],
    },
    retry: {
      summary: 'Starts a new attempt of a payment in AttemptFailed (nothing reached the chain), with a new externalId.',
      examples: ['npm run payments -- retry payout-124 --reason "wallet refilled"'],
    },
    'speed-up': {
      summary: 'Asks Dfns to rebroadcast a Broadcasted payment with a higher fee, where its network supports it.',
      examples: ['npm run payments -- speed-up payout-124 --reason "fee too low"'],
    },
    batch: {
      summary:
        'Starts a batch from a CSV file (every row checked first; nothing starts while any is bad), shows its progress,\n' +
        'then its report: exit 0 when every row ended Confirmed, 2 when some did not.',
      examples: ['npm run payments -- batch payroll.csv --key payroll-2026-11 --concurrency 4 --report report.csv'],
    },
    'mint-key': {
      summary:
        'Mints an API key for a client: the key is printed once and stored nowhere; the server is configured with the\n' +
        'printed line, which holds only its hash (API_KEYS_FILE or API_KEY_ENTRY).',
      examples: ['npm run payments -- mint-key --client acme --scopes payments:write,payments:read'],
    },
    reconcile: {
      summary:
        "Shows the reconciliation of a wallet (or a pool's wallets) against Dfns: its open findings and latest run.\n" +
        '--run runs it now; `reconcile ack` acknowledges a finding with who and why; `reconcile list` lists them all.\n' +
        'Exit 2 while findings are open.',
      examples: [
        'npm run payments -- reconcile wa-01jhot0000000000000000001 --run --wait 60',
        'npm run payments -- reconcile ack pool:usdc-sepolia --finding F-1 --reason "refund sent by treasury"',
        'npm run payments -- reconcile list',
      ],
    },
    export: {
      summary:
        'Writes one CSV row per payment that moved money and closed in [--from, --to) (ISO 8601 times), to --out or\n' +
        "stdout; through the API, only the calling client's payments.",
      examples: ['npm run payments -- export --from 2026-11-01T00:00:00Z --to 2026-12-01T00:00:00Z --out november.csv'],
    },
  },
  commands: {
    pay,
    status: (args, config) => status(args, config, false),
    get: (args, config) => status(args, config, false),
    wait: (args, config) => status(args, config, true),
    list,
    cancel: (args, config) => operatorAction('cancel', args, config),
    retry: (args, config) => operatorAction('retry', args, config),
    'speed-up': (args, config) => operatorAction('speed-up', args, config),
    batch: (args, config) => {
      const global = globalFlags(args, config);
      return batchCommand(global.rest, config, { json, ...(global.api ? { api: global.api } : {}) });
    },
    'mint-key': (args, config) => mintKey(globalFlags(args, config).rest, json),
    reconcile: (args, config) => {
      const global = globalFlags(args, config);
      return reconcileCommand(global.rest, config, { json, ...(global.api ? { api: global.api } : {}) });
    },
    export: (args, config) => {
      const global = globalFlags(args, config);
      return exportCommand(global.rest, config, { json, ...(global.api ? { api: global.api } : {}) });
    },
  },
  expected,
});
