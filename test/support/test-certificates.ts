import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** PEM files for one test: a CA, a server certificate and a client certificate signed by it. */
export interface TestCertificates {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A key that belongs to no certificate here. */
  strayKey: string;
  /** The DNS name the server certificate carries (and the only one: clients must override the server name). */
  serverName: string;
}

const openssl = (args: string[], cwd: string): void => void execFileSync('openssl', args, { cwd, stdio: 'pipe' });
const newKey = (file: string, cwd: string): void =>
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file], cwd);

function signed(name: string, subject: string, extensions: string, cwd: string): void {
  newKey(`${name}.key`, cwd);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], cwd);
  writeFileSync(join(cwd, `${name}.ext`), extensions);
  openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2'].concat(
      ['-extfile', `${name}.ext`, '-out', `${name}.pem`],
    ),
    cwd,
  );
}

/**
 * Generates fresh certificates with Debian's openssl into a new temporary directory. The server certificate names
 * only `temporal.test` and serves both TLS ends, since the server's own services call each other with it.
 */
export function generateTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'payments-certs-'));
  const serverName = 'temporal.test';
  newKey('ca.key', dir);
  openssl(
    ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=payments test CA', '-days', '2', '-out', 'ca.pem'].concat([
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]),
    dir,
  );
  const usage = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n';
  const serverUsage = `${usage}extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:${serverName}\n`;
  signed('server', `/CN=${serverName}`, serverUsage, dir);
  signed('client', '/CN=payments-worker', `${usage}extendedKeyUsage=clientAuth\n`, dir);
  newKey('stray.key', dir);
  return {
    dir,
    caCert: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
    strayKey: join(dir, 'stray.key'),
    serverName,
  };
}

/** The certificates a deployment makes (scripts/temporal-certs.sh), in a secrets directory laid out as compose reads it. */
export interface DeploymentCertificates extends TestCertificates {
  /** SECRETS_DIR for docker-compose.yml: the certificates are in its temporal-tls/. */
  secretsDir: string;
  adminCert: string;
  adminKey: string;
}

/**
 * Makes a deployment's certificates with the script compose's operators run (server name `temporal`, as in compose),
 * into a new temporary secrets directory; plus a key that belongs to none of them.
 */
export function deploymentCertificates(): DeploymentCertificates {
  const secretsDir = mkdtempSync(join(tmpdir(), 'payments-secrets-'));
  const dir = join(secretsDir, 'temporal-tls');
  const script = fileURLToPath(new URL('../../scripts/temporal-certs.sh', import.meta.url));
  execFileSync(script, [dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  newKey(join(secretsDir, 'stray.key'), secretsDir);
  return {
    secretsDir,
    dir,
    caCert: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'worker.pem'),
    clientKey: join(dir, 'worker.key'),
    adminCert: join(dir, 'admin.pem'),
    adminKey: join(dir, 'admin.key'),
    strayKey: join(secretsDir, 'stray.key'),
    serverName: 'temporal',
  };
}
