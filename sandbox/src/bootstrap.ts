import { generateKeyPairSync } from 'node:crypto';
import { mintAccessToken } from './access-token';
import { generateEvmIdentity } from './evm-address';
import { newCredentialId, newId, randomToken } from './ids';
import { createJwtCodec } from './jwt';
import { getNetwork } from './networks';
import type { SandboxState, Wallet } from './state';
import type { StateStore } from './state-store';
import { setBalance } from './wallet-assets';
import { buildWebhook } from './webhook-registry';

const NETWORK = 'EthereumSepolia';
const USDC = '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238';
const NATIVE_FUNDING = 100n * 10n ** 18n; // 100 ETH
const USDC_FUNDING = 10_000_000n * 10n ** 6n; // 10,000,000 USDC

function bridgeWebhook(url: string, date: string) {
  return buildWebhook({ url, events: ['*'], description: 'Orchestrator bridge (bootstrap)' }, date);
}

function fundedWallet(date: string): Wallet {
  const { address, publicKeyHex } = generateEvmIdentity();
  const wallet: Wallet = {
    id: newId('wa'),
    network: NETWORK,
    address,
    signingKey: { id: newId('key'), scheme: 'ECDSA', curve: 'secp256k1', publicKey: publicKeyHex },
    status: 'Active',
    dateCreated: date,
    name: 'Sandbox hot wallet',
    custodial: true,
    tags: [],
    balances: {},
  };
  setBalance(wallet, undefined, NATIVE_FUNDING);
  setBalance(wallet, USDC, USDC_FUNDING);
  return wallet;
}

/** First start: an org, a service account with a sandbox-generated P-256 key, a funded wallet and a webhook. */
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
  const wallet = fundedWallet(date);
  const webhook = bridgeWebhook(webhookUrl, date);
  return {
    version: 1,
    jwtSecret,
    org,
    users: [user],
    credentials: [
      {
        credId,
        userId: user.id,
        kind: 'Key',
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        isActive: true,
        dateCreated: date,
      },
    ],
    tokens: [token],
    wallets: [wallet],
    transfers: [],
    webhooks: [webhook],
    webhookEvents: [],
    deliveries: [],
    bootstrap: {
      userId: user.id,
      tokenId: token.id,
      authToken: mintAccessToken(createJwtCodec(jwtSecret), identity, nowMs),
      credId,
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      walletId: wallet.id,
      webhookId: webhook.id,
    },
  };
}

/** Restart: keeps every bootstrap entity, recreating the webhook if deleted and following a new URL. */
export function reconcileBootstrap(store: StateStore, webhookUrl: string, nowMs: number): void {
  const { state } = store;
  const date = new Date(nowMs).toISOString();
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

/** The bootstrap view handed to callers and written to the credentials file (`SandboxBootstrap`). */
export function describeBootstrap(state: SandboxState, baseUrl: string) {
  const { bootstrap } = state;
  const wallet = state.wallets.find((candidate) => candidate.id === bootstrap.walletId);
  const webhook = state.webhooks.find((candidate) => candidate.id === bootstrap.webhookId);
  if (!wallet || !webhook) throw new Error('Sandbox state lost its bootstrap wallet or webhook');
  const token = getNetwork(wallet.network).tokens[0];
  if (!token) throw new Error(`No stablecoin configured on ${wallet.network}`);
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
    erc20: { contract: token.contract, symbol: token.symbol, decimals: token.decimals },
    webhookId: webhook.id,
    webhookSecret: webhook.secret,
  };
}
