import type { PoolDefinition } from '../contracts/pool-definition';
import type { ClientsFile } from './clients-file-schema';

/** What one payer (a client, or the payments that name none) may pay from. */
export interface ClientBinding {
  /** Wallets it may name as `walletId`. */
  wallets: ReadonlySet<string>;
  /** Pools it may name as `pool`; the pool then picks one of its own wallets. */
  pools: ReadonlySet<string>;
  /** The only hosts (`host` or `host:port`) its callback URLs may name; undefined when the file sets no list for it. */
  callbackHosts?: readonly string[];
}

/** The bindings of every configured client; a client the file does not name may pay from nothing. */
export interface ClientBindings {
  /** The binding of `clientId`, or of payments without a client when it is undefined. */
  readonly of: (clientId: string | undefined) => ClientBinding;
  /**
   * The hosts (`host` or `host:port`) `clientId`'s callback URLs may name, or undefined when its entry sets no list
   * (of payments without a client when it is undefined).
   */
  readonly callbackHostsOf: (clientId: string | undefined) => readonly string[] | undefined;
  /** The clients the file names, in its order. */
  readonly clientIds: readonly string[];
}

const NOTHING: ClientBinding = { wallets: new Set(), pools: new Set() };

type Entry = { wallets: string[]; pools: string[]; callbackHosts?: string[] | undefined };

const bindingOf = (entry: Entry): ClientBinding => ({
  wallets: new Set(entry.wallets),
  pools: new Set(entry.pools),
  ...(entry.callbackHosts ? { callbackHosts: [...entry.callbackHosts] } : {}),
});

/** The bindings a validated clients file declares. */
export function clientBindings(file: ClientsFile): ClientBindings {
  const byClient = new Map(file.clients.map((client) => [client.id, bindingOf(client)]));
  const withoutClient = file.withoutClient ? bindingOf(file.withoutClient) : NOTHING;
  const of = (clientId: string | undefined): ClientBinding =>
    clientId === undefined ? withoutClient : (byClient.get(clientId) ?? NOTHING);
  return {
    of,
    callbackHostsOf: (clientId) => of(clientId).callbackHosts,
    clientIds: file.clients.map((client) => client.id),
  };
}

/** No client may pay from anything: what a server or worker without a clients file enforces. */
export const NO_CLIENT_BINDINGS: ClientBindings = clientBindings({ version: 1, clients: [] });

/**
 * The wallets a payer's payments may show and be listed by: its own, and those of its pools (a pool payment shows
 * the wallet its pool chose).
 */
export function visibleWallets(binding: ClientBinding, pools: readonly PoolDefinition[]): ReadonlySet<string> {
  const wallets = new Set(binding.wallets);
  for (const pool of pools) if (binding.pools.has(pool.name)) for (const wallet of pool.wallets) wallets.add(wallet);
  return wallets;
}
