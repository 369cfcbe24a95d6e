import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config';
import { poolProblems } from '../../src/contracts/pool-definition';
import { EXAMPLE_POOLS_FILE, loadPoolFile, parsePoolFile, PoolFileError } from '../../src/pools/load-pool-file';

const USDC = { kind: 'Erc20', contract: '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238' } as const;
const valid = {
  version: 1,
  pools: [
    { name: 'usdc', network: 'EthereumSepolia', asset: USDC, wallets: ['wa-1', 'wa-2'], lowBalanceThreshold: '0' },
  ],
};

function rejects(json: unknown, ...patterns: RegExp[]): void {
  assert.throws(
    () => parsePoolFile(json, 'pools.json'),
    (error: unknown) => {
      assert.ok(error instanceof PoolFileError && error instanceof ConfigError, String(error));
      for (const pattern of patterns) assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('pools file', () => {
  it('the shipped example validates', () => {
    const pools = loadPoolFile(EXAMPLE_POOLS_FILE);
    assert.deepEqual(
      pools.map((p) => p.name),
      ['usdc-sepolia', 'eth-sepolia'],
    );
  });

  it('takes a Token-2022 pool on Solana, sponsored as Dfns allows there', () => {
    const mint = '2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo';
    const pools = parsePoolFile(
      {
        version: 1,
        pools: [
          {
            name: 'pyusd',
            network: 'Solana',
            asset: { kind: 'Spl2022', mint, createDestinationAccount: true },
            wallets: ['wa-1'],
            feeSponsorId: 'fs-1',
            lowBalanceThreshold: '0',
          },
        ],
      },
      'pools.json',
    );
    assert.equal(pools[0]?.asset.kind, 'Spl2022');
    const request = {
      pool: 'pyusd',
      network: 'Solana',
      asset: { kind: 'Spl2022', mint, createDestinationAccount: true },
    };
    assert.deepEqual(poolProblems(request as Parameters<typeof poolProblems>[0], pools), []);
    const asSpl = { ...request, asset: { ...request.asset, kind: 'Spl' } };
    assert.equal(poolProblems(asSpl as Parameters<typeof poolProblems>[0], pools).length, 1, 'Spl is another asset');
  });

  it('no file configured means no pools', () => {
    assert.deepEqual(loadPoolFile(undefined), []);
  });

  it('names each bad field as a reader of the file would', () => {
    const pool = valid.pools[0];
    rejects({ ...valid, version: 2 }, /version: must be 1/);
    rejects({ version: 1, pools: [{ ...pool, name: 'USDC pool' }] }, /pools\[0\]\.name: must be a pool name/);
    rejects({ version: 1, pools: [{ ...pool, network: 'Moon' }] }, /pools\[0\]\.network: must be one of/);
    rejects({ version: 1, pools: [{ ...pool, wallets: [] }] }, /pools\[0\]\.wallets: must list at least one wallet/);
    rejects(
      { version: 1, pools: [{ ...pool, wallets: ['wa-1', 'x'] }] },
      /pools\[0\]\.wallets\[1\]: must be a Dfns wallet id/,
    );
    rejects(
      { version: 1, pools: [{ ...pool, wallets: ['wa-1', 'wa-1'] }] },
      /pools\[0\]\.wallets\[1\]: is listed twice/,
    );
    rejects(
      { version: 1, pools: [{ ...pool, lowBalanceThreshold: '1.5' }] },
      /pools\[0\]\.lowBalanceThreshold: must be an integer string/,
    );
    rejects(
      { version: 1, pools: [{ ...pool, lowBalanceThreshold: 100 }] },
      /pools\[0\]\.lowBalanceThreshold: must be an integer string/,
    );
    rejects(
      { version: 1, pools: [{ ...pool, asset: { kind: 'Spl', mint: 'x', createDestinationAccount: true } }] },
      /pools\[0\]\.asset\.kind: Spl is not a token kind on EthereumSepolia/,
    );
    rejects(
      { version: 1, pools: [{ ...pool, network: 'Bitcoin', asset: { kind: 'Native' }, feeSponsorId: 'fs-1' }] },
      /pools\[0\]\.feeSponsorId: no Dfns fee sponsors on Bitcoin/,
    );
    rejects(
      { version: 1, pools: [{ ...pool, network: 'Polygon', asset: { kind: 'Native' }, feeSponsorId: 'fs-1' }] },
      /pools\[0\]\.feeSponsorId: no Dfns fee sponsors on Polygon/,
    );
    rejects({ version: 1, pools: [pool, pool] }, /pools\[1\]\.name: "usdc" is declared twice/);
    rejects({ version: 1, pools: [{ ...pool, extra: 1 }] }, /pools\[0\]/);
  });

  it('reports an unreadable or non-JSON file with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pools-'));
    assert.throws(() => loadPoolFile(join(dir, 'missing.json')), /cannot read .*missing\.json \(ENOENT\)/);
    writeFileSync(join(dir, 'bad.json'), '{');
    assert.throws(() => loadPoolFile(join(dir, 'bad.json')), /bad\.json is not JSON/);
  });

  it('refuses a request whose pool is unknown or pays another network or asset, on the field pool', () => {
    const pools = parsePoolFile(valid, 'pools.json');
    const request = { pool: 'usdc', network: 'EthereumSepolia' as const, asset: USDC };
    assert.deepEqual(poolProblems(request, pools), []);
    // EVM contracts compare without their checksum case.
    assert.deepEqual(
      poolProblems({ ...request, asset: { ...USDC, contract: USDC.contract.toLowerCase() } }, pools),
      [],
    );
    assert.deepEqual(poolProblems({ ...request, pool: 'eur' }, pools), [
      { field: 'pool', message: 'no pool named "eur" (known: usdc)' },
    ]);
    assert.deepEqual(poolProblems({ ...request, network: 'BaseSepolia' }, pools), [
      { field: 'pool', message: 'pool "usdc" pays on EthereumSepolia, not BaseSepolia' },
    ]);
    assert.deepEqual(poolProblems({ ...request, asset: { kind: 'Native' } }, pools), [
      { field: 'pool', message: `pool "usdc" pays ${USDC.contract}, not this asset` },
    ]);
  });
});
