import { generateKeyPairSync } from 'node:crypto';
import { mintAccessToken } from '../auth/access-token';
import { ensureBootstrapFixtures, fundedWallet, keyCredential } from './bootstrap-fixtures';
import { noFaults } from '../faults/fault-schema';
import { newCredentialId, newId, randomToken } from '../state/ids';
import { createJwtCodec } from '../auth/jwt';
import { getNetwork } from '../chain/networks';
import type { SandboxState } from '../state/sandbox-state';
import type { StateStore } from '../state/state-store';
import { buildWebhook } from '../webhooks/webhook-registry';

function bridgeWebhook(url: string, date: string) {
  return buildWebhook({ url, events: ['*'], description: 'Orchestrator bridge (bootstrap)' }, date);
}

/**
 * First start: an org, a service account with a sandbox-generated P-256 key, funded wallets on EthereumSepolia,
 * BaseSepolia, TronNile, SolanaDevnet and BitcoinSignet, a fee sponsor and a gasless wallet, three approvers and a
 * webhook.
 */
export function createInitialState(nowMs: number, webhookUrl: string): SandboxState {
  const date = new Date(nowMs).toISOString();
  const jwtSecret = randomToken(32);
  const org = { id: newId('or'), name: 'Dfns Sandbox', dateCreated: date };
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const user = {
    id: newId('us'),
    username: 'payments-service-account',
    name: 'Payments service account',
    kind: 'CustomerEmployee' as const,
    isServiceAccount: true,
    isActive: true,
    dateCreated: date,
  };
  const credId = newCredentialId();
  const token = {
    id: newId('to'),
    userId: user.id,
    credId,
    kind: 'ServiceAccount' as const,
    isActive: true,
    dateCreated: date,
  };
  const identity = { orgId: org.id, userId: user.id, tokenId: token.id, username: user.username };
  const wallet = fundedWallet('EthereumSepolia', date);
  const webhook = bridgeWebhook(webhookUrl, date);
  const state: SandboxState = {
    version: 2,
    jwtSecret,
    org,
    users: [user],
    credentials: [keyCredential(credId, user.id, publicKey, date)],
    tokens: [token],
    wallets: [wallet],
    transfers: [],
    history: [],
    feeSponsors: [],
    webhooks: [webhook],
    webhookEvents: [],
    deliveries: [],
    permissionGrants: {},
    permissions: [],
    transactions: [],
    policies: [],
    approvals: [],
    prices: {},
    faults: noFaults(),
    bootstrap: {
      userId: user.id,
      tokenId: token.id,
      authToken: mintAccessToken(createJwtCodec(jwtSecret), identity, nowMs),
      credId,
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      walletId: wallet.id,
      webhookId: webhook.id,
      walletIds: [wallet.id],
      approvers: [],
    },
  };
  ensureBootstrapFixtures(state, nowMs);
  return state;
}

/**
 * Restart: keeps every bootstrap entity, adds v2 fixtures a v1 file lacks, and recreates the
 * webhook if deleted or follows a new URL.
 */
export function reconcileBootstrap(store: StateStore, webhookUrl: string, nowMs: number): void {
  const { state } = store;
  const date = new Date(nowMs).toISOString();
  if (ensureBootstrapFixtures(state, nowMs)) store.changed();
  const webhook = state.webhooks.find((candidate) => candidate.id === state.bootstrap.webhookId);
  if (!webhook) {
    const fresh = bridgeWebhook(webhookUrl, date);
    state.webhooks.push(fresh);
    state.bootstrap.webhookId = fresh.id;
    store.changed();
  } else if (webhook.url !== webhookUrl) {
    webhook.url = webhookUrl;
    webhook.dateUpdated = date;
    store.changed();
  }
}

function stablecoinOf(network: string) {
  const token = getNetwork(network).tokens[0];
  if (!token) throw new Error(`No stablecoin configured on ${network}`);
  return { contract: token.contract, symbol: token.symbol, decimals: token.decimals };
}

/** A wallet's funded stablecoin, of whichever kind its chain has (none on Bitcoin). */
function tokenOf(network: string) {
  const token = getNetwork(network).tokens[0];
  return token && { kind: token.kind, id: token.contract, symbol: token.symbol, decimals: token.decimals };
}

/** The bootstrap view handed to callers and written to the credentials file (`SandboxBootstrap`). */
export function describeBootstrap(state: SandboxState, baseUrl: string) {
  const { bootstrap } = state;
  const walletOf = (id: string) => {
    const found = state.wallets.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`Sandbox state lost its bootstrap wallet ${id}`);
    return found;
  };
  const wallet = walletOf(bootstrap.walletId);
  const webhook = state.webhooks.find((candidate) => candidate.id === bootstrap.webhookId);
  if (!webhook) throw new Error('Sandbox state lost its bootstrap webhook');
  return {
    baseUrl,
    orgId: state.org.id,
    userId: bootstrap.userId,
    authToken: bootstrap.authToken,
    credId: bootstrap.credId,
    privateKey: bootstrap.privateKey,
    walletId: wallet.id,
    walletAddress: wallet.address,
    network: wallet.network,
    erc20: stablecoinOf(wallet.network),
    webhookId: webhook.id,
    webhookSecret: webhook.secret,
    approvers: bootstrap.approvers.map(({ name, userId, authToken, credId, privateKey }) => ({
      name,
      userId,
      authToken,
      credId,
      privateKey,
    })),
    wallets: bootstrap.walletIds.map(walletOf).map((entry) => {
      const token = tokenOf(entry.network);
      const { native } = getNetwork(entry.network);
      return {
        walletId: entry.id,
        network: entry.network,
        address: entry.address,
        emitsConfirmed: getNetwork(entry.network).emitsConfirmed,
        native: { symbol: native.symbol, decimals: native.decimals },
        ...(token?.kind === 'Erc20' ? { erc20: stablecoinOf(entry.network) } : {}),
        ...(token ? { token } : {}),
        ...(entry.role ? { role: entry.role } : {}),
      };
    }),
    feeSponsors: state.feeSponsors
      .filter((sponsor) => bootstrap.walletIds.includes(sponsor.walletId))
      .map(({ id, walletId, network }) => ({ feeSponsorId: id, walletId, network })),
  };
}
