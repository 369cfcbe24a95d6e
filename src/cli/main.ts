import { Client, type Connection } from '@temporalio/client';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { isPaymentId, paymentIdFor } from '../contracts/payment-id';
import { NETWORK_NAMES } from '../contracts/networks';
import { paymentSummary } from '../contracts/payment-summary';
import { PaymentClient, parsePaymentRequest } from '../client/payment-client';
import { OperatorActionRefusedError, PaymentConflictError, PaymentNotFoundError, PaymentValidationError } from '../client/payment-errors';
import { PAYMENT_STATUSES, type PaymentStatus } from '../contracts/payment-status';
import { ConfigError, type Config } from '../config';
import { resolveDefaultWalletId } from '../dfns/credentials';
import { connectTemporalClient } from '../temporal/connection';
import { runCli, UsageError } from './run-cli';
import { followPayment, formatTimelineEntry } from './follow-payment';

const USAGE = `usage:
  payments pay --key KEY --network NETWORK --to ADDRESS --amount MIN_UNITS
               [--asset native|erc20:CONTRACT|trc20:CONTRACT|spl:MINT] [--create-destination-account yes|no]
               [--symbol SYMBOL --decimals N] [--fee-sponsor FEE_SPONSOR_ID] [--wallet WALLET_ID]
               [--reference TEXT] [--no-follow]
  payments status PAYMENT_ID|KEY
  payments wait PAYMENT_ID|KEY
  payments list [--status STATUS] [--stuck] [--limit N]
  payments cancel PAYMENT_ID|KEY --reason TEXT [--operator NAME]
  payments retry PAYMENT_ID|KEY [--reason TEXT] [--operator NAME]
  payments speed-up PAYMENT_ID|KEY [--operator NAME]

  --amount is an integer in the asset's minimum units (wei, sun, lamports, satoshis; 1000000 for 1 USDC or USDT).
  --create-destination-account is required with spl: whether Dfns may open the recipient's token account.
  --fee-sponsor pays the network fee from a Dfns fee sponsor (EVM networks).
  --wallet defaults to DFNS_WALLET_ID, else the sandbox's funded wallet.
  networks: ${NETWORK_NAMES.join(', ')}`;


/** The CLI flag for each request field, so validation errors name what the user typed. */
const FLAG_FOR_FIELD: Record<string, string> = {
  idempotencyKey: '--key',
  walletId: '--wallet',
  network: '--network',
  to: '--to',
  amount: '--amount',
  asset: '--asset',
  'asset.contract': '--asset erc20:CONTRACT|trc20:CONTRACT',
  'asset.mint': '--asset spl:MINT',
  'asset.kind': '--asset',
  'asset.createDestinationAccount': '--create-destination-account',
  feeSponsorId: '--fee-sponsor',
  'asset.symbol': '--symbol',
  'asset.decimals': '--decimals',
  reference: '--reference',
};

const TOKEN_KINDS = { erc20: 'Erc20', trc20: 'Trc20', spl: 'Spl' } as const;

function parseAsset(value: string | undefined, symbol?: string, decimals?: string, createAccount?: string): unknown {
  if (value === undefined || value.toLowerCase() === 'native') return { kind: 'Native' };
  const match = /^(erc20|trc20|spl):(.+)$/i.exec(value);
  if (!match) {
    throw new UsageError(`--asset must be "native", "erc20:CONTRACT", "trc20:CONTRACT" or "spl:MINT", got "${value}"`);
  }
  const kind = TOKEN_KINDS[(match[1] as string).toLowerCase() as keyof typeof TOKEN_KINDS];
  const asset: Record<string, unknown> = kind === 'Spl' ? { kind, mint: match[2] } : { kind, contract: match[2] };
  if (createAccount !== undefined) {
    if (kind !== 'Spl') throw new UsageError('--create-destination-account applies only to --asset spl:MINT');
    if (createAccount !== 'yes' && createAccount !== 'no') {
      throw new UsageError(`--create-destination-account must be "yes" or "no", got "${createAccount}"`);
    }
    asset.createDestinationAccount = createAccount === 'yes';
  }
  if (symbol !== undefined) asset.symbol = symbol;
  if (decimals !== undefined) {
    if (!/^\d+$/.test(decimals)) throw new UsageError(`--decimals must be a whole number, got "${decimals}"`);
    asset.decimals = Number(decimals);
  }
  return asset;
}

async function connect(config: Config): Promise<PaymentClient> {
  let connection: Connection;
  try {
    connection = await connectTemporalClient(config, '5s');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new UsageError(`cannot reach Temporal at ${config.TEMPORAL_ADDRESS} (is \`npm run dev\` running?): ${(error as Error).message}`);
  }
  return new PaymentClient(new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }), { taskQueue: config.TEMPORAL_TASK_QUEUE });
}

const toPaymentId = (idOrKey: string): string => (isPaymentId(idOrKey) ? idOrKey : paymentIdFor(idOrKey));

async function pay(args: string[], config: Config): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      key: { type: 'string' },
      network: { type: 'string' },
      to: { type: 'string' },
      amount: { type: 'string' },
      asset: { type: 'string' },
      symbol: { type: 'string' },
      decimals: { type: 'string' },
      'create-destination-account': { type: 'string' },
      'fee-sponsor': { type: 'string' },
      wallet: { type: 'string' },
      reference: { type: 'string' },
      'no-follow': { type: 'boolean' },
    },
  });
  const request = {
    idempotencyKey: values.key,
    walletId: values.wallet ?? resolveDefaultWalletId(config),
    network: values.network,
    asset: parseAsset(values.asset, values.symbol, values.decimals, values['create-destination-account']),
    to: values.to,
    amount: values.amount,
    ...(values['fee-sponsor'] !== undefined ? { feeSponsorId: values['fee-sponsor'] } : {}),
    ...(values.reference !== undefined ? { reference: values.reference } : {}),
  };
  // Validate before connecting, so bad input is refused even when Temporal is down.
  const summary = paymentSummary(parsePaymentRequest(request));
  const client = await connect(config);
  const started = await client.start(request);
  console.log(`${started.created ? 'started' : 'already exists:'} ${started.paymentId}`);
  console.log(`  ${summary}`);
  console.log(`  ${config.TEMPORAL_UI_URL}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(started.paymentId)}`);
  if (values['no-follow']) return 0;
  const final = await followPayment(client, started.paymentId, (line) => console.log(`  ${line}`));
  console.log(`${final.status}${final.txHash ? ` txHash=${final.txHash}` : ''}${final.reason ? ` reason: ${final.reason}` : ''}`);
  return final.status === 'Confirmed' ? 0 : 2;
}

async function status(args: string[], config: Config, wait: boolean): Promise<number> {
  const { positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError(`expected one PAYMENT_ID or KEY, got ${positionals.length}`);
  const client = await connect(config);
  const paymentId = toPaymentId(positionals[0] as string);
  const state = wait ? await followPayment(client, paymentId, console.log) : await client.getState(paymentId);
  if (!wait) for (const entry of state.timeline) console.log(formatTimelineEntry(entry));
  console.log(`${state.paymentId}: ${state.status}${state.transferId ? ` transfer=${state.transferId}` : ''}`);
  return 0;
}

async function list(args: string[], config: Config): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { status: { type: 'string' }, stuck: { type: 'boolean' }, limit: { type: 'string' } } });
  if (values.status !== undefined && !(PAYMENT_STATUSES as readonly string[]).includes(values.status)) {
    throw new UsageError(`--status must be one of ${PAYMENT_STATUSES.join(', ')}`);
  }
  if (values.limit !== undefined && !/^[1-9]\d{0,3}$/.test(values.limit)) throw new UsageError('--limit must be a whole number from 1 to 9999');
  const client = await connect(config);
  const items = await client.list({
    ...(values.status ? { status: values.status as PaymentStatus } : {}),
    ...(values.stuck ? { stuck: true } : {}),
    limit: values.limit ? Number(values.limit) : 50,
  });
  for (const item of items) {
    console.log(`${item.paymentId}  ${(item.status ?? '?').padEnd(16)} ${item.running ? 'running' : 'closed '}  started ${item.startTime.toISOString()}`);
  }
  console.log(`${items.length} payment(s)`);
  return 0;
}

async function operatorAction(action: 'cancel' | 'retry' | 'speed-up', args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { reason: { type: 'string' }, operator: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one PAYMENT_ID or KEY, got ${positionals.length}`);
  if (action === 'cancel' && !values.reason) throw new UsageError('cancel needs --reason, which is recorded in the payment timeline');
  const request = { operator: values.operator ?? userInfo().username, ...(values.reason ? { reason: values.reason } : {}) };
  const client = await connect(config);
  const paymentId = toPaymentId(positionals[0] as string);
  const result =
    action === 'cancel' ? await client.cancel(paymentId, request) : action === 'retry' ? await client.retry(paymentId, request) : await client.speedUp(paymentId, request);
  console.log(`${paymentId}: ${result.status} — ${result.message}`);
  return 0;
}

runCli({
  name: 'payments',
  usage: USAGE,
  commands: {
    pay,
    status: (args, config) => status(args, config, false),
    wait: (args, config) => status(args, config, true),
    list,
    cancel: (args, config) => operatorAction('cancel', args, config),
    retry: (args, config) => operatorAction('retry', args, config),
    'speed-up': (args, config) => operatorAction('speed-up', args, config),
  },
  expected: (error) => {
    if (error instanceof PaymentValidationError) {
      return {
        lines: ['payments: invalid payment request:', ...error.issues.map((issue) => `  ${FLAG_FOR_FIELD[issue.field] ?? issue.field}: ${issue.message}`)],
        code: 1,
      };
    }
    const refused = error instanceof PaymentConflictError || error instanceof PaymentNotFoundError || error instanceof OperatorActionRefusedError;
    return refused ? { lines: [`payments: ${error.message}`], code: 1 } : undefined;
  },
});
