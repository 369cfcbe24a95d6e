import { optionsFromEnv } from './config/env';
import { startSandbox } from './sandbox';

// CLI entry: `node --import tsx sandbox/src/main.ts`. Prints one line; never prints secrets.
const config = optionsFromEnv(process.env);
if (!config.ok) {
  console.error(`Invalid sandbox environment:\n  ${config.problems.join('\n  ')}`);
  process.exit(1);
}

let handle: Awaited<ReturnType<typeof startSandbox>>;
try {
  handle = await startSandbox(config.options);
} catch (err) {
  console.error(`Dfns sandbox failed to start: ${(err as Error).message}`);
  process.exit(1);
}

console.log(`Dfns sandbox listening on ${handle.url} (wallet ${handle.bootstrap.walletId})`);

const shutdown = (signal: string) => {
  handle.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`Dfns sandbox failed to shut down cleanly after ${signal}: ${(err as Error).message}`);
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
