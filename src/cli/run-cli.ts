import { ConfigError, loadConfig, type Config } from '../config';
import { createLogger } from '../logger';
import { runMain } from '../run-main';

/** A usage or input error: printed as is, exit code 1. */
export class UsageError extends Error {}

/** How a CLI reports an error it expects: the lines to print and the exit code; undefined = not expected. */
export type ExpectedError = (error: unknown) => { lines: string[]; code: number } | undefined;

/** One command-line tool: its name, usage text, subcommands, and the errors it turns into messages. */
export interface CliSpec {
  name: string;
  usage: string;
  commands: Record<string, (args: string[], config: Config) => Promise<number>>;
  expected?: ExpectedError;
}

const isParseArgsError = (error: unknown): error is TypeError =>
  error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');

/**
 * Runs a CLI: dispatches the subcommand, prints expected errors as one clear message with a non-zero exit code
 * (1 for bad input or configuration), and leaves anything unexpected to runMain, which prints it and exits 1.
 */
export function runCli(spec: CliSpec): void {
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
      const handler =
        command !== undefined && Object.hasOwn(spec.commands, command) ? spec.commands[command] : undefined;
      if (handler) code = await handler(rest, config);
      else if (command === undefined || command === 'help' || command === '--help') {
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
