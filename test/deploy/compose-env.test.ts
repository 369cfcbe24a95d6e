// docker-compose.yml (and its overrides in deploy/compose/) against the configuration schema (src/config.ts), whose
// entries say who reads each variable (docs/configuration.md is generated from them), and .env.example: every variable the worker or the app reads is passed to it, nothing
// passed is unknown, secrets travel only as Docker secrets and reach only the services that use them, Temporal is
// closed (mTLS required, its frontend unpublished, a client certificate per process), every container is hardened,
// and what compose gives the worker and the app is a configuration the code accepts, with an HSM and no PEM key too.
// Compose is read through `docker-compose config` (anchors merged, as a deployment sees it), needing no engine.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { loadApiKeys } from '../../src/api/api-key-config';
import {
  CONFIG_VARIABLES,
  loadConfig,
  SECRET_FILE_FORMS,
  SECRET_FILE_FORMS_ELSEWHERE,
  variableDoc,
} from '../../src/config';
import { resolveDfnsCredentials, resolveWebhookSecrets } from '../../src/dfns/credentials';
import { loadCodecKeyring } from '../../src/temporal/codec-keys';
import { temporalConnectionOptions } from '../../src/temporal/connection';
import { composeConfig, mountedEnvironment, type Compose, type ComposeService } from '../support/compose';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(`${root}/${path}`, 'utf8');

/** Variables a service reads that compose deliberately does not pass, each with its reason. */
const NOT_PASSED: Record<string, string> = {
  DFNS_CREDENTIALS_FILE: "the sandbox's credentials file; a deployment passes DFNS_* itself",
  TEMPORAL_TLS: 'implied: compose gives every client its certificate, which turns TLS on',
  TEMPORAL_TLS_CLIENT_CERT_DATA: 'the alternative to the _PATH variable, which compose passes (a Docker secret)',
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: 'the alternative to the _PATH variable, which compose passes (a Docker secret)',
  TEMPORAL_API_KEY_FILE: 'Temporal Cloud only: add it as a Docker secret there (docs/deployment.md)',
  TEMPORAL_API_KEY: 'Temporal Cloud only, and then as TEMPORAL_API_KEY_FILE',
  TEMPORAL_WORKFLOW_BUNDLE_PATH: 'set by the image (Dockerfile ENV), which builds the bundle',
  // The PKCS#11 signer needs the token vendor's library inside the worker's container: deploy/compose/pkcs11.yml
  // mounts it and sets these (checked below).
  DFNS_SIGNER: 'set by deploy/compose/pkcs11.yml',
  DFNS_PKCS11_MODULE: 'set by deploy/compose/pkcs11.yml',
  DFNS_PKCS11_TOKEN_LABEL: 'set by deploy/compose/pkcs11.yml',
  DFNS_PKCS11_SLOT: 'set by deploy/compose/pkcs11.yml',
  DFNS_PKCS11_KEY_LABEL: 'set by deploy/compose/pkcs11.yml',
  DFNS_PKCS11_PIN_FILE: 'set by deploy/compose/pkcs11.yml',
  DFNS_PKCS11_PIN: 'its file form is set by deploy/compose/pkcs11.yml',
  API_KEY_ENTRY: 'the alternative to API_KEYS_FILE, which compose passes (a Docker secret)',
  NODE_OPTIONS: 'set by the image (Dockerfile ENV): the main heap limit the worker would otherwise set itself',
  MALLOC_ARENA_MAX: 'set by the image (Dockerfile ENV): the arenas the worker would otherwise set itself',
  WORKER_RELAUNCHED: 'set by the worker itself on the process it starts with its limits',
  WORKER_BUILD_ID: 'set by the image (Dockerfile ARG and ENV) when it is built, naming the version it holds',
};
/** Each Docker secret and the only services allowed to mount it. */
const SECRET_HOLDERS: Record<string, string[]> = {
  postgres_password: ['postgresql', 'temporal-schema', 'temporal'],
  grafana_admin_password: ['grafana'],
  dfns_auth_token: ['worker'],
  dfns_private_key: ['worker'],
  dfns_pkcs11_pin: ['worker'],
  callback_signing_secret: ['worker'],
  dfns_webhook_secrets: ['app'],
  api_keys: ['app'],
  api_cursor_secret: ['app'],
  temporal_codec_keys: ['worker', 'app'],
  temporal_ca: ['temporal', 'temporal-namespace', 'temporal-admin', 'temporal-ui', 'worker', 'app'],
  temporal_server_cert: ['temporal'],
  temporal_server_key: ['temporal'],
  temporal_worker_cert: ['worker'],
  temporal_worker_key: ['worker'],
  temporal_app_cert: ['app'],
  temporal_app_key: ['app'],
  temporal_ui_cert: ['temporal-ui'],
  temporal_ui_key: ['temporal-ui'],
  temporal_admin_cert: ['temporal-namespace', 'temporal-admin'],
  temporal_admin_key: ['temporal-namespace', 'temporal-admin'],
  temporal_ui_oidc_client_secret: ['temporal-ui'],
  otel_exporter_headers: ['worker', 'app'],
};
/** Every secret variable of the schema: none may be given a value by compose, only a file. */
const SECRET_VARIABLES = [...Object.keys(SECRET_FILE_FORMS), ...Object.keys(SECRET_FILE_FORMS_ELSEWHERE)];
/** Variables whose value is a secret's file: compose must point them at a Docker secret. */
const SECRET_FILE_VARIABLES = [
  ...Object.values(SECRET_FILE_FORMS),
  ...Object.values(SECRET_FILE_FORMS_ELSEWHERE),
  ...['TEMPORAL_CODEC_KEYS_FILE', 'API_KEYS_FILE', 'TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_SERVER_CA_CERT_PATH'],
  ...[
    'TEMPORAL_TLS_SERVER_CERT',
    'TEMPORAL_TLS_SERVER_KEY',
    'TEMPORAL_TLS_SERVER_CA_CERT',
    'TEMPORAL_TLS_CLIENT_CA_CERT',
  ],
  ...['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA'],
  ...['POSTGRES_PASSWORD_FILE', 'SQL_PASSWORD_FILE', 'GF_SECURITY_ADMIN_PASSWORD__FILE'],
];
/** The processes of the schema's "read by" that are compose services. */
const SERVICE_FOR: Record<string, string[]> = { worker: ['worker'], server: ['app'] };

const variables = Object.keys(CONFIG_VARIABLES) as (keyof typeof CONFIG_VARIABLES)[];
/** The compose services that read a variable, per its schema entry. */
const servicesReading = (name: keyof typeof CONFIG_VARIABLES) =>
  variableDoc(name).usedBy.flatMap((reader) => SERVICE_FOR[reader] ?? []);

type Service = ComposeService;

/** The variables a compose file interpolates (`${NAME…}`), `$$` escapes left out. */
function interpolated(path: string): string[] {
  return [...read(path).matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)/g)].map(([, name]) => name as string);
}

describe('docker-compose.yml passes the configuration the code reads', () => {
  let compose: Compose;
  let secretsDir: string;
  const required = { DFNS_CRED_ID: 'cr-ci' };
  before(() => {
    // The secrets directory a deployment makes (scripts/compose-secrets.sh), plus stand-ins for what Dfns gives.
    secretsDir = mkdtempSync(join(tmpdir(), 'compose-secrets-'));
    const made = spawnSync(join(root, 'scripts/compose-secrets.sh'), [secretsDir], { encoding: 'utf8' });
    assert.equal(made.status, 1, 'the script says the Dfns files are still missing');
    assert.match(made.stderr, /still missing .*dfns-auth-token dfns-private-key\.pem dfns-webhook-secrets/);
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    writeFileSync(join(secretsDir, 'dfns-auth-token'), 'eyJ.service-account-token\n');
    writeFileSync(join(secretsDir, 'dfns-private-key.pem'), pem);
    writeFileSync(join(secretsDir, 'dfns-webhook-secrets'), 'whsec-old-0123456789\nwhsec-new-0123456789\n');
    writeFileSync(join(secretsDir, 'dfns-pkcs11-pin'), '1234\n');
    const done = spawnSync(join(root, 'scripts/compose-secrets.sh'), [secretsDir], { encoding: 'utf8' });
    assert.equal(done.status, 0, done.stderr);
    compose = composeConfig(['docker-compose.yml'], { ...required, SECRETS_DIR: secretsDir });
  });
  after(() => rmSync(secretsDir, { recursive: true, force: true }));
  const environment = (service: string, from = compose) => Object.keys(from.services[service]?.environment ?? {});

  const asMounted = mountedEnvironment;

  it('passes every variable the worker and the app read, a secret by its file form, except documented exceptions', () => {
    const forms: Record<string, string> = { ...SECRET_FILE_FORMS, ...SECRET_FILE_FORMS_ELSEWHERE };
    for (const name of variables) {
      for (const service of servicesReading(name)) {
        if (NOT_PASSED[name]) continue;
        const form = forms[name];
        // A secret counts as passed when its file form is, and a file form when the secret it stands for is.
        const passed = [name, form, Object.entries(forms).find(([, f]) => f === name)?.[0]].filter(Boolean);
        assert.ok(
          passed.some((n) => environment(service).includes(n as string)),
          `${name} is read by ${service} but not passed to it`,
        );
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

  it('gives no secret as an environment value: only Docker secrets, each to the services that use it', () => {
    const files = ['docker-compose.yml', 'deploy/compose/pkcs11.yml', 'deploy/compose/ui-oidc.yml'];
    for (const file of files) {
      const leaked = interpolated(file).filter(
        (name) => SECRET_VARIABLES.includes(name) || /PASSWORD|SECRET$/.test(name),
      );
      assert.deepEqual(leaked, [], `${file} interpolates secrets from the environment`);
    }
    const merged = composeConfig(files, {
      ...required,
      SECRETS_DIR: secretsDir,
      DFNS_PKCS11_MODULE: '/opt/pkcs11/lib.so',
      DFNS_PKCS11_DIR: secretsDir,
      TEMPORAL_AUTH_PROVIDER_URL: 'https://idp.example',
      TEMPORAL_AUTH_CLIENT_ID: 'ui',
      TEMPORAL_AUTH_CALLBACK_URL: 'https://ui.example/auth/sso/callback',
    });
    for (const [name, service] of Object.entries(merged.services)) {
      const values = Object.entries(service.environment ?? {});
      for (const [variable, value] of values) {
        assert.ok(!SECRET_VARIABLES.includes(variable), `${name} is given ${variable} as a value`);
        const secretLike =
          /PASSWORD$|_SECRET$|_TOKEN$|PRIVATE_KEY$/.test(variable) && variable !== 'TEMPORAL_CODEC_PASS_ACCESS_TOKEN';
        assert.ok(!secretLike, `${name}: ${variable} looks like a secret`);
        // Empty is "not set" (the HSM override unsets the PEM key's file that way).
        if (SECRET_FILE_VARIABLES.includes(variable) && value) {
          assert.match(value, /^\/run\/secrets\/[a-z0-9_]+$/, `${name}: ${variable} is not a Docker secret`);
        }
      }
    }
    for (const secret of Object.keys(merged.secrets)) {
      assert.ok(SECRET_HOLDERS[secret], `secret ${secret} has no declared holder`);
    }
    for (const [secret, holders] of Object.entries(SECRET_HOLDERS)) {
      const mounting = Object.entries(merged.services)
        .filter(([, service]) => service.secrets?.some((s) => s.source === secret))
        .map(([name]) => name)
        .sort();
      assert.deepEqual(mounting, [...holders].sort(), `who mounts ${secret}`);
    }
  });

  it('closes Temporal: mTLS required, its frontend unpublished, a client certificate per process', () => {
    const temporal = compose.services.temporal as Service;
    assert.equal(temporal.ports, undefined, 'the Temporal frontend is not published to the host');
    const serverEnv = temporal.environment ?? {};
    assert.equal(serverEnv.TEMPORAL_TLS_SERVER_CERT, '/run/secrets/temporal_server_cert');
    assert.equal(serverEnv.TEMPORAL_TLS_CLIENT_CA_CERT, '/run/secrets/temporal_ca');
    // The server config turns requireClientAuth on whenever a server certificate is set (postgres-cluster.test.ts
    // renders it, and refuses a client without a certificate there).
    assert.match(read('deploy/temporal/config/production.yaml'), /requireClientAuth: true/);
    const certOf: Record<string, string> = {
      worker: 'worker',
      app: 'app',
      'temporal-namespace': 'admin',
      'temporal-admin': 'admin',
    };
    for (const [service, cert] of Object.entries(certOf)) {
      const env = compose.services[service]?.environment ?? {};
      assert.equal(env.TEMPORAL_TLS_CLIENT_CERT_PATH, `/run/secrets/temporal_${cert}_cert`, service);
      assert.equal(env.TEMPORAL_TLS_CLIENT_KEY_PATH, `/run/secrets/temporal_${cert}_key`, service);
      assert.equal(env.TEMPORAL_TLS_SERVER_CA_CERT_PATH, '/run/secrets/temporal_ca', service);
      assert.equal(env.TEMPORAL_TLS_SERVER_NAME, 'temporal', service);
    }
    const ui = compose.services['temporal-ui']?.environment ?? {};
    assert.equal(ui.TEMPORAL_TLS_CERT, '/run/secrets/temporal_ui_cert');
    assert.equal(ui.TEMPORAL_TLS_CA, '/run/secrets/temporal_ca');
    assert.equal(ui.TEMPORAL_TLS_ENABLE_HOST_VERIFICATION, 'true');
    assert.equal(ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS, 'true', 'the UI sends the codec session cookie');
    for (const [name, service] of Object.entries(compose.services)) {
      for (const port of service.ports ?? []) {
        const hostIp = typeof port === 'string' ? port.split(':')[0] : port.host_ip;
        assert.equal(hostIp, '127.0.0.1', `${name} publishes a port beyond loopback`);
      }
    }
  });

  it('runs every container read-only, without new privileges and with every capability dropped', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      assert.equal(service.read_only, true, `${name} is not read-only`);
      assert.ok(service.security_opt?.includes('no-new-privileges:true'), `${name} may gain privileges`);
      assert.deepEqual(service.cap_drop, ['ALL'], `${name} keeps capabilities`);
      assert.equal(service.cap_add, undefined, `${name} adds capabilities back`);
    }
  });

  it('gives the worker and the app a configuration the code accepts, every secret read from its file', () => {
    const worker = loadConfig(asMounted(compose, 'worker'));
    const credentials = resolveDfnsCredentials(worker);
    assert.equal(credentials.authToken, 'eyJ.service-account-token');
    assert.match(credentials.privateKey ?? '', /BEGIN PRIVATE KEY/);
    assert.equal(worker.CALLBACK_SIGNING_SECRET?.length, 48);
    assert.equal(loadCodecKeyring(worker)?.keys.size, 1);
    assert.ok(temporalConnectionOptions(worker).tls?.clientCertPair, 'the worker connects with its certificate');

    const app = loadConfig(asMounted(compose, 'app'));
    assert.deepEqual(resolveWebhookSecrets(app), ['whsec-old-0123456789', 'whsec-new-0123456789']);
    assert.equal(app.API_CURSOR_SECRET?.length, 48);
    assert.deepEqual(loadApiKeys(app), [], 'the api-keys file starts with comments only');
    assert.equal(loadCodecKeyring(app)?.encryptKeyId, loadCodecKeyring(worker)?.encryptKeyId, 'one key set');
    assert.ok(temporalConnectionOptions(app).tls?.clientCertPair);
  });

  it('lets the worker sign with an HSM and no PEM key (deploy/compose/pkcs11.yml)', () => {
    const merged = composeConfig(['docker-compose.yml', 'deploy/compose/pkcs11.yml'], {
      ...required,
      SECRETS_DIR: secretsDir,
      DFNS_PKCS11_MODULE: '/opt/pkcs11/libvendor.so',
      DFNS_PKCS11_TOKEN_LABEL: 'payments',
      DFNS_PKCS11_DIR: secretsDir,
    });
    const env = asMounted(merged, 'worker');
    assert.equal(env.DFNS_SIGNER, 'pkcs11');
    assert.equal(env.DFNS_PRIVATE_KEY_FILE, '', 'no PEM key: empty means unset');
    assert.equal(readFileSync(merged.secrets.dfns_private_key?.file as string, 'utf8'), '', 'an empty stand-in');
    const credentials = resolveDfnsCredentials(loadConfig(env));
    assert.equal(credentials.privateKey, undefined);
    assert.equal(credentials.pkcs11?.module, '/opt/pkcs11/libvendor.so');
    assert.equal(credentials.pkcs11?.tokenLabel, 'payments');
    assert.equal(credentials.pkcs11?.pin, '1234');
  });

  it('signs Web UI users in with OIDC when asked (deploy/compose/ui-oidc.yml), its client secret a file', () => {
    const merged = composeConfig(['docker-compose.yml', 'deploy/compose/ui-oidc.yml'], {
      ...required,
      SECRETS_DIR: secretsDir,
      TEMPORAL_AUTH_PROVIDER_URL: 'https://idp.example',
      TEMPORAL_AUTH_CLIENT_ID: 'temporal-ui',
      TEMPORAL_AUTH_CALLBACK_URL: 'https://ui.example/auth/sso/callback',
    });
    const ui = merged.services['temporal-ui'] as Service;
    assert.equal(ui.environment?.TEMPORAL_AUTH_ENABLED, 'true');
    assert.ok(!Object.keys(ui.environment ?? {}).includes('TEMPORAL_AUTH_CLIENT_SECRET'));
    assert.match(JSON.stringify(ui.entrypoint), /\/run\/secrets\/temporal_ui_oidc_client_secret/);
  });

  it('lists every variable in .env.example: the schema, and what compose and its overrides interpolate', () => {
    const listed = [...read('.env.example').matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map(([, name]) => name as string);
    const composeOnly = ['docker-compose.yml', 'deploy/compose/pkcs11.yml', 'deploy/compose/ui-oidc.yml'].flatMap(
      interpolated,
    );
    // The image's and the worker's own process settings are no deployment's to set.
    const processOnly = ['NODE_OPTIONS', 'MALLOC_ARENA_MAX', 'WORKER_RELAUNCHED'];
    const known = new Set([...variables.filter((name) => !processOnly.includes(name)), ...composeOnly]);
    assert.deepEqual(
      [...known].filter((name) => !listed.includes(name)),
      [],
      '.env.example lacks these',
    );
    assert.deepEqual(
      listed.filter((name) => !known.has(name)),
      [],
      '.env.example lists variables nothing reads',
    );
    const valued = [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)];
    for (const [, name, value] of valued) {
      assert.ok(!SECRET_VARIABLES.includes(name as string), `.env.example gives the secret ${name} a line of its own`);
      assert.ok(!/PASSWORD$|SECRETS?$|TOKEN$/.test(name as string) || value === '', `${name} has a value`);
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
