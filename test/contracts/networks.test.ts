import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NETWORK_NAMES, NETWORKS } from '../../src/contracts/networks';

describe('networks', () => {
  it('NETWORK_NAMES lists exactly the NETWORKS keys', () => {
    assert.deepEqual([...NETWORK_NAMES].sort(), Object.keys(NETWORKS).sort());
    assert.equal(new Set(NETWORK_NAMES).size, NETWORK_NAMES.length);
  });

  it('describes every network as EVM with a label, a native symbol and 18 native decimals', () => {
    for (const name of NETWORK_NAMES) {
      const info = NETWORKS[name];
      assert.equal(info.family, 'evm', name);
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
});
