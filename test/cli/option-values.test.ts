// Every value option of every CLI command, given a value that starts with "-": the value reaches the option's own
// rule (the amount rule for --amount), and the answer is one message with a documented exit code, never Node's
// "argument is ambiguous" and never the whole usage text. The commands run from their real entry modules through
// test/support/cli-runner.ts (one child process for all of them), with Temporal where nothing listens.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXIT } from '../../src/cli/exit-codes';
import type { CliCase, CliResult } from '../support/cli-runner';
import { runCliCases } from '../support/run-cli-cases';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TO = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const TOKEN = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const MISSING_CSV = '/nonexistent/option-values.csv';

const ENTRIES = {
  payments: 'src/cli/main.ts',
  approvals: 'src/cli/approvals-main.ts',
  policies: 'src/cli/policies-main.ts',
  'dfns-setup': 'src/cli/dfns-setup-main.ts',
} as const;
type Cli = keyof typeof ENTRIES;

/** What a command does with `--option -5`: refuses it by the option's rule, or takes it and goes on. */
interface OptionCase {
  cli: Cli;
  command: string;
  option: string;
  /** A valid command line the option's value is put into (replacing the option's value, or added). */
  base: string[];
  code: number;
  message: RegExp;
}

/** Where nothing listens: a refused connection fails at once (Temporal's client would retry until its deadline). */
const API = ['--api', 'http://127.0.0.1:1'];
const PAY = [
  'pay',
  ...API,
  '--key',
  'opt-k',
  '--wallet',
  'wa-opt',
  '--network',
  'EthereumSepolia',
  '--asset',
  `erc20:${TOKEN}`,
  '--symbol',
  'USDC',
  '--decimals',
  '6',
  '--to',
  TO,
  '--amount',
  '5',
  '--no-follow',
];
/** The value was taken and the command went on, as far as calling the payments API (exit 4). */
const WENT_ON = { code: EXIT.unavailable, message: /^payments: cannot reach the API at http:\/\/127\.0\.0\.1:1/ };
const refused = (message: RegExp) => ({ code: EXIT.usage, message });

const payCase = (option: string, outcome: { code: number; message: RegExp }): OptionCase => ({
  cli: 'payments',
  command: 'pay',
  option,
  base: PAY,
  ...outcome,
});
const operatorCases = (command: string): OptionCase[] =>
  ['reason', 'operator'].map((option) => ({
    cli: 'payments',
    command,
    option,
    base: [command, 'payment:acme:opt-k', '--reason', 'checked', ...API],
    ...WENT_ON,
  }));

const CASES: OptionCase[] = [
  payCase('key', WENT_ON),
  payCase('network', refused(/^ {2}--network: must be one of/m)),
  payCase('to', refused(/^ {2}--to: /m)),
  payCase('amount', refused(/^ {2}--amount: must be a positive integer string in minimum units/m)),
  payCase('asset', refused(/^payments: --asset must be "native", "erc20:CONTRACT"/)),
  payCase('symbol', WENT_ON),
  payCase('decimals', refused(/^payments: --decimals must be a whole number, got "-5"/)),
  payCase('wallet', refused(/^ {2}--wallet: must be a Dfns wallet id/m)),
  payCase('pool', refused(/^ {2}--pool: /m)),
  payCase('reference', WENT_ON),
  // Taken as a path (a file may be named so), then named in the refusal; never the file's contents.
  payCase('travel-rule', refused(/^payments: --travel-rule: cannot read -5 \(ENOENT\)/)),
  payCase('create-destination-account', refused(/^payments: --create-destination-account applies only to/)),
  payCase('fee-sponsor', refused(/^ {2}--fee-sponsor: must be a Dfns fee sponsor id/m)),
  { ...payCase('api', refused(/^payments: --api needs an http\(s\) URL/)), base: PAY.filter((a) => !API.includes(a)) },
  {
    cli: 'payments',
    command: 'list',
    option: 'status',
    base: ['list'],
    ...refused(/^payments: --status must be one of/),
  },
  {
    cli: 'payments',
    command: 'list',
    option: 'limit',
    base: ['list'],
    ...refused(/^payments: --limit must be a whole number from 1 to 9999/),
  },
  ...operatorCases('cancel'),
  ...operatorCases('retry'),
  ...operatorCases('speed-up'),
  ...['key', 'concurrency', 'report'].map((option): OptionCase => ({
    cli: 'payments',
    command: 'batch',
    option,
    base: ['batch', MISSING_CSV, '--key', 'opt-batch'],
    ...refused(
      {
        concurrency: /^payments: --concurrency must be a whole number from 1 to/,
        // Taken (a batch key may contain "-"; a path may start with it); the command went on to read the file.
        key: /^payments: cannot read \/nonexistent\/option-values\.csv/,
        report: /^payments: cannot read \/nonexistent\/option-values\.csv/,
      }[option] as RegExp,
    ),
  })),
  {
    cli: 'payments',
    command: 'mint-key',
    option: 'client',
    base: ['mint-key'],
    ...refused(/^payments: --client must be a client id .*, got "-5"/),
  },
  {
    cli: 'payments',
    command: 'mint-key',
    option: 'scopes',
    base: ['mint-key', '--client', 'acme'],
    ...refused(/^payments: --scopes takes payments:write/),
  },
  // reconcile (a run, an acknowledgement) and export, through the API where nothing listens.
  {
    cli: 'payments',
    command: 'reconcile',
    option: 'wait',
    base: ['reconcile', 'wa-opt', '--run', ...API],
    ...refused(/^payments: --wait must be a whole number of seconds$/),
  },
  {
    cli: 'payments',
    command: 'reconcile',
    option: 'operator',
    base: ['reconcile', 'wa-opt', '--run', ...API],
    ...WENT_ON,
  },
  ...['finding', 'reason'].map((option): OptionCase => ({
    cli: 'payments',
    command: 'reconcile',
    option,
    base: ['reconcile', 'ack', 'wa-opt', '--finding', 'f-1', '--reason', 'checked', ...API],
    ...WENT_ON,
  })),
  ...['from', 'to'].map((option): OptionCase => ({
    cli: 'payments',
    command: 'export',
    option,
    base: ['export', '--from', '2026-12-01T00:00:00Z', '--to', '2026-12-02T00:00:00Z', ...API],
    ...refused(new RegExp(`^payments: --from/--to: ${option} must be an ISO 8601 date-time`)),
  })),
  {
    cli: 'payments',
    command: 'export',
    option: 'client',
    base: ['export', '--from', '2026-12-01T00:00:00Z', '--to', '2026-12-02T00:00:00Z', ...API],
    ...refused(/^payments: --client must be a client id, got "-5"/),
  },
  // Taken as a path; the API is not reached, so no file is written.
  {
    cli: 'payments',
    command: 'export',
    option: 'out',
    base: ['export', '--from', '2026-12-01T00:00:00Z', '--to', '2026-12-02T00:00:00Z', ...API],
    ...WENT_ON,
  },
  // Taken as a name, then looked up among the sandbox's approvers (whose file is missing here).
  ...['list', 'approve', 'deny'].map((command): OptionCase => ({
    cli: 'approvals',
    command,
    option: 'as',
    base: command === 'list' ? ['list'] : [command, 'ap-1', '--reason', 'checked'],
    ...refused(/^approvals: no sandbox approver -5: .* does not exist/),
  })),
  ...['approve', 'deny'].map((command): OptionCase => ({
    cli: 'approvals',
    command,
    option: 'reason',
    base: [command, 'ap-1'],
    ...refused(/^approvals: no approver identity/),
  })),
  ...['plan', 'apply'].flatMap((command): OptionCase[] => [
    {
      cli: 'policies',
      command,
      option: 'set',
      base: [command],
      ...refused(/^policies: --set must be a set name such as "standard", got "-5"/),
    },
    {
      cli: 'policies',
      command,
      option: 'file',
      base: [command, '--set', 'standard'],
      ...refused(/^policies: cannot read -5 \(ENOENT\)/),
    },
  ]),
  // Both are taken (a name may start with "-"; so may a path); the admin credentials are missing here.
  ...['name', 'out'].map((option): OptionCase => ({
    cli: 'dfns-setup',
    command: 'service-account',
    option,
    base: ['service-account'],
    ...refused(/^dfns-setup: no Dfns credentials/),
  })),
  {
    cli: 'dfns-setup',
    command: 'service-account',
    option: 'key',
    base: ['service-account'],
    ...refused(/^dfns-setup: --key: pem or pkcs11$/),
  },
];

/** The base command line with `--option -5`: the option's value replaced, or the option added. */
function withDashValue({ base, option }: OptionCase): string[] {
  const args = [...base];
  const at = args.indexOf(`--${option}`);
  if (at >= 0) args.splice(at, 2, `--${option}`, '-5');
  else args.push(`--${option}`, '-5');
  return args;
}

const runAll = (cases: CliCase[]): Promise<CliResult[]> => runCliCases(cases, 'pk_option_values_test');

/** One message: a first line `cli: …`, then only indented lines (the fields it names). */
function assertOneMessage(cli: string, result: CliResult, what: string): void {
  const [first, ...rest] = result.stderr;
  assert.ok(first?.startsWith(`${cli}: `), `${what}: ${result.stderr.join('\n')}`);
  for (const line of rest) assert.match(line, /^ {2}\S/, `${what}: one message, got:\n${result.stderr.join('\n')}`);
  const text = [...result.stdout, ...result.stderr].join('\n');
  assert.doesNotMatch(text, /ambiguous|usage:|\n\s+at /, `${what}: ${text}`);
}

/** The value options each command's usage text lists (`--flag VALUE`, `--flag a|b`, `--flag a:b,c`). */
function valueOptionsInUsage(cli: string, usage: string[]): Map<string, string[]> {
  const commands = new Map<string, string[]>();
  let current: string | undefined;
  for (const line of usage) {
    const start = new RegExp(`^ {2}${cli} ([a-z-]+)`).exec(line);
    if (start) current = start[1];
    else if (!/^ {10,}\[?--/.test(line)) current = undefined;
    if (!current) continue;
    const flags = [...line.matchAll(/--([a-z-]+) (?=[A-Z]|[\w:.,-]*[|,])/g)].map((m) => m[1] as string);
    commands.set(current, [...(commands.get(current) ?? []), ...flags]);
  }
  return commands;
}

describe('CLI option values starting with "-"', { timeout: 180_000 }, () => {
  let results: CliResult[];
  const amounts = ['-5', '-0', '-1.5', '-1e3', '1e3', '0x10', '+5', '5.0'];
  const amountArgs = (amount: string) => PAY.map((arg, i) => (PAY[i - 1] === '--amount' ? amount : arg));
  const extra: CliCase[] = [
    ...amounts.map((amount) => ({ entry: ENTRIES.payments, args: amountArgs(amount) })),
    { entry: ENTRIES.payments, args: ['pay', '--amount', '--to', TO] },
    { entry: ENTRIES.payments, args: ['pay', '--no-follow=yes'] },
    { entry: ENTRIES.payments, args: ['pay', '--amout', '5'] },
    { entry: ENTRIES.payments, args: ['frobnicate'] },
    ...Object.values(ENTRIES).map((entry) => ({ entry, args: ['--help'] })),
  ];
  before(async () => {
    results = await runAll([...CASES.map((c) => ({ entry: ENTRIES[c.cli], args: withDashValue(c) })), ...extra]);
  });
  const resultOf = (entry: string, args: string[]): CliResult => {
    const found = results.find((r) => r.entry === entry && JSON.stringify(r.args) === JSON.stringify(args));
    assert.ok(found, `no result for ${entry} ${args.join(' ')}`);
    return found;
  };

  it('covers every value option that each command lists in its usage', () => {
    for (const cli of Object.keys(ENTRIES) as Cli[]) {
      const usage = resultOf(ENTRIES[cli], ['--help']).stdout;
      for (const [command, options] of valueOptionsInUsage(cli, usage)) {
        const tested = CASES.filter((c) => c.cli === cli && c.command === command).map((c) => c.option);
        // --api is taken by every payments command before the command parses its own options; pay tests it.
        const listed = command === 'pay' ? [...options, 'api'] : options;
        assert.deepEqual([...tested].sort(), [...new Set(listed)].sort(), `${cli} ${command}`);
      }
    }
  });

  for (const c of CASES) {
    it(`${c.cli} ${c.command} --${c.option} -5: exit ${c.code}, one message`, () => {
      const result = resultOf(ENTRIES[c.cli], withDashValue(c));
      const what = `${c.cli} ${withDashValue(c).join(' ')}`;
      assert.equal(result.code, c.code, `${what}: ${result.stderr.join('\n')}`);
      assertOneMessage(c.cli, result, what);
      assert.match(result.stderr.join('\n'), c.message, what);
    });
  }

  it('export --out -5 leaves no file when the export fails before its first row', () => {
    assert.equal(existsSync(join(root, '-5')), false);
  });

  it('answers every negative or malformed --amount with the amount rule, exit 1', () => {
    for (const amount of amounts) {
      const result = resultOf(ENTRIES.payments, amountArgs(amount));
      assert.equal(result.code, EXIT.usage, `--amount ${amount}: ${result.stderr.join('\n')}`);
      assertOneMessage('payments', result, `--amount ${amount}`);
      assert.deepEqual(
        result.stderr,
        [
          'payments: invalid payment request:',
          '  --amount: must be a positive integer string in minimum units (no sign, decimal point, exponent or leading zeros)',
        ],
        `--amount ${amount}`,
      );
    }
  });

  it('says which option lacks a value, takes none, or does not exist, in one line', () => {
    const cases: [string[], RegExp][] = [
      [
        ['pay', '--amount', '--to', TO],
        /^payments: --amount: needs a value \(a value starting with "-" is written --amount=VALUE\)$/,
      ],
      [['pay', '--no-follow=yes'], /^payments: --no-follow: takes no value$/],
      [['pay', '--amout', '5'], /^payments: Unknown option '--amout' \(--help lists the options\)$/],
      [['frobnicate'], /^payments: unknown command "frobnicate" \(--help lists the commands\)$/],
    ];
    for (const [args, message] of cases) {
      const result = resultOf(ENTRIES.payments, args);
      assert.equal(result.code, EXIT.usage, args.join(' '));
      assert.equal(result.stderr.length, 1, result.stderr.join('\n'));
      assert.match(result.stderr[0] ?? '', message);
    }
  });
});
