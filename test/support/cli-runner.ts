// Runs CLI invocations one after another in this one process, each in a fresh instance of the CLI's real entry
// module (a new query string), with its own argv, recording what it printed and the code it exited with. Started
// as a child process by tests (test/cli/option-values.test.ts): one Node start-up for dozens of invocations.
// Usage: node --import tsx test/support/cli-runner.ts < cases.json   (cases: [{ entry, args }]) → results on stdout.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

/** One invocation: the entry module (relative to the repository root) and its arguments. */
export interface CliCase {
  entry: string;
  args: string[];
}

/** What one invocation printed (stdout and stderr, in order) and its exit code. */
export interface CliResult extends CliCase {
  code: number;
  stdout: string[];
  stderr: string[];
}

const cases = JSON.parse(readFileSync(0, 'utf8')) as CliCase[];
const write = process.stdout.write.bind(process.stdout);
const exit = process.exit.bind(process);
/** An invocation that has not exited by then is reported with code -1. */
const CASE_TIMEOUT_MS = 30_000;
const results: CliResult[] = [];
const lines = (chunk: unknown) => String(chunk).replace(/\n$/, '').split('\n');
for (const [index, { entry, args }] of cases.entries()) {
  const result: CliResult = { entry, args, code: -1, stdout: [], stderr: [] };
  result.code = await new Promise<number>((done) => {
    const timer = setTimeout(() => done(-1), CASE_TIMEOUT_MS);
    process.argv = [process.argv[0] as string, resolve(entry), ...args];
    process.exit = ((code?: number) => {
      clearTimeout(timer);
      done(code ?? 0);
    }) as typeof process.exit;
    console.log = (...values: unknown[]) => result.stdout.push(...lines(values.join(' ')));
    console.error = (...values: unknown[]) => result.stderr.push(...lines(values.join(' ')));
    process.stdout.write = (chunk: unknown) => result.stdout.push(...lines(chunk)) > 0;
    process.stderr.write = (chunk: unknown) => result.stderr.push(...lines(chunk)) > 0;
    void import(`${pathToFileURL(resolve(entry)).href}?case=${index}`);
  });
  results.push(result);
}
write(`${JSON.stringify(results)}\n`, () => exit(0));
