// Every UPPER_CASE name the README, the docs and the alert runbooks mention is a variable something reads: the
// orchestrator's configuration schema, the sandbox's, docker-compose's interpolations or the provisioning scripts'
// overrides. A renamed or removed variable fails here wherever a page still names it; a few names from outside are
// listed below, each with its reason.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { SANDBOX_VARIABLES } from '../../sandbox/src/config/env';
import { CONFIG_VARIABLES } from '../../src/config';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(`${root}/${path}`, 'utf8');

/** Names from outside the project, each with why a page may name it. A prefix ends with `_`. */
const OUTSIDE: Record<string, string> = {
  OTEL_: "OpenTelemetry's own variables, read by its SDK",
  SOFTHSM2_CONF: "SoftHSM2's configuration file, read by its library",
  CKA_: 'PKCS#11 attribute names (not variables)',
  CKM_: 'PKCS#11 mechanism names (not variables)',
  CKR_: 'PKCS#11 return codes (not variables)',
  ECC_NIST_P256: 'an AWS KMS key spec (not a variable)',
  ECDSA_SHA_256: 'an AWS KMS signing algorithm (not a variable)',
  SIGN_VERIFY: 'an AWS KMS key usage (not a variable)',
  EC_SIGN_P256_SHA256: 'a Google Cloud KMS algorithm (not a variable)',
  OUT_OF_ENERGY: 'a Tron transaction result (not a variable)',
  MAX_MONEY: "Bitcoin Core's supply bound (not a variable)",
  USE_EXISTING: 'a Temporal workflow id conflict policy (not a variable)',
  REJECT_DUPLICATE: 'a Temporal workflow id reuse policy (not a variable)',
  CALLBACK_SIGNATURE_HEADER: 'a constant of src/client/callback-signature.ts (not a variable)',
  DFNS_OPERATOR_SHARE: 'a constant of src/contracts/task-queues.ts (not a variable)',
  UNROUTABLE_WINDOW_MS: 'a constant of src/bridge/dfns-webhook-route.ts (not a variable)',
  PAYMENT_BASELINE: 'a constant of src/contracts/payment-messages.ts (not a variable)',
  DFNS_COST_CLASSES: 'a constant of src/contracts/task-queues.ts (not a variable)',
  OUTSIDE_BASELINES: 'a constant of workflows/baseline.ts (not a variable)',
};

/** The `${NAME…}` interpolations of a file (compose, shell scripts): the variables it reads. */
const interpolated = (text: string) => [...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)[:}?-]/g)].map((m) => m[1] as string);

/** docker-compose.yml and its overrides. */
const composeFiles = () => [
  'docker-compose.yml',
  ...readdirSync(`${root}/deploy/compose`)
    .filter((file) => file.endsWith('.yml'))
    .map((file) => `deploy/compose/${file}`),
];

/** The names a compose file sets in a container's environment (`NAME: value` lines). */
const environmentKeys = (text: string) => [...text.matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] as string);

function knownNames(): Set<string> {
  const scripts = readdirSync(`${root}/scripts`).filter((file) => file.endsWith('.sh'));
  return new Set([
    ...Object.keys(CONFIG_VARIABLES),
    ...Object.keys(SANDBOX_VARIABLES),
    ...composeFiles().flatMap((file) => interpolated(read(file))),
    // What compose gives the containers of other images (Postgres, the Temporal server and its UI) to read.
    ...composeFiles().flatMap((file) => environmentKeys(read(file))),
    ...scripts.flatMap((file) => interpolated(read(`scripts/${file}`))),
  ]);
}

function pages(): string[] {
  const docs = readdirSync(`${root}/docs`, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`);
  return ['README.md', ...docs.sort(), 'deploy/prometheus/alerts.yml'];
}

const NAME = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;

/** Each mention of an UPPER_CASE name in a text, with its line number. */
export function mentions(text: string): { name: string; line: number }[] {
  return text
    .split('\n')
    .flatMap((line, index) => [...line.matchAll(NAME)].map((m) => ({ name: m[0], line: index + 1 })));
}

const outside = (name: string) =>
  Object.keys(OUTSIDE).some((entry) => (entry.endsWith('_') ? name.startsWith(entry) : name === entry));

describe('variables named in the docs exist', () => {
  const known = knownNames();

  for (const page of pages()) {
    it(`${page} names only variables that something reads`, () => {
      const unknown = mentions(read(page))
        .filter(({ name }) => !known.has(name) && !outside(name))
        .map(({ name, line }) => `${page}:${line} ${name}`);
      assert.deepEqual(unknown, []);
    });
  }

  it('catches a renamed variable', () => {
    const text = 'lower `DFNS_ACTIVITIES_PER_SECONDS` (shared by all workers)';
    assert.deepEqual(
      mentions(text).filter(({ name }) => !known.has(name) && !outside(name)),
      [{ name: 'DFNS_ACTIVITIES_PER_SECONDS', line: 1 }],
    );
  });

  it('knows the outside names it allows are not the project’s own', () => {
    for (const name of Object.keys(OUTSIDE)) assert.ok(!known.has(name), `${name} is the project's own: drop it here`);
  });
});
