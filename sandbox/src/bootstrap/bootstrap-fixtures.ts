import { ALL_OPERATIONS, APPROVER_OPERATIONS } from '../auth/permissions';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mintAccessToken } from '../auth/access-token';
import { generateIdentity } from '../wallets/chain-identities';
import { newCredentialId, newId } from '../state/ids';
import { createJwtCodec } from '../auth/jwt';
import { getNetwork } from '../chain/networks';
import type { SandboxState, Wallet } from '../state/sandbox-state';
import { setBalance } from '../wallets/wallet-assets';

/** Networks of the funded bootstrap wallets, in `SandboxBootstrap.wallets` order: one per simulated chain family. */
export const BOOTSTRAP_NETWORKS = [
  'EthereumSepolia',
  'BaseSepolia',
  'TronNile',
  'SolanaDevnet',
  'BitcoinSignet',
] as const;
/** Where the fee-sponsor fixtures live: a sponsor wallet with ETH, and a gasless wallet with USDC and no ETH. */
export const FEE_SPONSOR_NETWORK = 'EthereumSepolia';
/** A second sponsor, on Solana (Dfns's first fee-sponsor network), so a Solana wallet can pay without SOL. */
export const SOLANA_FEE_SPONSOR_NETWORK = 'SolanaDevnet';
/** Names of the approver users bootstrap creates. */
export const APPROVER_NAMES = ['approver-1', 'approver-2', 'approver-3'] as const;

// 100 ETH or 100 SOL, 10,000 TRX (a TRC-20 transfer burns about 14 TRX of energy), 1 BTC.
const NATIVE_FUNDING = {
  evm: 100n * 10n ** 18n,
  solana: 100n * 10n ** 9n,
  tron: 10_000n * 10n ** 6n,
  bitcoin: 10n ** 8n,
};
const TOKEN_FUNDING = 10_000_000n * 10n ** 6n; // 10,000,000 USDC or USDT

/** The Key credential record of a user's registered public key (SPKI PEM), as user actions are verified against. */
export function keyCredential(credId: string, userId: string, publicKey: KeyObject, date: string) {
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { credId, userId, kind: 'Key' as const, publicKey: pem, isActive: true, dateCreated: date };
}

/**
 * Restores a bootstrap wallet's starting balances and nonce: its native coin and 10M of its stablecoin; a gasless
 * wallet holds only the stablecoin, and a fee sponsor's wallet only the native coin.
 */
export function fundWallet(wallet: Wallet): void {
  const network = getNetwork(wallet.network);
  wallet.balances = {};
  wallet.nonce = 0;
  setBalance(wallet, undefined, wallet.role === 'gasless' ? 0n : NATIVE_FUNDING[network.family]);
  if (wallet.role === 'fee-sponsor') return;
  for (const token of network.tokens) setBalance(wallet, token.contract, TOKEN_FUNDING);
}

/** A new funded custodial wallet on `network` with a real address of its chain. */
export function fundedWallet(network: string, date: string, role?: Wallet['role']): Wallet {
  const { address, signingKey } = generateIdentity(getNetwork(network).family);
  const wallet: Wallet = {
    id: newId('wa'),
    network,
    address,
    signingKey: { id: newId('key'), ...signingKey },
    status: 'Active',
    dateCreated: date,
    name: `Sandbox hot wallet (${network})`,
    custodial: true,
    tags: [],
    nonce: 0,
    balances: {},
    ...(role ? { role } : {}),
  };
  fundWallet(wallet);
  return wallet;
}

/** Adds the fee-sponsor fixtures when missing: a sponsor wallet and its Active sponsor, and a gasless wallet. */
function ensureFeeSponsorFixtures(state: SandboxState, ids: string[], nowMs: number): void {
  const date = new Date(nowMs).toISOString();
  const withRole = (role: Wallet['role']) =>
    ids
      .map((id) => state.wallets.find((wallet) => wallet.id === id))
      .find((wallet) => wallet?.role === role && wallet?.network === FEE_SPONSOR_NETWORK);
  for (const role of ['fee-sponsor', 'gasless'] as const) {
    if (withRole(role)) continue;
    const wallet = fundedWallet(FEE_SPONSOR_NETWORK, date, role);
    wallet.name = role === 'gasless' ? 'Sandbox gasless wallet (USDC, no ETH)' : 'Sandbox fee sponsor wallet';
    state.wallets.push(wallet);
    ids.push(wallet.id);
  }
  const sponsorWallet = withRole('fee-sponsor');
  if (sponsorWallet && !state.feeSponsors.some((sponsor) => sponsor.walletId === sponsorWallet.id)) {
    const id = newId('fs');
    const network = FEE_SPONSOR_NETWORK;
    const name = 'Sandbox fee sponsor';
    state.feeSponsors.push({ id, name, walletId: sponsorWallet.id, network, status: 'Active', dateCreated: date });
  }
}

/** Adds the Solana sponsor when missing: a SolanaDevnet wallet holding only SOL, and its Active sponsor. */
function ensureSolanaSponsorFixture(state: SandboxState, ids: string[], nowMs: number): void {
  const date = new Date(nowMs).toISOString();
  const network = SOLANA_FEE_SPONSOR_NETWORK;
  let wallet = ids
    .map((id) => state.wallets.find((candidate) => candidate.id === id))
    .find((candidate) => candidate?.role === 'fee-sponsor' && candidate.network === network);
  if (!wallet) {
    wallet = fundedWallet(network, date, 'fee-sponsor');
    wallet.name = 'Sandbox fee sponsor wallet (SolanaDevnet)';
    state.wallets.push(wallet);
    ids.push(wallet.id);
  }
  const walletId = wallet.id;
  if (!state.feeSponsors.some((sponsor) => sponsor.walletId === walletId)) {
    const name = 'Sandbox fee sponsor (SolanaDevnet)';
    state.feeSponsors.push({ id: newId('fs'), name, walletId, network, status: 'Active', dateCreated: date });
  }
}

/** How many more funded EthereumSepolia wallets a wallet pool can spread payments over, beside the funded one. */
const POOL_WALLETS = 2;

/** Adds the pool fixtures when missing: funded EthereumSepolia wallets (role "pool"), like the bootstrap one. */
function ensurePoolFixtures(state: SandboxState, ids: string[], nowMs: number): void {
  const date = new Date(nowMs).toISOString();
  const pooled = () => ids.filter((id) => state.wallets.find((wallet) => wallet.id === id)?.role === 'pool').length;
  while (pooled() < POOL_WALLETS) {
    const wallet = fundedWallet('EthereumSepolia', date, 'pool');
    wallet.name = `Sandbox pool wallet ${pooled() + 2} (EthereumSepolia)`;
    state.wallets.push(wallet);
    ids.push(wallet.id);
  }
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
  const identity = {
    orgId: state.org.id,
    userId: user.id,
    tokenId: token.id,
    username: name,
    tokenKind: 'Pat' as const,
  };
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
 * Adds whatever v2 fixtures are missing (approvers, a wallet per bootstrap network, the fee-sponsor wallets) and
 * marks the state v2;
 * a v1 state file goes through here on load. Returns whether anything changed.
 */
export function ensureBootstrapFixtures(state: SandboxState, nowMs: number): boolean {
  const before = JSON.stringify(state.bootstrap) + JSON.stringify(state.feeSponsors) + state.version;
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
  ensureFeeSponsorFixtures(state, ids, nowMs);
  ensurePoolFixtures(state, ids, nowMs);
  ensureSolanaSponsorFixture(state, ids, nowMs);
  bootstrap.walletIds = ids;
  const grants = JSON.stringify(state.permissionGrants);
  grantBootstrapRoles(state);
  state.version = 2;
  const after = JSON.stringify(state.bootstrap) + JSON.stringify(state.feeSponsors) + state.version;
  return after !== before || JSON.stringify(state.permissionGrants) !== grants;
}

/**
 * Gives the bootstrap identities the roles they hold in a real org, where they have no grants yet: the service
 * account is the org's owner (every operation), the approvers may read and decide approvals. Grants set since
 * (a test restricting the service account) are kept.
 */
export function grantBootstrapRoles(state: SandboxState): void {
  const grants = state.permissionGrants;
  grants[state.bootstrap.userId] ??= [...ALL_OPERATIONS];
  for (const approver of state.bootstrap.approvers) grants[approver.userId] ??= [...APPROVER_OPERATIONS];
}
