import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config';
import { describeTemporalSecurity, temporalConnectionOptions } from '../../src/temporal/connection';
import { generateTestCertificates, type TestCertificates } from '../support/test-certificates';

describe('temporalConnectionOptions', () => {
  let certs: TestCertificates;
  before(() => {
    certs = generateTestCertificates();
  });
  after(() => rmSync(certs.dir, { recursive: true, force: true }));

  const options = (env: Record<string, string>) => temporalConnectionOptions(loadConfig(env));
  const refused = (env: Record<string, string>, pattern: RegExp) =>
    assert.throws(
      () => options(env),
      (error: unknown) => error instanceof ConfigError && pattern.test(error.message),
      `expected a ConfigError matching ${pattern}`,
    );

  it('connects in plaintext by default', () => {
    const plain = options({ TEMPORAL_ADDRESS: 'temporal:7233' });
    assert.deepEqual(plain, { address: 'temporal:7233' });
    assert.equal(describeTemporalSecurity(plain), 'plaintext');
  });

  it('reads mTLS material from files, with a server name override', () => {
    const mtls = options({
      TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clientCert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: certs.clientKey,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.caCert,
      TEMPORAL_TLS_SERVER_NAME: certs.serverName,
    });
    assert.equal(mtls.tls?.serverNameOverride, 'temporal.test');
    assert.equal(Buffer.from(mtls.tls?.serverRootCACertificate ?? []).toString(), readFileSync(certs.caCert, 'utf8'));
    assert.equal(Buffer.from(mtls.tls?.clientCertPair?.crt ?? []).toString(), readFileSync(certs.clientCert, 'utf8'));
    assert.equal(Buffer.from(mtls.tls?.clientCertPair?.key ?? []).toString(), readFileSync(certs.clientKey, 'utf8'));
    assert.equal(mtls.apiKey, undefined);
    assert.equal(describeTemporalSecurity(mtls), 'mTLS');
  });

  it('reads mTLS material from the environment, with \\n escapes as one-line env files carry them', () => {
    const oneLine = (file: string) => readFileSync(file, 'utf8').replace(/\n/g, '\\n');
    const mtls = options({
      TEMPORAL_TLS_CLIENT_CERT_DATA: oneLine(certs.clientCert),
      TEMPORAL_TLS_CLIENT_KEY_DATA: oneLine(certs.clientKey),
    });
    assert.equal(Buffer.from(mtls.tls?.clientCertPair?.key ?? []).toString(), readFileSync(certs.clientKey, 'utf8'));
    assert.equal(mtls.tls?.serverRootCACertificate, undefined, 'no CA given: the system roots verify the server');
  });

  it('turns TLS on for a Temporal Cloud API key', () => {
    const cloud = options({ TEMPORAL_ADDRESS: 'eu-west-1.aws.api.temporal.io:7233', TEMPORAL_API_KEY: 'key-123' });
    assert.deepEqual(cloud, { address: 'eu-west-1.aws.api.temporal.io:7233', tls: {}, apiKey: 'key-123' });
    assert.equal(describeTemporalSecurity(cloud), 'TLS + API key');
    assert.deepEqual(options({ TEMPORAL_TLS: 'true' }).tls, {});
  });

  it('refuses settings that cannot work together, naming the variables', () => {
    const { clientCert, clientKey, caCert } = certs;
    refused({ TEMPORAL_TLS_CLIENT_CERT_PATH: clientCert }, /needs its key: set TEMPORAL_TLS_CLIENT_KEY_PATH/);
    refused({ TEMPORAL_TLS_CLIENT_KEY_PATH: clientKey }, /client key needs its certificate/);
    refused({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'key-123' }, /TEMPORAL_API_KEY cannot be sent over a plaintext/);
    refused({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_CA_CERT_PATH: caCert }, /TEMPORAL_TLS=false, yet .*server CA/);
    refused(
      { TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clientCert, TEMPORAL_TLS_CLIENT_CERT_DATA: 'x' },
      /set TEMPORAL_TLS_CLIENT_CERT_PATH or TEMPORAL_TLS_CLIENT_CERT_DATA, not both/,
    );
    refused(
      { TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clientCert, TEMPORAL_TLS_CLIENT_KEY_PATH: certs.strayKey },
      /TEMPORAL_TLS_CLIENT_KEY_PATH \(.*stray.key\) is not the private key of TEMPORAL_TLS_CLIENT_CERT_PATH/,
    );
    const missing = join(certs.dir, 'missing.pem');
    refused({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: missing }, /SERVER_CA_CERT_PATH: cannot read .*missing.pem \(ENOENT\)/);
    refused({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: clientKey }, /CA_CERT_PATH .* is not PEM: expected a certificate/);
    assert.throws(() => loadConfig({ TEMPORAL_TLS: 'yes' }), /TEMPORAL_TLS: /);
  });

  it('never puts key material in an error', () => {
    const secret = 'not-a-pem-but-a-secret-value';
    assert.throws(
      () => options({ TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clientCert, TEMPORAL_TLS_CLIENT_KEY_DATA: secret }),
      (error: unknown) =>
        error instanceof ConfigError && !error.message.includes(secret) && /KEY_DATA is not PEM/.test(error.message),
    );
  });
});
