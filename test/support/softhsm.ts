import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pkcs11KeySettings } from '../../src/dfns/signing-key';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A throw-away SoftHSM2 token made by scripts/softhsm-token.sh, under a temporary directory of its own. */
export interface SoftHsmToken {
  /** What the script printed: SOFTHSM2_CONF and the DFNS_PKCS11_* variables for a process of ours. */
  env: Record<string, string>;
  /** The signer's settings for a key of this token, as the config would resolve them. */
  settings(keyLabel: string): Pkcs11KeySettings;
  remove(): void;
}

/**
 * Creates a token with the project's script (which fails, and so fails the test, when SoftHSM2 is not installed).
 * With `inProcess`, points this process's SoftHSM library at it: a PKCS#11 library reads its configuration once, at
 * its first C_Initialize, so a test process uses one token directory.
 */
export function createSoftHsmToken(options: { label?: string; inProcess?: boolean } = {}): SoftHsmToken {
  const args = options.label ? ['--label', options.label] : [];
  const output = execFileSync('bash', [`${root}/scripts/softhsm-token.sh`, ...args], { encoding: 'utf8' });
  const env = Object.fromEntries(
    output
      .trim()
      .split('\n')
      .map((line) => {
        const match = /^export (\w+)=(\S+)$/.exec(line);
        if (!match) throw new Error(`scripts/softhsm-token.sh printed an unexpected line: ${line}`);
        return [match[1] as string, match[2] as string];
      }),
  );
  for (const name of ['SOFTHSM2_CONF', 'DFNS_PKCS11_MODULE', 'DFNS_PKCS11_TOKEN_LABEL', 'DFNS_PKCS11_PIN_FILE']) {
    if (!env[name]) throw new Error(`scripts/softhsm-token.sh did not print ${name}:\n${output}`);
  }
  if (options.inProcess) process.env.SOFTHSM2_CONF = env.SOFTHSM2_CONF;
  const pin = readFileSync(env.DFNS_PKCS11_PIN_FILE as string, 'utf8').trim();
  return {
    env,
    settings: (keyLabel) => ({
      module: env.DFNS_PKCS11_MODULE as string,
      tokenLabel: env.DFNS_PKCS11_TOKEN_LABEL,
      keyLabel,
      pin,
      pinSource: 'DFNS_PKCS11_PIN_FILE',
    }),
    remove: () => rmSync(dirname(env.SOFTHSM2_CONF as string), { recursive: true, force: true }),
  };
}
