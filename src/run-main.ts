import { ExpectedExit } from './expected-exit';

/**
 * Runs a process's main function. An expected exit (configuration errors included) is printed as one line,
 * `name: message`, and exits with its documented code; anything unexpected keeps its stack and exits 1.
 */
export function runMain(name: string, main: () => Promise<void> | void): void {
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      if (error instanceof ExpectedExit) {
        process.stderr.write(`${name}: ${error.message}\n`);
        process.exit(error.exitCode);
        return;
      }
      process.stderr.write(
        `${name}: fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    });
}
