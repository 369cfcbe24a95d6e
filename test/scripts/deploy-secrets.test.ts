// The scripts that make a deployment's secrets (docs/deployment.md): scripts/temporal-certs.sh, the mTLS certificates
// compose and the Postgres-backed suite both use, and scripts/compose-secrets.sh, the Docker secrets directory.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { parseCodecKeys } from '../../src/temporal/codec-keys';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = (script: string, args: string[]) => spawnSync(join(root, 'scripts', script), args, { encoding: 'utf8' });
const mode = (path: string) => statSync(path).mode & 0o777;

describe('scripts/temporal-certs.sh', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'temporal-certs-')), 'tls');
  after(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('makes a CA, a server certificate for both TLS ends and one client certificate per process', () => {
    const made = run('temporal-certs.sh', [dir, '--server-name', 'temporal.internal', '--days', '30']);
    assert.equal(made.status, 0, made.stderr);
    assert.deepEqual(readdirSync(dir).sort(), [
      ...['admin.key', 'admin.pem', 'app.key', 'app.pem', 'ca.key', 'ca.pem', 'server.key', 'server.pem'],
      ...['ui.key', 'ui.pem', 'worker.key', 'worker.pem'],
    ]);
    const ca = new X509Certificate(readFileSync(join(dir, 'ca.pem')));
    assert.ok(ca.ca);
    const server = new X509Certificate(readFileSync(join(dir, 'server.pem')));
    assert.ok(server.verify(ca.publicKey) && server.checkIssued(ca));
    assert.equal(server.checkHost('temporal.internal'), 'temporal.internal');
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
    assert.deepEqual(server.keyUsage?.sort(), ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'], 'serverAuth and clientAuth');
    const days = (Date.parse(server.validTo) - Date.parse(server.validFrom)) / 86_400_000;
    assert.ok(days > 29 && days < 31, `${days} days`);
    for (const client of ['worker', 'app', 'ui', 'admin']) {
      const cert = new X509Certificate(readFileSync(join(dir, `${client}.pem`)));
      assert.ok(cert.verify(ca.publicKey), `${client} is signed by the CA`);
      assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2'], `${client} is a client certificate only`);
      assert.ok(cert.checkPrivateKey(createPrivateKey(readFileSync(join(dir, `${client}.key`)))));
      assert.equal(cert.subject, `CN=payments-${client}`);
    }
  });

  it('keeps the directory to its owner, the CA key to itself, and each mounted file read-only', () => {
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(join(dir, 'ca.key')), 0o400);
    for (const file of ['server.key', 'worker.key', 'server.pem', 'ca.pem']) assert.equal(mode(join(dir, file)), 0o444);
  });

  it('changes nothing on a second run, and renews only a certificate whose files were removed', () => {
    const before = readFileSync(join(dir, 'server.pem'), 'utf8');
    const worker = readFileSync(join(dir, 'worker.pem'), 'utf8');
    const again = run('temporal-certs.sh', [dir, '--server-name', 'temporal.internal']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /nothing to do/);
    assert.equal(readFileSync(join(dir, 'server.pem'), 'utf8'), before);
    rmSync(join(dir, 'worker.pem'), { force: true });
    rmSync(join(dir, 'worker.key'), { force: true });
    const renewed = run('temporal-certs.sh', [dir, '--server-name', 'temporal.internal']);
    assert.match(renewed.stderr, /made worker\.pem/);
    assert.notEqual(readFileSync(join(dir, 'worker.pem'), 'utf8'), worker);
    assert.equal(readFileSync(join(dir, 'server.pem'), 'utf8'), before, 'the others stay');
    execFileSync('openssl', ['verify', '-CAfile', join(dir, 'ca.pem'), join(dir, 'worker.pem')]);
  });

  it('refuses bad arguments with exit 2 and a usage line', () => {
    for (const args of [[], ['--days'], [dir, '--days', 'ten'], [dir, '--server-name', 'Not A Name'], [dir, '-x']]) {
      const refused = run('temporal-certs.sh', args);
      assert.equal(refused.status, 2, args.join(' '));
      assert.match(refused.stderr, /ERROR/);
    }
  });
});

describe('scripts/compose-secrets.sh', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'compose-secrets-')), 'secrets');
  after(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('generates what it can, says what Dfns must give, and never overwrites a file', () => {
    const first = run('compose-secrets.sh', [dir]);
    assert.equal(first.status, 1);
    assert.match(first.stderr, /still missing .*: dfns-auth-token dfns-private-key\.pem dfns-webhook-secrets/);
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    assert.ok(read('api-cursor-secret').trim().length >= 32);
    assert.ok(read('callback-signing-secret').trim().length >= 16);
    assert.ok(read('postgres-password').trim().length >= 24);
    const keys = parseCodecKeys(read('temporal-codec-keys'));
    assert.equal(keys.size, 1);
    assert.match([...keys.keys()][0] as string, /^\d{4}-\d{2}$/);
    assert.match(read('api-keys'), /^# /);
    assert.ok(new X509Certificate(read('temporal-tls/server.pem')).checkHost('temporal'));
    assert.equal(mode(dir), 0o700);

    const cursor = read('api-cursor-secret');
    for (const file of ['dfns-auth-token', 'dfns-private-key.pem', 'dfns-webhook-secrets']) {
      writeFileSync(join(dir, file), 'from Dfns\n');
    }
    const second = run('compose-secrets.sh', [dir]);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /every secret docker-compose\.yml needs is in/);
    assert.equal(read('api-cursor-secret'), cursor, 'nothing overwritten');
  });

  it('asks for the token PIN instead of a PEM key with --pkcs11', () => {
    rmSync(join(dir, 'dfns-private-key.pem'));
    const missing = run('compose-secrets.sh', [dir, '--pkcs11']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /still missing .*: dfns-pkcs11-pin$/m);
    writeFileSync(join(dir, 'dfns-pkcs11-pin'), '1234\n');
    assert.equal(run('compose-secrets.sh', [dir, '--pkcs11']).status, 0);
  });
});
