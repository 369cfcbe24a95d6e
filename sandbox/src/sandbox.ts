import { createApp } from './app';
import { createInitialState, describeBootstrap, reconcileBootstrap } from './bootstrap';
import { createChainClock } from './chain-clock';
import { baseUrlFor, closeServer, listen } from './http-server';
import { createJwtCodec } from './jwt';
import { allowAllPolicies } from './policy-gate';
import { resolveOptions } from './sandbox-options';
import { createScheduler } from './scheduler';
import { createStateStore, loadState, writeFileAtomic } from './state-store';
import { createTransferService } from './transfers';
import { createUserActions } from './user-actions';
import { createWebhookDispatcher } from './webhook-dispatcher';
import { createWebhookRegistry } from './webhook-registry';

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
  /** Divides every simulated delay (chain + webhook retries); default 1. */
  timeScale?: number;
  /** Simulated block time before scaling; default 2000. */
  blockTimeMs?: number;
  /** Blocks from Broadcasted to Confirmed; default 2. */
  confirmations?: number;
  /**
   * Delays after attempts 1–4 before scaling; default [60_000, 720_000, 7_200_000, 86_400_000]
   * (Dfns: +1m, +12m, +2h, +1d; 5 attempts in total).
   */
  webhookRetryDelaysMs?: number[];
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
  const now = Date.now;
  const loaded = await loadState(opts.stateFile);
  const store = createStateStore(loaded ?? createInitialState(now(), opts.webhookUrl), opts.stateFile);
  if (loaded) reconcileBootstrap(store, opts.webhookUrl, now());
  else store.changed();

  const jwt = createJwtCodec(store.state.jwtSecret);
  const scheduler = createScheduler(now);
  const { timeScale } = opts;
  const retryDelaysMs = opts.webhookRetryDelaysMs;
  const dispatcher = createWebhookDispatcher({ store, scheduler, now, timeScale, retryDelaysMs });
  const chain = createChainClock({
    store,
    scheduler,
    dispatcher,
    policyGate: allowAllPolicies,
    now,
    timeScale,
    blockTimeMs: opts.blockTimeMs,
    confirmations: opts.confirmations,
  });
  const transfers = createTransferService({ store, chain, dispatcher, now });
  const registry = createWebhookRegistry({ store, now });
  const credentialsOf = (userId: string) => store.state.credentials.filter((c) => c.userId === userId);
  const userActions = createUserActions({ now, jwt, credentialsOf });
  const app = createApp({ store, jwt, userActions, transfers, registry, dispatcher });

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

  let closing: Promise<void> | undefined;
  const close = async () => {
    scheduler.stop();
    dispatcher.stop();
    await closeServer(server);
    await store.close();
  };
  return { url, bootstrap, close: () => (closing ??= close()) };
}
