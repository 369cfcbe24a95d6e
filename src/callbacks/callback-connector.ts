import { lookup } from 'node:dns/promises';
import { isIP, type Socket } from 'node:net';
import { buildConnector } from 'undici';
import { addressRefusal } from './callback-address';
import { hostListed, type HostEntry } from './callback-hosts';

/** Resolves a host name to every address it has (the system resolver by default; tests inject their own). */
export type ResolveHost = (hostname: string) => Promise<readonly { address: string }[]>;

const systemResolve: ResolveHost = (hostname) => lookup(hostname, { all: true });

/** A callback that would connect to an address that is not public: refused for good, never retried. */
export class CallbackAddressRefused extends Error {
  override name = 'CallbackAddressRefused';
  constructor(
    readonly host: string,
    readonly refusal: string,
  ) {
    super(`${host} resolves to a ${refusal} address, which callbacks may not reach`);
  }
}

/** What the connector needs. */
export interface CallbackConnectorDeps {
  /** Receivers whose addresses are not checked (CALLBACK_ALLOWED_INSECURE_HOSTS). */
  insecureHosts: readonly HostEntry[];
  resolve?: ResolveHost;
  /** Opens the socket to one checked address; undici's own connector by default (tests route it). */
  dial?: buildConnector.connector;
  /** How long one connection attempt (TCP, then TLS) may take. */
  connectTimeoutMs?: number;
}

/**
 * An undici connector that resolves the host itself, refuses the connection when any of its addresses is not public,
 * and then dials those very addresses, so a DNS answer that changes between a check and the connection (rebinding)
 * has nothing to slip through: the address checked is the address connected to. TLS still verifies the host name
 * (undici takes the server name from the origin, not from the address dialled).
 */
export function callbackConnector({
  insecureHosts,
  resolve = systemResolve,
  dial,
  connectTimeoutMs = 5_000,
}: CallbackConnectorDeps): buildConnector.connector {
  const dialer = dial ?? buildConnector({ timeout: connectTimeoutMs });
  const dialOne = (options: buildConnector.Options, address: string) =>
    new Promise<Socket>((resolveSocket, reject) => {
      dialer({ ...options, hostname: address }, (error, socket) => (error ? reject(error) : resolveSocket(socket)));
    });

  async function connect(options: buildConnector.Options): Promise<Socket> {
    const host = options.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = options.port ? Number(options.port) : options.protocol === 'https:' ? 443 : 80;
    const addresses = isIP(host) ? [host] : (await resolve(host)).map((answer) => answer.address);
    if (addresses.length === 0) throw new Error(`${host} has no address`);
    if (!hostListed(insecureHosts, host, port)) {
      for (const address of addresses) {
        const refusal = addressRefusal(address);
        if (refusal) throw new CallbackAddressRefused(host, refusal);
      }
    }
    let failure: unknown;
    for (const address of addresses) {
      try {
        return await dialOne(options, address);
      } catch (error) {
        failure = error; // the next address, as a resolver's order intends
      }
    }
    throw failure;
  }

  return (options, callback) => {
    connect(options).then(
      (socket) => callback(null, socket),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  };
}
