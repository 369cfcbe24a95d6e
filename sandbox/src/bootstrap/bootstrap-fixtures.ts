import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mintAccessToken } from '../auth/access-token';
import { generateEvmIdentity } from '../wallets/evm-address';
import { newCredentialId, newId } from '../state/ids';
import { createJwtCodec } from '../auth/jwt';
import { getNetwork } from '../chain/networks';
import type { SandboxState, Wallet } from '../state/sandbox-state';
import { setBalance } from '../wallets/wallet-assets';

/** Networks of the funded bootstrap wallets, in `SandboxBootstrap.wallets` order. */
export const BOOTSTRAP_NETWORKS = ['EthereumSepolia', 'BaseSepolia'] as const;
/** Names of the approver users bootstrap creates. */
export const APPROVER_NAMES = ['approver-1', 'approver-2', 'approver-3'] as const;

const NATIVE_FUNDING = 100n * 10n ** 18n; // 100 ETH
const TOKEN_FUNDING = 10_000_000n * 10n ** 6n; // 10,000,000 USDC

/** The Key credential record of a user's registered public key (SPKI PEM), as user actions are verified against. */
export function keyCredential(credId: string, userId: string, publicKey: KeyObject, date: string) {
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { credId, userId, kind: 'Key' as const, publicKey: pem, isActive: true, dateCreated: date };
}

/** Restores a bootstrap wallet's starting balances (100 native, 10M of its stablecoin) and nonce. */
export function fundWallet(wallet: Wallet): void {
  const token = getNetwork(wallet.network).tokens[0];
  wallet.balances = {};
  wallet.nonce = 0;
  setBalance(wallet, undefined, NATIVE_FUNDING);
  if (token) setBalance(wallet, token.contract, TOKEN_FUNDING);
}

/** A new funded custodial wallet on `network` with a real EVM address. */
export function fundedWallet(network: string, date: string): Wallet {
  const { address, publicKeyHex } = generateEvmIdentity();
  const wallet: Wallet = {
    id: newId('wa'),
    network,
    address,
    signingKey: { id: newId('key'), scheme: 'ECDSA', curve: 'secp256k1', publicKey: publicKeyHex },
    status: 'Active',
    dateCreated: date,
    name: `Sandbox hot wallet (${network})`,
    custodial: true,
    tags: [],
    nonce: 0,
    balances: {},
  };
  fundWallet(wallet);
  return wallet;
}

function addApprover(state: SandboxState, name: string, nowMs: number): void {
  const date = new Date(nowMs).toISOString();
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  // Approvers are people (not service accounts) holding a Key credential and a personal access token.
  const user = { id: newId('us'), username: name, name, kind: 'CustomerEmployee' as const, isServiceAccount: false };
  const credId = newCredentialId();
  const token = { id: newId('to'), userId: user.id, credId, kind: 'Pat' as const, isActive: true, dateCreated: date };
  state.users.push({ ...user, isActive: true, dateCreated: date });
  state.credentials.push(keyCredential(credId, user.id, publicKey, date));
  state.tokens.push(token);
  const identity = { orgId: state.org.id, userId: user.id, tokenId: token.id, username: name, tokenKind: 'Pat' as const };
  state.bootstrap.approvers.push({
    name,
    userId: user.id,
    tokenId: token.id,
    authToken: mintAccessToken(createJwtCodec(state.jwtSecret), identity, nowMs),
    credId,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
}

/**
 * Adds whatever v2 fixtures are missing (approvers, the BaseSepolia wallet) and marks the state v2;
 * a v1 state file goes through here on load. Returns whether anything changed.
 */
export function ensureBootstrapFixtures(state: SandboxState, nowMs: number): boolean {
  const before = JSON.stringify(state.bootstrap) + state.version;
  const { bootstrap } = state;
  for (const name of APPROVER_NAMES) {
    if (!bootstrap.approvers.some((approver) => approver.name === name)) addApprover(state, name, nowMs);
  }
  const ids = [bootstrap.walletId, ...bootstrap.walletIds.filter((id) => id !== bootstrap.walletId)];
  for (const network of BOOTSTRAP_NETWORKS) {
    const wallets = ids.map((id) => state.wallets.find((wallet) => wallet.id === id));
    if (wallets.some((wallet) => wallet?.network === network)) continue;
    const wallet = fundedWallet(network, new Date(nowMs).toISOString());
    state.wallets.push(wallet);
    ids.push(wallet.id);
  }
  bootstrap.walletIds = ids;
  state.version = 2;
  return JSON.stringify(state.bootstrap) + state.version !== before;
}
