// docker-compose.yml against the configuration schema (src/config.ts) and the README's configuration table: every
// variable the worker or the app reads is passed to it, nothing passed is unknown, and secrets go only where used.
// Compose is read through `docker-compose config` (anchors merged, as a deployment sees it), needing no engine.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import ts from 'typescript';

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
/** README "used by" words that name a compose service. */
const SERVICE_FOR: Record<string, string[]> = { all: ['worker', 'app'], worker: ['worker'], server: ['app'] };

/** The keys of the `envSchema` object in src/config.ts, read with the TypeScript parser. */
function schemaVariables(): string[] {
  const file = ts.createSourceFile('config.ts', read('src/config.ts'), ts.ScriptTarget.Latest, true);
  let names: string[] | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText() === 'envSchema' && node.initializer) {
      const call = node.initializer;
      const literal = ts.isCallExpression(call) ? call.arguments[0] : undefined;
      if (literal && ts.isObjectLiteralExpression(literal)) {
        names = literal.properties.map((property) => property.name?.getText() ?? '');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  assert.ok(names && names.length > 0, 'src/config.ts has no `const envSchema = z.object({ ... })`');
  return names;
}

/** The README configuration table: variable → the processes its "used by" column names. */
function readmeUsedBy(): Map<string, string[]> {
  const rows = [...read('README.md').matchAll(/^\| `([A-Z0-9_]+)` \|[^|]*\| ([^|]+) \|/gm)];
  return new Map(rows.map(([, name, usedBy]) => [name as string, (usedBy as string).split(',').map((w) => w.trim())]));
}

type Compose = { services: Record<string, { environment?: Record<string, string | null> }> };

describe('docker-compose.yml passes the configuration the code reads', () => {
  let compose: Compose;
  let variables: string[];
  let usedBy: Map<string, string[]>;
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
    variables = schemaVariables();
    usedBy = readmeUsedBy();
  });
  const environment = (service: string) => Object.keys(compose.services[service]?.environment ?? {});

  it('documents every variable of the schema in the README table, and nothing else', () => {
    assert.deepEqual(
      variables.filter((name) => !usedBy.has(name)),
      [],
      'variables missing from the README table',
    );
    const extra = [...usedBy.keys()].filter((name) => !variables.includes(name));
    assert.deepEqual(extra, [], 'README rows the schema lacks');
  });

  it('passes every variable the worker and the app read, except the documented exceptions', () => {
    for (const name of variables) {
      const services = (usedBy.get(name) ?? []).flatMap((word) => SERVICE_FOR[word] ?? []);
      for (const service of services) {
        if (NOT_PASSED[name]) continue;
        assert.ok(environment(service).includes(name), `${name} is read by ${service} but not passed to it`);
      }
    }
    const bundleInImage = /ENV[^\n]*\n?[^\n]*TEMPORAL_WORKFLOW_BUNDLE_PATH=\/app\/dist\/workflow-bundle\.js/;
    assert.match(read('Dockerfile'), bundleInImage, 'the image points TEMPORAL_WORKFLOW_BUNDLE_PATH at its bundle');
  });

  it('passes nothing the code does not read', () => {
    for (const service of ['worker', 'app']) {
      const unknown = environment(service).filter((name) => !variables.includes(name));
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
