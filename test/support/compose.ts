import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A service as `docker-compose config` renders it (the fields the tests read). */
export interface ComposeService {
  environment?: Record<string, string | null>;
  secrets?: { source: string }[];
  ports?: (string | { host_ip?: string; published?: string | number })[];
  read_only?: boolean;
  security_opt?: string[];
  cap_drop?: string[];
  cap_add?: string[];
  entrypoint?: string[] | string;
  profiles?: string[];
}

/** docker-compose.yml as a deployment sees it: anchors merged, variables interpolated, secrets' files resolved. */
export interface Compose {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
}

/** `docker-compose config` of the base file plus overrides, with `env` for interpolation; needs no Docker engine. */
export function composeConfig(files: string[], env: Record<string, string>): Compose {
  const args = files.flatMap((file) => ['-f', file]).concat(['config']);
  const yaml = execFileSync('docker-compose', args, { cwd: root, env: { PATH: process.env.PATH, ...env } });
  const toJson = 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)';
  return JSON.parse(execFileSync('python3', ['-c', toJson], { input: yaml }).toString()) as Compose;
}

/**
 * A service's environment as compose gives it, each `/run/secrets/<name>` it mounts replaced by the host file
 * compose mounts there: what the process inside the container would read.
 */
export function mountedEnvironment(compose: Compose, service: string): Record<string, string> {
  const definition = compose.services[service];
  return Object.fromEntries(
    Object.entries(definition?.environment ?? {}).map(([name, value]) => {
      const match = /^\/run\/secrets\/([a-z0-9_]+)$/.exec(value ?? '');
      const mounted = match && definition?.secrets?.some((s) => s.source === match[1]);
      return [name, mounted ? (compose.secrets[match[1] as string]?.file as string) : (value ?? '')];
    }),
  );
}
