import { isIP } from 'node:net';
import { addressRefusal } from './callback-address';
import { effectivePort, hostListed, parseHostEntries, parseHostEntry, type HostEntry } from './callback-hosts';

/**
 * The callback hosts a client may name (`host` or `host:port`), or undefined when it has no list and may name any
 * public host. The operator's per-client configuration answers it.
 */
export type CallbackHostsOf = (clientId: string | undefined) => readonly string[] | undefined;

/** Where outcome callbacks may go; the API checks a request against it and the worker checks again before sending. */
export interface CallbackPolicy {
  /** Receivers that may be http and may resolve to loopback or private addresses (CALLBACK_ALLOWED_INSECURE_HOSTS). */
  insecureHosts: readonly HostEntry[];
  callbackHostsOf: CallbackHostsOf;
}

/** No per-client lists: every client may name any public https host. */
export const anyPublicHost: CallbackHostsOf = () => undefined;

/** Builds the policy from the operator's lists; throws naming an entry that is not `host` or `host:port`. */
export function callbackPolicy(
  options: { insecureHosts?: readonly string[]; callbackHostsOf?: CallbackHostsOf } = {},
): CallbackPolicy {
  return {
    insecureHosts: parseHostEntries(options.insecureHosts ?? []),
    callbackHostsOf: options.callbackHostsOf ?? anyPublicHost,
  };
}

/** Names that always mean the local machine (RFC 6761 §6.3). */
const isLocalhostName = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost');

/**
 * Why a callback URL may not be used by this client, or undefined when it may. Decided from the URL alone: https
 * (http only for an insecure-allowed host), no credentials, the client's own hosts when it has a list, and no
 * literal address or `localhost` name that is not public. A host name's addresses are checked when the worker
 * connects (callback-connector.ts), since a DNS answer given now says nothing about the one given then.
 */
export function callbackUrlProblem(
  url: string,
  policy: CallbackPolicy,
  clientId: string | undefined,
): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an https URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an https URL';
  if (parsed.username !== '' || parsed.password !== '') return 'must not carry a user name or password';
  const host = parsed.hostname;
  const port = effectivePort(parsed);
  const clientHosts = policy.callbackHostsOf(clientId);
  if (clientHosts) {
    const entries = clientHosts.map(parseHostEntry).filter((entry): entry is HostEntry => entry !== undefined);
    if (!hostListed(entries, host, port))
      return `names ${parsed.host}, which is not one of this client's callback hosts`;
  }
  if (hostListed(policy.insecureHosts, host, port)) return undefined;
  if (parsed.protocol !== 'https:') return 'must be an https URL (http only for hosts the operator allows)';
  if (isLocalhostName(host)) return `names ${host}, which callbacks may not reach`;
  const literal = host.startsWith('[') ? host.slice(1, -1) : host;
  const refusal = isIP(literal) ? addressRefusal(literal) : undefined;
  if (refusal) return `is a ${refusal} address, which callbacks may not reach`;
  return undefined;
}
