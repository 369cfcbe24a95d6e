import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './run-cli';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The option a token names (`--amount`, `--amount=5`), when it is one of `options`. */
function optionNamed(token: string, options: Options): string | undefined {
  if (!token.startsWith('--')) return undefined;
  const name = token.slice(2).split('=', 1)[0] as string;
  return Object.hasOwn(options, name) ? name : undefined;
}

/**
 * A value that starts with "-" (`--amount -5`) is taken as the option's value, so that it reaches the option's own
 * rule and its message ("--amount: must be a positive integer string…"), instead of Node's "argument is ambiguous".
 * Only a token that is itself one of the command's options is read as a missing value.
 */
function attachDashValues(args: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i] as string;
    if (token === '--') {
      out.push(...args.slice(i));
      break;
    }
    const name = optionNamed(token, options);
    const next = args[i + 1];
    const takesValue = name !== undefined && !token.includes('=') && options[name]?.type === 'string';
    if (takesValue && next !== undefined && next.startsWith('-') && next !== '--' && !optionNamed(next, options)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(token);
  }
  return out;
}

const PARSE_ERROR = /^ERR_PARSE_ARGS_/;

/** Node's parse errors, as one line naming the option (Node's own text spans three lines and suggests syntax). */
function usageErrorFrom(error: unknown, options: Options): UsageError | undefined {
  if (!(error instanceof TypeError) || !('code' in error) || !PARSE_ERROR.test(String(error.code))) return undefined;
  const option = /Option '(--[^' ]+)/.exec(error.message)?.[1];
  const name = option?.slice(2);
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && name !== undefined && Object.hasOwn(options, name)) {
    return options[name]?.type === 'string'
      ? new UsageError(`${option}: needs a value (a value starting with "-" is written ${option}=VALUE)`)
      : new UsageError(`${option}: takes no value`);
  }
  const unknown = /^Unknown option '([^']+)'/.exec(error.message)?.[1];
  if (unknown !== undefined) return new UsageError(`Unknown option '${unknown}' (--help lists the options)`);
  return new UsageError(error.message.split('\n', 1)[0]);
}

/**
 * `parseArgs` (strict) for a command: a value starting with "-" goes to its option, and every parse error is one
 * UsageError line naming the option (exit code 1), never Node's message and the whole usage text.
 */
export function parseCommandArgs<T extends ParseArgsConfig & { args: string[]; options: Options; strict: true }>(
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs({ ...config, args: attachDashValues(config.args, config.options) });
  } catch (error) {
    throw usageErrorFrom(error, config.options) ?? error;
  }
}
