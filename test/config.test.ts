// Tests src/config.ts: parsing the environment. Resolving Dfns credentials from it is tested in
// test/dfns/credentials.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CONFIG_VARIABLES,
  ConfigError,
  loadConfig,
  SECRET_FILE_FORMS,
  SECRET_FILE_FORMS_ELSEWHERE,
} from '../src/config';
import { DEFAULT_PAYMENT_TIMINGS } from '../src/contracts/payment-messages';
import { paymentTimingsFromConfig } from '../src/payment-timings-config';
import { configError } from './support/config-error';

describe('loadConfig', () => {
  it('fills every default from an empty environment', () => {
    const config = loadConfig({});
    assert.equal(config.TEMPORAL_ADDRESS, '127.0.0.1:7233');
    assert.equal(config.TEMPORAL_NAMESPACE, 'default');
    assert.equal(config.TEMPORAL_TASK_QUEUE, 'payments');
    assert.equal(config.TEMPORAL_UI_URL, 'http://127.0.0.1:8233');
    assert.equal(config.APP_HOST, '127.0.0.1');
    assert.equal(config.APP_PORT, 8787);
    assert.equal(config.WEBHOOK_TOLERANCE_SECONDS, 300);
    assert.equal(config.DFNS_CREDENTIALS_FILE, '.local/dfns-sandbox.json');
    for (const name of [
      'DFNS_BASE_URL',
      'DFNS_ORG_ID',
      'DFNS_AUTH_TOKEN',
      'DFNS_CRED_ID',
      'DFNS_PRIVATE_KEY',
      'DFNS_PRIVATE_KEY_FILE',
      'DFNS_WEBHOOK_SECRETS',
      'DFNS_WALLET_ID',
    ] as const) {
      assert.equal(config[name], undefined, name);
    }
    for (const name of [
      'DFNS_REQUESTS_PER_MINUTE',
      'DFNS_REQUESTS_PER_SECOND',
      'DFNS_ACTIVITIES_PER_SECOND',
    ] as const) {
      assert.equal(config[name], undefined, `${name}: unset, the budget's default applies (src/dfns/dfns-budget.ts)`);
    }
    assert.equal(config.POLICY_AUTO_REJECT_TIMEOUT_MINUTES, 1440);
    for (const name of [
      'CALLBACK_SIGNING_SECRET',
      'CALLBACK_ALLOWED_INSECURE_HOSTS',
      'DFNS_APPROVER_USER_IDS',
      'PAYMENT_RECIPIENT_WHITELIST',
      'POLICY_WALLET_IDS',
      'DFNS_APPROVER_AUTH_TOKEN',
      'DFNS_APPROVER_CRED_ID',
      'DFNS_APPROVER_PRIVATE_KEY',
      'DFNS_APPROVER_PRIVATE_KEY_FILE',
    ] as const) {
      assert.equal(config[name], undefined, name);
    }
  });

  it('ignores unrelated variables', () => {
    const config = loadConfig({ PATH: '/usr/bin', HOME: '/root' });
    assert.equal((config as Record<string, unknown>).PATH, undefined);
  });

  it('parses numbers, host:port and the secret list', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: '[::1]:7233',
      APP_PORT: '9000',
      WEBHOOK_TOLERANCE_SECONDS: '60',
      DFNS_WEBHOOK_SECRETS: ' whsec_new , whsec_old,, ',
    });
    assert.equal(config.TEMPORAL_ADDRESS, '[::1]:7233');
    assert.equal(config.APP_PORT, 9000);
    assert.equal(config.WEBHOOK_TOLERANCE_SECONDS, 60);
    assert.deepEqual(config.DFNS_WEBHOOK_SECRETS, ['whsec_new', 'whsec_old']);
  });

  for (const value of ['abc', '70000', '-1', '80.5', '65536']) {
    it(`refuses APP_PORT=${JSON.stringify(value)} with a ConfigError naming APP_PORT`, () => {
      configError(() => loadConfig({ APP_PORT: value }), /^invalid configuration:/, /APP_PORT/);
    });
  }

  it('treats an empty variable as unset, so the default applies', () => {
    assert.equal(loadConfig({ APP_PORT: '' }).APP_PORT, 8787);
    assert.equal(loadConfig({ TEMPORAL_ADDRESS: '' }).TEMPORAL_ADDRESS, '127.0.0.1:7233');
  });

  // BUG: z.coerce.number() uses Number(), so " " becomes port 0 (a random port) and "0x1F90"/"1e3" are read as numbers.
  it('refuses APP_PORT values that are not decimal digits instead of letting Number() read them', () => {
    const accepted: string[] = [];
    for (const value of [' ', '0x1F90', '1e3']) {
      try {
        accepted.push(`${JSON.stringify(value)} → ${loadConfig({ APP_PORT: value }).APP_PORT}`);
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /APP_PORT/);
      }
    }
    assert.deepEqual(accepted, [], `accepted: ${accepted.join(', ')}`);
  });

  it('names every bad variable at once', () => {
    const message = configError(
      () =>
        loadConfig({
          APP_PORT: 'x',
          TEMPORAL_ADDRESS: 'localhost',
          WEBHOOK_TOLERANCE_SECONDS: '0',
          DFNS_BASE_URL: 'not a url',
        }),
      /APP_PORT/,
      /TEMPORAL_ADDRESS: must be host:port/,
      /WEBHOOK_TOLERANCE_SECONDS/,
      /DFNS_BASE_URL/,
    );
    assert.equal(message.split('\n').length, 5);
  });
});

describe('loadConfig: worker throughput, callbacks, policies and approvers', () => {
  it('reads DFNS_REQUESTS_PER_MINUTE as a whole number from 1 to 600000', () => {
    assert.equal(loadConfig({ DFNS_REQUESTS_PER_MINUTE: '1' }).DFNS_REQUESTS_PER_MINUTE, 1);
    assert.equal(loadConfig({ DFNS_REQUESTS_PER_MINUTE: '1000' }).DFNS_REQUESTS_PER_MINUTE, 1000);
    assert.equal(loadConfig({ DFNS_REQUESTS_PER_MINUTE: '600000' }).DFNS_REQUESTS_PER_MINUTE, 600_000);
    assert.equal(loadConfig({ DFNS_REQUESTS_PER_MINUTE: '' }).DFNS_REQUESTS_PER_MINUTE, undefined, 'empty: unset');
  });

  for (const [name, max] of [
    ['DFNS_REQUESTS_PER_MINUTE', '600001'],
    ['DFNS_REQUESTS_PER_SECOND', '10001'],
    ['DFNS_ACTIVITIES_PER_SECOND', '10001'],
  ] as const) {
    for (const value of ['0', max, '-1', '2.5', 'abc', ' ', '0x10', '1e3', ' 5']) {
      it(`refuses ${name}=${JSON.stringify(value)} naming the variable`, () => {
        configError(() => loadConfig({ [name]: value }), /^invalid configuration:/, new RegExp(name));
      });
    }
  }

  it('keeps the deprecated per-second settings working when set alone', () => {
    const config = loadConfig({ DFNS_REQUESTS_PER_SECOND: '15', DFNS_ACTIVITIES_PER_SECOND: '5' });
    assert.equal(config.DFNS_REQUESTS_PER_SECOND, 15);
    assert.equal(config.DFNS_ACTIVITIES_PER_SECOND, 5);
  });

  it('refuses the per-minute budget and the deprecated per-second one together, naming both', () => {
    configError(
      () => loadConfig({ DFNS_REQUESTS_PER_MINUTE: '1000', DFNS_REQUESTS_PER_SECOND: '15' }),
      /^invalid configuration:/,
      /DFNS_REQUESTS_PER_SECOND: deprecated: DFNS_REQUESTS_PER_MINUTE replaces it/,
    );
  });

  it('reads POLICY_AUTO_REJECT_TIMEOUT_MINUTES from 1 minute to a year, and refuses anything else', () => {
    assert.equal(loadConfig({ POLICY_AUTO_REJECT_TIMEOUT_MINUTES: '1' }).POLICY_AUTO_REJECT_TIMEOUT_MINUTES, 1);
    assert.equal(
      loadConfig({ POLICY_AUTO_REJECT_TIMEOUT_MINUTES: '525600' }).POLICY_AUTO_REJECT_TIMEOUT_MINUTES,
      525_600,
    );
    for (const value of ['0', '525601', '60m', '1.5']) {
      configError(
        () => loadConfig({ POLICY_AUTO_REJECT_TIMEOUT_MINUTES: value }),
        /POLICY_AUTO_REJECT_TIMEOUT_MINUTES/,
      );
    }
  });

  it('accepts a CALLBACK_SIGNING_SECRET of 16 characters or more', () => {
    assert.equal(loadConfig({ CALLBACK_SIGNING_SECRET: 'a'.repeat(16) }).CALLBACK_SIGNING_SECRET, 'a'.repeat(16));
    assert.equal(
      loadConfig({ CALLBACK_SIGNING_SECRET: 'cbsec_0123456789abcdef' }).CALLBACK_SIGNING_SECRET,
      'cbsec_0123456789abcdef',
    );
  });

  it('refuses a CALLBACK_SIGNING_SECRET shorter than 16 characters without echoing it', () => {
    const secret = 'short-secret-15';
    assert.equal(secret.length, 15);
    const message = configError(
      () => loadConfig({ CALLBACK_SIGNING_SECRET: secret }),
      /CALLBACK_SIGNING_SECRET: must be at least 16 characters/,
    );
    assert.ok(!message.includes(secret), message);
  });

  it('reads CALLBACK_ALLOWED_INSECURE_HOSTS as host or host:port entries, trimmed', () => {
    const config = loadConfig({ CALLBACK_ALLOWED_INSECURE_HOSTS: ' 127.0.0.1:9000, receiver.internal ,[::1]:8443,' });
    assert.deepEqual(config.CALLBACK_ALLOWED_INSECURE_HOSTS, ['127.0.0.1:9000', 'receiver.internal', '[::1]:8443']);
  });

  it('refuses a CALLBACK_ALLOWED_INSECURE_HOSTS entry that is not host or host:port, naming it', () => {
    configError(
      () => loadConfig({ CALLBACK_ALLOWED_INSECURE_HOSTS: 'localhost:9000,http://127.0.0.1:9000/' }),
      /CALLBACK_ALLOWED_INSECURE_HOSTS: not host or host:port: http:\/\/127\.0\.0\.1:9000\//,
    );
  });

  it('reads the approver, whitelist and wallet lists like DFNS_WEBHOOK_SECRETS: trimmed, without empty items', () => {
    const config = loadConfig({
      DFNS_APPROVER_USER_IDS: 'us-1, us-2 ,,',
      PAYMENT_RECIPIENT_WHITELIST: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      POLICY_WALLET_IDS: ' wa-1 ',
    });
    assert.deepEqual(config.DFNS_APPROVER_USER_IDS, ['us-1', 'us-2']);
    assert.deepEqual(config.PAYMENT_RECIPIENT_WHITELIST, ['0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359']);
    assert.deepEqual(config.POLICY_WALLET_IDS, ['wa-1']);
  });

  it('passes the DFNS_APPROVER_* credentials through as given', () => {
    const config = loadConfig({
      DFNS_APPROVER_AUTH_TOKEN: 'eyJ.approver',
      DFNS_APPROVER_CRED_ID: 'cr-approver',
      DFNS_APPROVER_PRIVATE_KEY_FILE: '/keys/approver.pem',
    });
    assert.equal(config.DFNS_APPROVER_AUTH_TOKEN, 'eyJ.approver');
    assert.equal(config.DFNS_APPROVER_CRED_ID, 'cr-approver');
    assert.equal(config.DFNS_APPROVER_PRIVATE_KEY_FILE, '/keys/approver.pem');
    assert.equal(config.DFNS_APPROVER_PRIVATE_KEY, undefined);
  });

  it('names every bad new variable at once, alongside the old ones', () => {
    const message = configError(
      () =>
        loadConfig({
          APP_PORT: 'x',
          DFNS_ACTIVITIES_PER_SECOND: '0',
          CALLBACK_SIGNING_SECRET: 'short',
          POLICY_AUTO_REJECT_TIMEOUT_MINUTES: 'never',
        }),
      /APP_PORT/,
      /DFNS_ACTIVITIES_PER_SECOND/,
      /CALLBACK_SIGNING_SECRET/,
      /POLICY_AUTO_REJECT_TIMEOUT_MINUTES/,
    );
    assert.equal(message.split('\n').length, 5);
  });
  it('reads the worker memory budget, the cache override and the connect timeout, refusing what cannot work', () => {
    const defaults = loadConfig({});
    assert.equal(defaults.WORKER_MEMORY_MIB, 512);
    assert.equal(defaults.WORKER_MAX_CACHED_WORKFLOWS, undefined);
    assert.equal(defaults.TEMPORAL_CONNECT_TIMEOUT_SECONDS, undefined, 'waits for Temporal as long as it takes');
    const set = loadConfig({
      WORKER_MEMORY_MIB: '2048',
      WORKER_MAX_CACHED_WORKFLOWS: '0',
      TEMPORAL_CONNECT_TIMEOUT_SECONDS: '120',
    });
    assert.equal(set.WORKER_MEMORY_MIB, 2048);
    assert.equal(set.WORKER_MAX_CACHED_WORKFLOWS, 0);
    assert.equal(set.TEMPORAL_CONNECT_TIMEOUT_SECONDS, 120);
    configError(
      () =>
        loadConfig({
          WORKER_MEMORY_MIB: '64',
          WORKER_MAX_CACHED_WORKFLOWS: '-1',
          TEMPORAL_CONNECT_TIMEOUT_SECONDS: '0',
        }),
      /WORKER_MEMORY_MIB/,
      /WORKER_MAX_CACHED_WORKFLOWS/,
      /TEMPORAL_CONNECT_TIMEOUT_SECONDS/,
    );
  });
  it('reads the polling timings for new payments, leaving unset ones to the workflow defaults', () => {
    assert.equal(paymentTimingsFromConfig(loadConfig({})), undefined, 'an unset environment changes nothing');
    const timings = paymentTimingsFromConfig(
      loadConfig({
        PAYMENT_FIRST_POLL_SECONDS: '20',
        PAYMENT_MAX_POLL_INTERVAL_SECONDS: '300',
        PAYMENT_APPROVAL_FIRST_POLL_SECONDS: '10',
        PAYMENT_APPROVAL_FAST_POLL_SECONDS: '60',
        PAYMENT_APPROVAL_FAST_WINDOW_MINUTES: '0',
        PAYMENT_APPROVAL_POLL_MINUTES: '30',
        PAYMENT_MAX_APPROVAL_POLL_MINUTES: '120',
      }),
    );
    assert.deepEqual(timings, {
      firstPollAfterMs: 20_000,
      maxPollIntervalMs: 300_000,
      approvalFirstPollMs: 10_000,
      approvalFastPollMs: 60_000,
      approvalFastWindowMs: 0,
      approvalPollIntervalMs: 1_800_000,
      maxApprovalPollIntervalMs: 7_200_000,
    });
    const one = paymentTimingsFromConfig(loadConfig({ PAYMENT_APPROVAL_POLL_MINUTES: '5' }));
    assert.deepEqual(one, { approvalPollIntervalMs: 300_000 });
    assert.equal({ ...DEFAULT_PAYMENT_TIMINGS, ...one }.firstPollAfterMs, DEFAULT_PAYMENT_TIMINGS.firstPollAfterMs);
    configError(
      () => loadConfig({ PAYMENT_FIRST_POLL_SECONDS: '0', PAYMENT_APPROVAL_POLL_MINUTES: 'soon' }),
      /PAYMENT_FIRST_POLL_SECONDS/,
      /PAYMENT_APPROVAL_POLL_MINUTES/,
    );
  });
});

describe('secrets as files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-secrets-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };

  it('gives every secret variable a file form', () => {
    const forms: Record<string, string> = { ...SECRET_FILE_FORMS, ...SECRET_FILE_FORMS_ELSEWHERE };
    const secretLooking = /(SECRETS?|TOKEN|PRIVATE_KEY|PIN|API_KEY|OTLP_HEADERS)$|_KEY_DATA$/;
    const secrets = Object.keys(CONFIG_VARIABLES).filter((name) => secretLooking.test(name));
    assert.ok(secrets.length >= 11, `found ${secrets.join(', ')}`);
    assert.deepEqual(
      secrets.filter((name) => !forms[name]),
      [],
      'secret variables without a file form',
    );
    for (const [secret, form] of Object.entries(forms)) {
      assert.ok(Object.keys(CONFIG_VARIABLES).includes(secret), `${secret} is not a configuration variable`);
      assert.ok(Object.keys(CONFIG_VARIABLES).includes(form), `${form} (the file form of ${secret}) is not read`);
    }
  });

  it('reads each <NAME>_FILE into <NAME>, less one trailing newline', () => {
    const values: Record<keyof typeof SECRET_FILE_FORMS, string> = {
      DFNS_AUTH_TOKEN: 'token-from-a-file',
      DFNS_WEBHOOK_SECRETS: 'whsec-one',
      CALLBACK_SIGNING_SECRET: 'callback-secret-of-a-file',
      DFNS_APPROVER_AUTH_TOKEN: 'approver-token-from-a-file',
      API_CURSOR_SECRET: 'a-cursor-secret-of-at-least-32-characters',
      PAYMENTS_API_KEY: 'pk_abcdefghijkl_key',
      TEMPORAL_API_KEY: 'temporal-cloud-key',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer trace-backend-key',
    };
    const env = Object.fromEntries(
      Object.entries(SECRET_FILE_FORMS).map(([name, form]) => [
        form,
        file(name, `${values[name as keyof typeof values]}\n`),
      ]),
    );
    const config = loadConfig(env);
    for (const [name, value] of Object.entries(values)) {
      const read = config[name as keyof typeof config];
      const expected =
        name === 'DFNS_WEBHOOK_SECRETS'
          ? [value]
          : name === 'OTEL_EXPORTER_OTLP_HEADERS'
            ? { authorization: 'Bearer trace-backend-key' }
            : value;
      assert.deepEqual(read, expected, name);
    }
  });

  it('reads a rotation of webhook secrets one per line, and checks a file secret like an inline one', () => {
    const config = loadConfig({ DFNS_WEBHOOK_SECRETS_FILE: file('webhooks', 'whsec-old\nwhsec-new\n') });
    assert.deepEqual(config.DFNS_WEBHOOK_SECRETS, ['whsec-old', 'whsec-new']);
    configError(
      () => loadConfig({ CALLBACK_SIGNING_SECRET_FILE: file('short', 'short\n') }),
      /CALLBACK_SIGNING_SECRET: must be at least 16 characters/,
    );
  });

  it('reads an empty secret file as not set, as it reads an empty variable', () => {
    const config = loadConfig({ OTEL_EXPORTER_OTLP_HEADERS_FILE: file('no-headers', '\n') });
    assert.equal(config.OTEL_EXPORTER_OTLP_HEADERS, undefined);
  });

  it('refuses a secret given both ways, and names an unreadable file without any content', () => {
    const message = configError(
      () =>
        loadConfig({
          DFNS_AUTH_TOKEN: 'inline-token',
          DFNS_AUTH_TOKEN_FILE: file('token', 'file-token'),
          API_CURSOR_SECRET_FILE: join(dir, 'absent'),
        }),
      /DFNS_AUTH_TOKEN_FILE: set DFNS_AUTH_TOKEN or DFNS_AUTH_TOKEN_FILE, not both/,
      /API_CURSOR_SECRET_FILE: cannot read .*absent \(ENOENT\)/,
    );
    assert.ok(!message.includes('inline-token') && !message.includes('file-token'));
  });
});
