import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NETWORK_NAMES, NETWORKS, stuckEscalationPolicy } from '../../src/contracts/networks';

describe('networks', () => {
  it('NETWORK_NAMES lists exactly the NETWORKS keys', () => {
    assert.deepEqual([...NETWORK_NAMES].sort(), Object.keys(NETWORKS).sort());
    assert.equal(new Set(NETWORK_NAMES).size, NETWORK_NAMES.length);
  });

  it('describes every EVM network with a label, a native symbol and 18 native decimals', () => {
    for (const name of NETWORK_NAMES.filter((network) => NETWORKS[network].family === 'evm')) {
      const info = NETWORKS[name];
      assert.ok(info.label.length > 0, name);
      assert.match(info.nativeSymbol, /^[A-Z]+$/, name);
      assert.equal(info.nativeDecimals, 18, name);
    }
  });

  it('pays gas in POL on Polygon and ETH on the Ethereum L1 and L2s', () => {
    assert.equal(NETWORKS.Polygon.nativeSymbol, 'POL');
    assert.equal(NETWORKS.PolygonAmoy.nativeSymbol, 'POL');
    for (const name of ['Ethereum', 'EthereumSepolia', 'Base', 'BaseSepolia', 'ArbitrumOne', 'Optimism'] as const) {
      assert.equal(NETWORKS[name].nativeSymbol, 'ETH', name);
    }
  });

  it('uses human labels for summaries', () => {
    assert.equal(NETWORKS.EthereumSepolia.label, 'Ethereum Sepolia');
    assert.equal(NETWORKS.ArbitrumOne.label, 'Arbitrum One');
  });

  it('gives every network a positive stuck threshold of whole minutes, and lets Dfns speed up every EVM transfer', () => {
    for (const name of NETWORK_NAMES) {
      const info = NETWORKS[name];
      assert.ok(Number.isInteger(info.stuckAfterMs / 60_000) && info.stuckAfterMs > 0, `${name}: ${info.stuckAfterMs}`);
      if (info.family === 'evm') assert.equal(info.supportsSpeedUp, true, name);
    }
  });

  it("knows Tron, Solana and Bitcoin mainnets and testnets by Dfns's names, with their native decimals", () => {
    const expected = {
      Tron: ['tron', 'TRX', 6],
      TronNile: ['tron', 'TRX', 6],
      Solana: ['solana', 'SOL', 9],
      SolanaDevnet: ['solana', 'SOL', 9],
      Bitcoin: ['bitcoin', 'BTC', 8],
      BitcoinSignet: ['bitcoin', 'BTC', 8],
      BitcoinTestnet3: ['bitcoin', 'BTC', 8],
      BitcoinTestnet4: ['bitcoin', 'BTC', 8],
    } as const;
    for (const [name, [family, symbol, decimals]] of Object.entries(expected)) {
      const info = NETWORKS[name as keyof typeof expected];
      assert.deepEqual([info.family, info.nativeSymbol, info.nativeDecimals], [family, symbol, decimals], name);
    }
  });

  it('speeds up by replace-by-fee on Bitcoin only; Tron and Solana escalate a stuck transfer to a person', () => {
    for (const name of ['Bitcoin', 'BitcoinSignet', 'BitcoinTestnet3', 'BitcoinTestnet4'] as const) {
      assert.equal(NETWORKS[name].supportsSpeedUp, true, name);
    }
    for (const name of ['Tron', 'TronNile', 'Solana', 'SolanaDevnet'] as const) {
      assert.equal(NETWORKS[name].supportsSpeedUp, false, name);
    }
  });

  it("offers fee sponsors exactly where Dfns's Fee Sponsors page lists them, and confirmed webhooks on Tier-1 networks", () => {
    // https://docs.dfns.co/d/api-docs/fee-sponsors and https://docs-legacy.dfns.co/d/api-docs/fee-sponsors (supported
    // networks): Base, Bsc, Ethereum, Optimism, Solana, Stellar and their testnets; ArbitrumOne and ArbitrumSepolia.
    // Polygon, Tron and Bitcoin are on neither list.
    const listed = [
      'Ethereum',
      'EthereumSepolia',
      'Base',
      'BaseSepolia',
      'ArbitrumOne',
      'ArbitrumSepolia',
      'Optimism',
      'OptimismSepolia',
      'Solana',
      'SolanaDevnet',
    ];
    for (const name of NETWORK_NAMES) assert.equal(NETWORKS[name].supportsFeeSponsor, listed.includes(name), name);
    assert.equal(NETWORKS.Tron.emitsConfirmed, false);
    assert.equal(NETWORKS.Solana.emitsConfirmed, true);
    assert.equal(NETWORKS.Bitcoin.emitsConfirmed, true);
    assert.equal(NETWORKS.BitcoinTestnet3.emitsConfirmed, false);
  });

  it('knows USDT on Tron and USDC on Solana with 6 decimals', () => {
    assert.deepEqual(NETWORKS.Tron.knownTokens, [
      { kind: 'Trc20', id: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', symbol: 'USDT', decimals: 6 },
    ]);
    assert.deepEqual(NETWORKS.Solana.knownTokens?.[0]?.decimals, 6);
    assert.equal(NETWORKS.SolanaDevnet.knownTokens?.[0]?.symbol, 'USDC');
  });

  it('waits 30 minutes on Ethereum L1, 15 on Polygon and 10 on the fast L2s before calling a broadcast stuck', () => {
    const minutes = (name: keyof typeof NETWORKS) => NETWORKS[name].stuckAfterMs / 60_000;
    assert.equal(minutes('Ethereum'), 30);
    assert.equal(minutes('EthereumSepolia'), 30);
    assert.equal(minutes('Polygon'), 15);
    assert.equal(minutes('PolygonAmoy'), 15);
    for (const name of [
      'Base',
      'BaseSepolia',
      'ArbitrumOne',
      'ArbitrumSepolia',
      'Optimism',
      'OptimismSepolia',
    ] as const)
      assert.equal(minutes(name), 10, name);
  });
  it('escalates a stuck broadcast per network: a step every stuck threshold (an hour on Ethereum), two speed-ups, cancel on EVM', () => {
    assert.deepEqual(stuckEscalationPolicy('Base'), {
      afterMs: 10 * 60_000,
      repeatAfterMs: 10 * 60_000,
      maxSpeedUps: 2,
      supportsSpeedUp: true,
      supportsCancel: true,
    });
    assert.equal(stuckEscalationPolicy('Ethereum').repeatAfterMs, 60 * 60_000);
    assert.equal(stuckEscalationPolicy('Ethereum').afterMs, 30 * 60_000);
  });
  it('knows each network block time and when Dfns usually reports Confirmed (polling starts there where no webhook says it)', () => {
    for (const [name, info] of Object.entries(NETWORKS)) {
      assert.ok(info.blockTimeMs > 0, name);
      assert.ok(info.confirmationMs >= info.blockTimeMs && info.confirmationMs < info.stuckAfterMs, name);
    }
    assert.equal(NETWORKS.BaseSepolia.emitsConfirmed, false, 'as the sandbox models it');
    assert.equal(NETWORKS.BaseSepolia.blockTimeMs, 2_000);
    assert.equal(NETWORKS.Tron.confirmationMs, 19 * 3_000);
  });
});
