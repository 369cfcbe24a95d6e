// Every command of every CLI answers `--help` with its usage lines, what it does and at least one example written as
// a user types it; `help COMMAND` says the same. The commands are found in each CLI's own usage text, so a command
// added without help fails here. `payments get` is `payments status`. The CLIs run from their real entry modules
// through test/support/cli-runner.ts (one child process).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { EXIT } from '../../src/cli/exit-codes';
import type { CliCase, CliResult } from '../support/cli-runner';
import { runCliCases } from '../support/run-cli-cases';

const ENTRIES = {
  payments: 'src/cli/main.ts',
  approvals: 'src/cli/approvals-main.ts',
  policies: 'src/cli/policies-main.ts',
  'dfns-setup': 'src/cli/dfns-setup-main.ts',
  'replay-check': 'src/cli/replay-main.ts',
} as const;
type Cli = keyof typeof ENTRIES;

const runAll = (cases: CliCase[]): Promise<CliResult[]> => runCliCases(cases, 'pk_command_help_test');

/** The commands a CLI's usage names: `  payments status|get …` gives status and get. */
export function commandsOf(cli: string, usage: readonly string[]): string[] {
  const commands = usage.flatMap((line) => {
    const match = new RegExp(`^ {2}${cli} ([a-z|-]+)`).exec(line);
    return match ? (match[1] as string).split('|') : [];
  });
  return [...new Set(commands)]; // a command with several usage lines (reconcile, reconcile ack, …) once
}

describe('every command has help with an example', { timeout: 120_000 }, () => {
  const commands = new Map<Cli, string[]>();
  let helps: CliResult[] = [];
  before(async () => {
    const clis = Object.keys(ENTRIES) as Cli[];
    const usages = await runAll(clis.map((cli) => ({ entry: ENTRIES[cli], args: ['--help'] })));
    clis.forEach((cli, i) => commands.set(cli, commandsOf(cli, usages[i]?.stdout ?? [])));
    helps = await runAll(
      clis.flatMap((cli) =>
        (commands.get(cli) ?? []).flatMap((command) => [
          { entry: ENTRIES[cli], args: [command, '--help'] },
          { entry: ENTRIES[cli], args: ['help', command] },
        ]),
      ),
    );
  });

  it('finds the commands in each usage', () => {
    assert.deepEqual(commands.get('payments'), [
      'pay',
      'status',
      'get',
      'wait',
      'list',
      'cancel',
      'retry',
      'speed-up',
      'batch',
      'reconcile',
      'export',
      'mint-key',
    ]);
    assert.deepEqual(commands.get('approvals'), ['list', 'approve', 'deny']);
    assert.deepEqual(commands.get('policies'), ['plan', 'apply']);
    assert.deepEqual(commands.get('dfns-setup'), ['service-account']);
    assert.deepEqual(commands.get('replay-check'), ['running', 'all', 'workflow']);
  });

  it('answers COMMAND --help and help COMMAND with the usage, a summary and examples, exit 0', () => {
    assert.ok(helps.length > 0);
    for (const result of helps) {
      const cli = (Object.keys(ENTRIES) as Cli[]).find((name) => ENTRIES[name] === result.entry) as Cli;
      const command = result.args[0] === 'help' ? (result.args[1] as string) : (result.args[0] as string);
      const what = `${cli} ${result.args.join(' ')}`;
      assert.equal(result.code, 0, `${what}: ${result.stderr.join('\n')}`);
      const out = result.stdout;
      assert.equal(out[0], 'usage:', what);
      assert.match(out[1] ?? '', new RegExp(`^ {2}${cli} (\\S+\\|)*${command}(\\||\\s|$)`), what);
      const at = out.indexOf('example:');
      assert.ok(at > 2, `${what} has an example:\n${out.join('\n')}`);
      const examples = out.slice(at + 1);
      assert.ok(examples.length > 0, what);
      // `get` is shown with status's examples, and vice versa: one command.
      const names = command === 'get' || command === 'status' ? '(get|status)' : command;
      for (const example of examples)
        assert.match(example, new RegExp(`^ {2}npm run ${cli} -- ${names}( |$)`), `${what}: ${example}`);
    }
  });

  it('runs `payments get` as `payments status`', async () => {
    const api = ['--api', 'http://127.0.0.1:1'];
    const [get, status] = await runAll([
      { entry: ENTRIES.payments, args: ['get', 'payment:dev:help-1', ...api] },
      { entry: ENTRIES.payments, args: ['status', 'payment:dev:help-1', ...api] },
    ]);
    assert.equal(get?.code, EXIT.unavailable);
    assert.deepEqual({ code: get?.code, stderr: get?.stderr }, { code: status?.code, stderr: status?.stderr });
    assert.match(get?.stderr[0] ?? '', /cannot reach the API at http:\/\/127\.0\.0\.1:1/);
  });
});
