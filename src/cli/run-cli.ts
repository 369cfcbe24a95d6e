import { ConfigError, loadConfig, type Config } from '../config';
import { createLogger } from '../logger';
import { runMain } from '../run-main';

/** A usage or input error: printed as is, exit code 1. */
export class UsageError extends Error {}

/** How a CLI reports an error it expects: the lines to print and the exit code; undefined = not expected. */
export type ExpectedError = (error: unknown) => { lines: string[]; code: number } | undefined;

/** What `COMMAND --help` adds to the command's lines of the usage: what it does, and how it is run. */
export interface CommandHelp {
  summary: string;
  /** Complete command lines, as a user types them (`npm run payments -- pay …`); at least one. */
  examples: readonly [string, ...string[]];
}

/** One command-line tool: its name, usage text, subcommands with their help, and the errors it turns into messages. */
export interface CliSpec<C extends string = string> {
  name: string;
  usage: string;
  commands: Record<C, (args: string[], config: Config) => Promise<number>>;
  /** Every command's help: `CLI COMMAND --help` (or `CLI help COMMAND`) prints it. */
  help: Record<C, CommandHelp>;
  expected?: ExpectedError;
}

/**
 * A command's help: its lines of the usage (the line naming it and the lines that continue it), what it does, and
 * examples.
 */
export function commandHelp(spec: Pick<CliSpec, 'name' | 'usage' | 'help'>, command: string): string {
  const help = spec.help[command];
  if (!help) throw new UsageError(`unknown command "${command}" (--help lists the commands)`);
  const lines = spec.usage.split('\n');
  const starts = (line: string) => new RegExp(`^\\s+${spec.name} (\\S+\\|)*${command}(\\||\\s|$)`).test(line);
  const first = lines.findIndex(starts);
  const synopsis: string[] = [];
  for (let i = first; first >= 0 && i < lines.length; i++) {
    const line = lines[i] as string;
    if (i > first && (line.trim() === '' || /^\s{0,3}\S/.test(line) || new RegExp(`^\\s+${spec.name} `).test(line)))
      break;
    synopsis.push(line);
  }
  return [
    'usage:',
    ...synopsis,
    '',
    ...help.summary.split('\n').map((line) => `  ${line}`),
    '',
    'example:',
    ...help.examples.map((example) => `  ${example}`),
  ].join('\n');
}

const wantsHelp = (args: readonly string[]) => args.includes('--help') || args.includes('-h');

const isParseArgsError = (error: unknown): error is TypeError =>
  error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');

/**
 * Runs a CLI: dispatches the subcommand, prints expected errors as one clear message with a non-zero exit code
 * (1 for bad input or configuration), and leaves anything unexpected to runMain, which prints it and exits 1.
 */
export function runCli<C extends string>(spec: CliSpec<C>): void {
  runMain(spec.name, async () => {
    const [command, ...rest] = process.argv.slice(2);
    let code: number;
    let json = false;
    // With CLI_LOG_FORMAT=json, errors are pino lines (the format every process logs in) for scripts to parse.
    const report = (lines: string[], exitCode: number): void => {
      if (!json) for (const line of lines) console.error(line);
      else createLogger({ name: spec.name }).error({ command, exitCode }, lines.join('\n'));
    };
    try {
      const config = loadConfig();
      json = config.CLI_LOG_FORMAT === 'json';
      const commands: Record<string, CliSpec['commands'][string]> = spec.commands;
      const handler = command !== undefined && Object.hasOwn(commands, command) ? commands[command] : undefined;
      if (handler && wantsHelp(rest)) {
        console.log(commandHelp(spec, command as string));
        code = 0;
      } else if (handler) code = await handler(rest, config);
      else if (command === 'help' && rest[0] !== undefined) {
        console.log(commandHelp(spec, rest[0]));
        code = 0;
      } else if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
        console.log(spec.usage);
        code = command === undefined ? 1 : 0;
      } else throw new UsageError(`unknown command "${command}" (--help lists the commands)`);
    } catch (error) {
      const known = spec.expected?.(error);
      if (known) {
        code = known.code;
        report(known.lines, code);
      } else if (error instanceof UsageError || error instanceof ConfigError) {
        code = 1;
        report([`${spec.name}: ${error.message}`], code);
      } else if (isParseArgsError(error)) {
        code = 1;
        report([`${spec.name}: ${error.message.split('\n', 1)[0] ?? ''} (--help shows the usage)`], code);
      } else throw error;
    }
    process.exit(code);
  });
}
