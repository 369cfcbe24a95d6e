// docker-compose.yml against the configuration schema (src/config.ts), whose entries say who reads each variable
// (docs/configuration.md is generated from them): every variable the worker or the app reads is passed to it, nothing
// passed is unknown, and secrets go only where used.
// Compose is read through `docker-compose config` (anchors merged, as a deployment sees it), needing no engine.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { CONFIG_VARIABLES, variableDoc } from '../../src/config';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(`${root}/${path}`, 'utf8');

/** Variables a service reads that compose deliberately does not pass, each with its reason. */
const NOT_PASSED: Record<string, string> = {
  DFNS_CREDENTIALS_FILE: "the sandbox's credentials file; a deployment passes DFNS_* itself",
  DFNS_PRIVATE_KEY_FILE: 'the alternative to DFNS_PRIVATE_KEY, which compose passes',
  TEMPORAL_TLS_CLIENT_CERT_DATA: 'the alternative to the _PATH variable, which compose passes (files in /certs)',
  TEMPORAL_TLS_CLIENT_KEY_DATA: 'the alternative to the _PATH variable, which compose passes (files in /certs)',
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: 'the alternative to the _PATH variable, which compose passes (files in /certs)',
  TEMPORAL_WORKFLOW_BUNDLE_PATH: 'set by the image (Dockerfile ENV), which builds the bundle',
  // The PKCS#11 signer needs the token vendor's library inside the worker's image, which compose does not ship; an
  // operator with an HSM sets these as docs/hsm.md says.
  DFNS_SIGNER: 'the PKCS#11 signer needs an HSM library in the image (docs/hsm.md); compose signs with a PEM key',
  DFNS_PKCS11_MODULE: 'see DFNS_SIGNER',
  DFNS_PKCS11_TOKEN_LABEL: 'see DFNS_SIGNER',
  DFNS_PKCS11_SLOT: 'see DFNS_SIGNER',
  DFNS_PKCS11_KEY_LABEL: 'see DFNS_SIGNER',
  DFNS_PKCS11_PIN: 'see DFNS_SIGNER',
  DFNS_PKCS11_PIN_FILE: 'see DFNS_SIGNER',
  NODE_OPTIONS: 'set by the image (Dockerfile ENV): the main heap limit the worker would otherwise set itself',
  MALLOC_ARENA_MAX: 'set by the image (Dockerfile ENV): the arenas the worker would otherwise set itself',
  WORKER_RELAUNCHED: 'set by the worker itself on the process it starts with its limits',
  WORKER_BUILD_ID: 'set by the image (Dockerfile ARG and ENV) when it is built, naming the version it holds',
  API_KEYS_FILE:
    'the alternative to API_KEY_ENTRY, which compose passes (mount a keys file and set it for several keys)',
};
/** Secrets and the only service allowed to hold each. */
const SECRET_HOLDER: Record<string, string> = {
  DFNS_AUTH_TOKEN: 'worker',
  DFNS_CRED_ID: 'worker',
  DFNS_PRIVATE_KEY: 'worker',
  CALLBACK_SIGNING_SECRET: 'worker',
  DFNS_WEBHOOK_SECRETS: 'app',
  API_CURSOR_SECRET: 'app',
};
/** Services beyond the readers a secret may reach, each with its reason. */
const ALSO_HOLDS: Record<string, string[]> = {
  // The one-shot that creates the namespace and its search attributes runs the Temporal CLI, which reads it.
  TEMPORAL_API_KEY: ['temporal-namespace'],
};
/** The processes of the schema's "read by" that are compose services. */
const SERVICE_FOR: Record<string, string[]> = { worker: ['worker'], server: ['app'] };

const variables = Object.keys(CONFIG_VARIABLES) as (keyof typeof CONFIG_VARIABLES)[];
/** The compose services that read a variable, per its schema entry. */
const servicesReading = (name: keyof typeof CONFIG_VARIABLES) =>
  variableDoc(name).usedBy.flatMap((reader) => SERVICE_FOR[reader] ?? []);

type Compose = { services: Record<string, { environment?: Record<string, string | null> }> };

describe('docker-compose.yml passes the configuration the code reads', () => {
  let compose: Compose;
  before(() => {
    const placeholders = ['DFNS_AUTH_TOKEN', 'DFNS_CRED_ID', 'DFNS_PRIVATE_KEY', 'DFNS_WEBHOOK_SECRETS']
      .concat(['POSTGRES_PASSWORD', 'GRAFANA_ADMIN_PASSWORD'])
      .map((name) => [name, 'ci']);
    const yaml = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
      cwd: root,
      env: { PATH: process.env.PATH, ...Object.fromEntries(placeholders) },
    });
    const toJson = 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)';
    compose = JSON.parse(execFileSync('python3', ['-c', toJson], { input: yaml }).toString()) as Compose;
  });
  const environment = (service: string) => Object.keys(compose.services[service]?.environment ?? {});

  it('passes every variable the worker and the app read, except the documented exceptions', () => {
    for (const name of variables) {
      for (const service of servicesReading(name)) {
        if (NOT_PASSED[name]) continue;
        assert.ok(environment(service).includes(name), `${name} is read by ${service} but not passed to it`);
      }
    }
    const bundleInImage = /ENV[^\n]*\n?[^\n]*TEMPORAL_WORKFLOW_BUNDLE_PATH=\/app\/dist\/workflow-bundle\.js/;
    assert.match(read('Dockerfile'), bundleInImage, 'the image points TEMPORAL_WORKFLOW_BUNDLE_PATH at its bundle');
  });

  it('passes nothing the code does not read', () => {
    for (const service of ['worker', 'app']) {
      const unknown = environment(service).filter((name) => !(variables as string[]).includes(name));
      assert.deepEqual(unknown, [], `${service} is given variables no code reads`);
    }
  });

  it('gives each secret only to the process that uses it', () => {
    for (const [secret, holder] of Object.entries(SECRET_HOLDER)) {
      for (const service of Object.keys(compose.services)) {
        if (service === holder) assert.ok(environment(service).includes(secret), `${holder} needs ${secret}`);
        else assert.ok(!environment(service).includes(secret), `${service} must not hold ${secret}`);
      }
    }
    // Every variable the schema marks secret reaches only the services that read it.
    for (const name of variables.filter((n) => variableDoc(n).secret)) {
      for (const service of Object.keys(compose.services)) {
        if (servicesReading(name).includes(service) || ALSO_HOLDS[name]?.includes(service)) continue;
        assert.ok(!environment(service).includes(name), `${service} must not hold the secret ${name}`);
      }
    }
  });

  it('registers the search attributes the workflow upserts', () => {
    const script = read('deploy/temporal/setup-namespace.sh');
    const contract = read('src/contracts/search-attributes.ts');
    const declared = [
      ...contract.matchAll(/defineSearchAttributeKey\(\s*'(\w+)',\s*SearchAttributeType\.(\w+),?\s*\)/g),
    ];
    assert.ok(declared.length > 0);
    const cliTypes: Record<string, string> = { BOOL: 'Bool', INT: 'Int', KEYWORD_LIST: 'KeywordList' };
    for (const [, name, type] of declared) {
      const cliType = cliTypes[type as string] ?? 'Keyword';
      assert.match(script, new RegExp(`\\b${name}=${cliType}\\b`), `${name} (${cliType}) is not registered`);
    }
  });
});
