import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config';
import { clientBindings, NO_CLIENT_BINDINGS } from '../../src/clients/client-bindings';
import {
  ClientsFileError,
  EXAMPLE_CLIENTS_FILE,
  loadClientBindings,
  parseClientsFile,
  readClientsFile,
} from '../../src/clients/load-clients-file';
import { EXAMPLE_POOLS_FILE, loadPoolFile } from '../../src/pools/load-pool-file';

const valid = {
  version: 1,
  clients: [{ id: 'acme', wallets: ['wa-1'], pools: ['usdc-sepolia'], callbackHosts: ['hooks.acme.example'] }],
};
const client = valid.clients[0] as (typeof valid.clients)[number];

function rejects(json: unknown, ...patterns: RegExp[]): void {
  assert.throws(
    () => parseClientsFile(json, 'clients.json'),
    (error: unknown) => {
      assert.ok(error instanceof ClientsFileError && error instanceof ConfigError, String(error));
      assert.match(error.message, /^clients\.json is not a valid clients file:/);
      for (const pattern of patterns) assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('clients file', () => {
  it('the shipped example validates against the shipped example pools', () => {
    const file = readClientsFile(EXAMPLE_CLIENTS_FILE, loadPoolFile(EXAMPLE_POOLS_FILE));
    assert.deepEqual(
      file.clients.map((c) => c.id),
      ['acme', 'globex'],
    );
    const bindings = clientBindings(file);
    assert.deepEqual([...bindings.of('acme').pools], ['usdc-sepolia']);
    assert.deepEqual(bindings.callbackHostsOf('acme'), ['hooks.acme.example']);
    assert.equal(bindings.callbackHostsOf('globex'), undefined, 'no list: no per-client restriction');
    assert.deepEqual([...bindings.of(undefined).wallets], ['wa-01jops0000000000000000001']);
  });

  it('binds nothing by default: no file, a client it does not name, a client with no lists, no withoutClient', () => {
    for (const bindings of [
      loadClientBindings(undefined, []),
      NO_CLIENT_BINDINGS,
      clientBindings(parseClientsFile({ version: 1, clients: [{ id: 'acme' }] }, 'c.json')),
    ]) {
      for (const id of ['acme', 'globex', undefined]) {
        assert.equal(bindings.of(id).wallets.size, 0);
        assert.equal(bindings.of(id).pools.size, 0);
        assert.equal(bindings.callbackHostsOf(id), undefined);
      }
    }
  });

  it('keeps each client to its own entry', () => {
    const bindings = clientBindings(
      parseClientsFile(
        {
          version: 1,
          clients: [
            { id: 'acme', wallets: ['wa-a'] },
            { id: 'globex', wallets: ['wa-g'], pools: ['g-hot'] },
          ],
          withoutClient: { wallets: ['wa-ops'] },
        },
        'c.json',
      ),
    );
    assert.deepEqual([...bindings.of('acme').wallets], ['wa-a']);
    assert.deepEqual([...bindings.of('acme').pools], []);
    assert.deepEqual([...bindings.of('globex').pools], ['g-hot']);
    assert.deepEqual([...bindings.of(undefined).wallets], ['wa-ops']);
    assert.deepEqual([...bindings.of('initech').wallets], []);
    assert.deepEqual(bindings.clientIds, ['acme', 'globex']);
  });

  it('keeps callback hosts as URLs spell them: host or host:port, lower case, IPv6 in brackets', () => {
    const hosts = ['Hooks.ACME.example', 'hooks.acme.example:8443', '203.0.113.7', '2001:db8::1', '[2001:DB8::2]:443'];
    const file = parseClientsFile({ version: 1, clients: [{ ...client, callbackHosts: hosts }] }, 'c.json');
    assert.deepEqual(file.clients[0]?.callbackHosts, [
      'hooks.acme.example',
      'hooks.acme.example:8443',
      '203.0.113.7',
      '[2001:db8::1]',
      '[2001:db8::2]:443',
    ]);
  });

  it('names each bad field as a reader of the file would', () => {
    rejects({ ...valid, version: 2 }, /version: must be 1/);
    rejects({ version: 1 }, /clients: must be a list of clients/);
    rejects({ version: 1, clients: [{ ...client, id: 'Acme Corp' }] }, /clients\[0\]\.id: must be a client id/);
    rejects({ version: 1, clients: [{ ...client, id: 'a:b' }] }, /clients\[0\]\.id: must be a client id/);
    rejects(
      { version: 1, clients: [{ ...client, wallets: ['wa-1', 'x'] }] },
      /clients\[0\]\.wallets\[1\]: must be a Dfns wallet id/,
    );
    rejects(
      { version: 1, clients: [{ ...client, wallets: ['wa-1', 'wa-1'] }] },
      /clients\[0\]\.wallets\[1\]: is listed twice/,
    );
    rejects({ version: 1, clients: [{ ...client, wallets: 'wa-1' }] }, /clients\[0\]\.wallets: must be a list/);
    rejects({ version: 1, clients: [{ ...client, pools: ['USDC pool'] }] }, /clients\[0\]\.pools\[0\]: must be a pool/);
    rejects(
      { version: 1, clients: [{ ...client, callbackHosts: ['https://hooks.acme.example'] }] },
      /clients\[0\]\.callbackHosts\[0\]: must be a host or host:port/,
    );
    rejects(
      { version: 1, clients: [{ ...client, callbackHosts: ['hooks.acme.example/path'] }] },
      /clients\[0\]\.callbackHosts\[0\]: must be a host or host:port/,
    );
    rejects(
      { version: 1, clients: [{ ...client, callbackHosts: ['hooks.acme.example:70000'] }] },
      /clients\[0\]\.callbackHosts\[0\]: must be a host or host:port/,
    );
    rejects(
      { version: 1, clients: [{ ...client, callbackHosts: ['user@hooks.acme.example'] }] },
      /clients\[0\]\.callbackHosts\[0\]: must be a host or host:port/,
    );
    rejects({ version: 1, clients: [client, client] }, /clients\[1\]\.id: "acme" is declared twice/);
    rejects({ version: 1, clients: [{ ...client, extra: 1 }] }, /clients\[0\]/);
    rejects(
      { ...valid, withoutClient: { wallets: ['nope'] } },
      /withoutClient\.wallets\[0\]: must be a Dfns wallet id/,
    );
    rejects({ ...valid, withoutClient: { id: 'ops' } }, /withoutClient/);
  });

  it('refuses a binding to a pool the pools file does not define, when the pools are loaded', () => {
    const pools = loadPoolFile(EXAMPLE_POOLS_FILE);
    const file = {
      version: 1,
      clients: [{ id: 'acme', pools: ['usdc-sepolia', 'eur-hot'] }],
      withoutClient: { pools: ['gbp-hot'] },
    };
    assert.throws(
      () => parseClientsFile(file, 'clients.json', pools),
      (error: unknown) => {
        assert.ok(error instanceof ClientsFileError);
        assert.match(error.message, /clients\[0\]\.pools\[1\]: "eur-hot" is not in the pools file/);
        assert.match(error.message, /withoutClient\.pools\[0\]: "gbp-hot" is not in the pools file/);
        assert.doesNotMatch(error.message, /usdc-sepolia" is not/);
        return true;
      },
    );
    assert.throws(() => parseClientsFile(file, 'clients.json', []), /it defines none/);
    // Not cross-checked when the pools are not given.
    assert.equal(parseClientsFile(file, 'clients.json').clients.length, 1);
  });

  it('reports an unreadable or non-JSON file with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clients-'));
    assert.throws(() => readClientsFile(join(dir, 'missing.json')), /cannot read .*missing\.json \(ENOENT\)/);
    writeFileSync(join(dir, 'bad.json'), '{');
    assert.throws(() => loadClientBindings(join(dir, 'bad.json'), []), /bad\.json is not JSON/);
  });
});
