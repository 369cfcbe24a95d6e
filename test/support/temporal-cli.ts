import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The Temporal CLI the tests start, from the project's provisioning script (TEMPORAL_CLI_PATH, the cached build,
 * or a go install). It throws when none can be had: a suite that needs Temporal fails, it never skips.
 */
export function temporalCliPath(): string {
  const script = fileURLToPath(new URL('../../scripts/temporal-cli.sh', import.meta.url));
  return execFileSync(script, { stdio: ['ignore', 'pipe', 'inherit'] })
    .toString()
    .trim();
}
