/** A host an operator lists (`host` or `host:port`): a host name or IP literal as URLs spell it, and maybe a port. */
export interface HostEntry {
  /** Lower-case, as `new URL(...).hostname` gives it: IPv6 in brackets, IPv4 in dotted decimal. */
  host: string;
  /** Absent: any port of the host. */
  port?: number;
}

const ENTRY = /^(\[[0-9a-fA-F:.]+\]|[^\s:/?#@[\]]+)(?::(\d{1,5}))?$/;

/** The canonical form of a host as a URL would spell it (`LOCALHOST` → `localhost`, `::1` → `[::1]`), or undefined. */
function canonicalHost(host: string): string | undefined {
  try {
    const parsed = new URL(`http://${host}/`);
    return parsed.hostname === '' ? undefined : parsed.hostname;
  } catch {
    return undefined;
  }
}

/** Parses one `host` or `host:port` entry (a bare IPv6 address is taken whole); undefined when it is not one. */
export function parseHostEntry(text: string): HostEntry | undefined {
  const trimmed = text.trim();
  const bareIPv6 = !trimmed.startsWith('[') && (trimmed.match(/:/g)?.length ?? 0) > 1;
  const match = ENTRY.exec(bareIPv6 ? `[${trimmed}]` : trimmed);
  if (!match?.[1]) return undefined;
  const host = canonicalHost(match[1]);
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (!host || (port !== undefined && (port < 1 || port > 65535))) return undefined;
  return port === undefined ? { host } : { host, port };
}

/** Parses a list of entries; throws naming the first that is not `host` or `host:port`. */
export function parseHostEntries(texts: readonly string[]): HostEntry[] {
  return texts.map((text) => {
    const entry = parseHostEntry(text);
    if (!entry) throw new Error(`"${text}" is not a host or host:port`);
    return entry;
  });
}

/** The port a URL connects to: its own, or its scheme's default. */
export function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** Whether a URL host (as `URL.hostname` spells it) and port are among the entries. */
export function hostListed(entries: readonly HostEntry[], host: string, port: number): boolean {
  const urlStyle = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host; // an IPv6 socket address
  const canonical = canonicalHost(urlStyle) ?? host.toLowerCase();
  return entries.some((entry) => entry.host === canonical && (entry.port === undefined || entry.port === port));
}
