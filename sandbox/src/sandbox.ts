import { createApp } from './http/app';
import { createApprovalService } from './approvals/approval-service';
import { createInitialState, describeBootstrap, reconcileBootstrap } from './bootstrap/bootstrap';
import { createChainClock } from './chain/chain-clock';
import { baseUrlFor, closeServer, listen } from './http/http-server';
import { createJwtCodec } from './auth/jwt';
import { createPolicyGate } from './policies/policy-gate';
import { createPolicyService } from './policies/policy-service';
import { DEFAULT_PRICES, toPriceTable } from './policies/price-table';
import { createRateLimiter } from './faults/rate-limiter';
import { createRequestCounter } from './admin/request-counter';
import { createSandboxAdmin } from './admin/sandbox-admin';
import { createLedgerAdmin } from './admin/ledger-admin';
import { resolveOptions } from './config/sandbox-options';
import { createScheduler } from './chain/scheduler';
import { createStateStore, loadState, writeFileAtomic } from './state/state-store';
import { createTimeControl } from './state/time-control';
import { createTransferActions } from './wallets/transfer-actions';
import { createTransferService } from './wallets/transfer-service';
import { createUserActions } from './auth/user-actions';
import { createWebhookDispatcher } from './webhooks/webhook-dispatcher';
import { createWebhookRegistry } from './webhooks/webhook-registry';
import { createDeliveryLog } from './webhooks/delivery-log';

/** How to run a sandbox; every field is optional. */
export interface SandboxOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 8788; 0 = a random free port. */
  port?: number;
  /** JSON persistence file; undefined = in-memory only. */
  stateFile?: string;
  /** Where bootstrap writes the orchestrator's credentials (mode 0600); undefined = don't write. */
  credentialsFile?: string;
  /** URL of the bootstrap webhook; default 'http://127.0.0.1:8787/webhooks/dfns'. */
  webhookUrl?: string;
  /** Divides every simulated delay (chain, webhook retries, approval expiry, velocity windows); default 1. */
  timeScale?: number;
  /**
   * Divides policy velocity windows instead of `timeScale`, so a fast chain can keep long windows (1 = real
   * minutes); default: the time scale.
   */
  velocityWindowScale?: number;
  /** Overrides every network's block time before scaling; default: per network (EthereumSepolia 2000, BaseSepolia 1000). */
  blockTimeMs?: number;
  /** Blocks from Broadcasted to Confirmed; default 2. */
  confirmations?: number;
  /**
   * Delays after attempts 1–4 before scaling; default [60_000, 720_000, 7_200_000, 86_400_000]
   * (Dfns: +1m, +12m, +2h, +1d; 5 attempts in total).
   */
  webhookRetryDelaysMs?: number[];
  /** USD per whole unit by asset symbol, merged over the defaults { ETH: 3000, USDC: 1 }. */
  prices?: Record<string, number>;
  /** Unit of a policy's `autoRejectTimeout`; default 'minutes' (legacy docs; UNCONFIRMED). */
  autoRejectTimeoutUnit?: 'minutes' | 'seconds';
  /** How a triggered Block surfaces: a 200 with a Rejected transfer (default) or a 403. */
  blockMode?: 'rejected-transfer' | 'http-403';
  /** Per-org requests per minute over every Dfns path (429 + Retry-After beyond it); default 1000, 0 = off. */
  rateLimitPerMinute?: number;
  /**
   * The sliding window the rate limit is counted over, seconds (default 60, as Dfns counts): the same rate in a
   * shorter window, so a test can exceed a window's allowance sooner and a burst is held to less.
   */
  rateLimitWindowSeconds?: number;
}

/** One funded bootstrap wallet. */
export interface SandboxWallet {
  walletId: string;
  network: string;
  address: string;
  /** Whether the network sends `wallet.transfer.confirmed` (BaseSepolia does not). */
  emitsConfirmed: boolean;
  /** The network's native coin. */
  native: { symbol: string; decimals: number };
  /** The funded stablecoin on an EVM network. */
  erc20?: { contract: string; symbol: string; decimals: number };
  /** The funded stablecoin of any kind (Erc20, Trc20, Spl: `id` is its contract or mint); none on Bitcoin. */
  token?: { kind: 'Erc20' | 'Trc20' | 'Spl' | 'Spl2022'; id: string; symbol: string; decimals: number };
  /** Fee-sponsor fixtures: `gasless` holds USDC and no ETH; `fee-sponsor` pays others' fees. */
  role?: 'gasless' | 'fee-sponsor' | 'pool';
}

/** A fee sponsor bootstrap created, paying fees on its network. */
export interface SandboxFeeSponsor {
  feeSponsorId: string;
  walletId: string;
  network: string;
}

/** An approver user with its own Key credential and token (sign decisions with it). */
export interface SandboxApprover {
  name: string;
  userId: string;
  authToken: string;
  credId: string;
  /** PKCS#8 PEM (EC P-256). */
  privateKey: string;
}

/** The credentials and fixtures an orchestrator needs to talk to this sandbox. */
export interface SandboxBootstrap {
  baseUrl: string;
  orgId: string;
  userId: string;
  /** The service account's long-lived JWT. */
  authToken: string;
  /** Its signing-key credential id. */
  credId: string;
  /** PKCS#8 PEM of the service account key (EC P-256). */
  privateKey: string;
  /** One funded EVM wallet: id, address and Dfns network name. */
  walletId: string;
  walletAddress: string;
  network: string;
  /** A funded stablecoin on that network. */
  erc20: { contract: string; symbol: string; decimals: number };
  webhookId: string;
  webhookSecret: string;
  /** approver-1, approver-2, approver-3. */
  approvers: SandboxApprover[];
  /**
   * Every bootstrap wallet: the EthereumSepolia one (`walletId`) first, then BaseSepolia, TronNile, SolanaDevnet,
   * BitcoinSignet, and the fee-sponsor fixtures.
   */
  wallets: SandboxWallet[];
  /** The bootstrap fee sponsor (EthereumSepolia). */
  feeSponsors: SandboxFeeSponsor[];
}

/** A running sandbox. */
export interface SandboxHandle {
  url: string;
  bootstrap: SandboxBootstrap;
  close(): Promise<void>;
}

/** Starts a sandbox: loads or bootstraps state, listens, writes credentials and resumes timers. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const opts = resolveOptions(options);
  const time = createTimeControl(opts.timeScale);
  const loaded = await loadState(opts.stateFile);
  const store = createStateStore(loaded ?? createInitialState(time.now(), opts.webhookUrl), opts.stateFile);
  if (loaded) reconcileBootstrap(store, opts.webhookUrl, time.now());
  // Defaults, then prices saved by the admin API, then the caller's explicit prices.
  const initialPrices = toPriceTable({ ...DEFAULT_PRICES, ...opts.prices });
  Object.assign(store.state.prices, {
    ...toPriceTable(DEFAULT_PRICES),
    ...store.state.prices,
    ...toPriceTable(opts.prices),
  });
  store.changed();

  const jwt = createJwtCodec(store.state.jwtSecret);
  const scheduler = createScheduler(time.now);
  const deliveryLog = createDeliveryLog();
  const retryDelaysMs = opts.webhookRetryDelaysMs;
  const dispatcher = createWebhookDispatcher({ store, scheduler, time, retryDelaysMs, deliveryLog });
  const blockTime = opts.blockTimeMs !== undefined ? { blockTimeMs: opts.blockTimeMs } : {};
  const chain = createChainClock({
    store,
    scheduler,
    dispatcher,
    time,
    confirmations: opts.confirmations,
    ...blockTime,
  });
  const timeoutUnitMs = opts.autoRejectTimeoutUnit === 'minutes' ? 60_000 : 1000;
  const approvals = createApprovalService({ store, scheduler, time, dispatcher, chain, timeoutUnitMs });
  const velocity = opts.velocityWindowScale !== undefined ? { velocityWindowScale: opts.velocityWindowScale } : {};
  const gate = createPolicyGate({ store, time, dispatcher, approvals, chain, blockMode: opts.blockMode, ...velocity });
  const transfers = createTransferService({ store, gate, dispatcher, time });
  const actions = createTransferActions({ store, time, transfers, chain, approvals, dispatcher });
  const policies = createPolicyService({ store, time });
  const registry = createWebhookRegistry({ store, now: time.now });
  const credentialsOf = (userId: string) => store.state.credentials.filter((c) => c.userId === userId);
  const userActions = createUserActions({ now: time.now, jwt, credentialsOf });
  const counter = createRequestCounter();
  const limiter = createRateLimiter(opts.rateLimitPerMinute, Date.now, opts.rateLimitWindowSeconds * 1000);
  const admin = createSandboxAdmin({
    store,
    scheduler,
    time,
    chain,
    dispatcher,
    approvals,
    counter,
    limiter,
    deliveryLog,
    userActions,
    initialPrices,
  });
  const ledger = createLedgerAdmin({ store, time, transfers });
  const app = createApp({
    ...{ store, jwt, time, userActions, transfers, actions, policies, approvals, registry, dispatcher },
    ...{ admin, ledger, counter, limiter, deliveryLog, rateLimitPerMinute: opts.rateLimitPerMinute },
  });

  const { server, port } = await listen(app.fetch, opts.host, opts.port);
  const url = baseUrlFor(opts.host, port);
  const bootstrap: SandboxBootstrap = describeBootstrap(store.state, url);
  try {
    if (opts.credentialsFile) await writeFileAtomic(opts.credentialsFile, JSON.stringify(bootstrap, null, 2));
  } catch (err) {
    await closeServer(server);
    throw err;
  }
  chain.resume();
  dispatcher.resume();
  approvals.resume();

  let closing: Promise<void> | undefined;
  const close = async () => {
    scheduler.stop();
    dispatcher.stop();
    await closeServer(server);
    await store.close();
  };
  return { url, bootstrap, close: () => (closing ??= close()) };
}
