import { ConfigError } from './config';

/** Runs a process's main function, turning configuration errors into one clear line and exit code 1. */
export function runMain(name: string, main: () => Promise<void> | void): void {
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      if (error instanceof ConfigError) process.stderr.write(`${name}: ${error.message}\n`);
      else
        process.stderr.write(
          `${name}: fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
      process.exit(1);
    });
}
