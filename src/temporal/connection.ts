import { Connection, type TLSConfig } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError, type Config } from '../config';

/** The configuration the connection reads: address, TLS material and API key. */
export type TemporalConnectionConfig = Pick<
  Config,
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_TLS'
  | 'TEMPORAL_TLS_CLIENT_CERT_PATH'
  | 'TEMPORAL_TLS_CLIENT_CERT_DATA'
  | 'TEMPORAL_TLS_CLIENT_KEY_PATH'
  | 'TEMPORAL_TLS_CLIENT_KEY_DATA'
  | 'TEMPORAL_TLS_SERVER_CA_CERT_PATH'
  | 'TEMPORAL_TLS_SERVER_CA_CERT_DATA'
  | 'TEMPORAL_TLS_SERVER_NAME'
  | 'TEMPORAL_API_KEY'
>;

/** What both kinds of connection (client `Connection`, worker `NativeConnection`) are given. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

type PemKind = 'CERT' | 'KEY' | 'CA';
const PEM_MARK: Record<PemKind, RegExp> = {
  CERT: /-----BEGIN CERTIFICATE-----/,
  KEY: /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  CA: /-----BEGIN CERTIFICATE-----/,
};
const VARIABLE: Record<PemKind, string> = { CERT: 'CLIENT_CERT', KEY: 'CLIENT_KEY', CA: 'SERVER_CA_CERT' };

/** One PEM from TEMPORAL_TLS_<X>_PATH or TEMPORAL_TLS_<X>_DATA (never both); its text is never put in an error. */
function pem(config: TemporalConnectionConfig, kind: PemKind): { text: string; from: string } | undefined {
  const pathName = `TEMPORAL_TLS_${VARIABLE[kind]}_PATH` as keyof TemporalConnectionConfig;
  const dataName = `TEMPORAL_TLS_${VARIABLE[kind]}_DATA` as keyof TemporalConnectionConfig;
  const path = config[pathName] as string | undefined;
  const data = config[dataName] as string | undefined;
  if (path && data) throw new ConfigError(`set ${pathName} or ${dataName}, not both`);
  if (!path && !data) return undefined;
  let text: string;
  if (path) {
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(`${pathName}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  } else {
    // Environment files often carry PEM on one line with \n escapes, as DFNS_PRIVATE_KEY does.
    text = (data as string).replace(/\\n/g, '\n');
  }
  const from = path ? `${pathName} (${path})` : dataName;
  if (!PEM_MARK[kind].test(text)) {
    throw new ConfigError(`${from} is not PEM: expected ${kind === 'KEY' ? 'a private key' : 'a certificate'}`);
  }
  return { text, from };
}

/** Refuses a client key that does not belong to the certificate, which the server would only report as a TLS alert. */
function checkPair(cert: { text: string; from: string }, key: { text: string; from: string }): void {
  let matches: boolean;
  try {
    matches = new X509Certificate(cert.text).checkPrivateKey(createPrivateKey(key.text));
  } catch (error) {
    const reason = (error as Error).message;
    throw new ConfigError(`cannot read the client certificate or key (${cert.from}, ${key.from}): ${reason}`);
  }
  if (!matches) throw new ConfigError(`${key.from} is not the private key of ${cert.from}`);
}

/**
 * Turns the configuration into connection options, failing with a ConfigError that names the variables when they
 * cannot work together. TLS is on when asked for, when any TLS material is given, or with an API key (Temporal
 * Cloud accepts API keys over TLS only; https://docs.temporal.io/cloud/api-keys).
 */
export function temporalConnectionOptions(config: TemporalConnectionConfig): TemporalConnectionOptions {
  const cert = pem(config, 'CERT');
  const key = pem(config, 'KEY');
  const ca = pem(config, 'CA');
  if (cert && !key) {
    throw new ConfigError('a client certificate needs its key: set TEMPORAL_TLS_CLIENT_KEY_PATH or _KEY_DATA');
  }
  if (key && !cert) {
    throw new ConfigError('a client key needs its certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH or _CERT_DATA');
  }
  if (cert && key) checkPair(cert, key);
  const serverName = config.TEMPORAL_TLS_SERVER_NAME;
  const material = [cert && 'client certificate', ca && 'server CA', serverName && 'TEMPORAL_TLS_SERVER_NAME'];
  const given = material.filter(Boolean);
  if (config.TEMPORAL_TLS === false) {
    if (config.TEMPORAL_API_KEY) {
      throw new ConfigError('TEMPORAL_API_KEY cannot be sent over a plaintext connection: remove TEMPORAL_TLS=false');
    }
    if (given.length > 0) throw new ConfigError(`TEMPORAL_TLS=false, yet TLS settings are given: ${given.join(', ')}`);
  }
  const useTls = config.TEMPORAL_TLS === true || given.length > 0 || config.TEMPORAL_API_KEY !== undefined;
  const options: TemporalConnectionOptions = { address: config.TEMPORAL_ADDRESS };
  if (useTls) {
    options.tls = {
      ...(serverName ? { serverNameOverride: serverName } : {}),
      ...(ca ? { serverRootCACertificate: Buffer.from(ca.text) } : {}),
      ...(cert && key ? { clientCertPair: { crt: Buffer.from(cert.text), key: Buffer.from(key.text) } } : {}),
    };
  }
  if (config.TEMPORAL_API_KEY) options.apiKey = config.TEMPORAL_API_KEY;
  return options;
}

/** How the connection is secured, for start-up logs (never the material itself). */
export function describeTemporalSecurity(options: TemporalConnectionOptions): string {
  const transport = !options.tls ? 'plaintext' : options.tls.clientCertPair ? 'mTLS' : 'TLS';
  return options.apiKey ? `${transport} + API key` : transport;
}

/**
 * A client connection (app, CLIs, scripts), connected now; fails if Temporal does not answer in connectTimeout.
 * Unlike `Connection.connect`, a failed attempt closes its channel, which would otherwise keep retrying (and keep
 * the process alive) behind the caller's back.
 */
export async function connectTemporalClient(
  config: TemporalConnectionConfig,
  connectTimeout = '10s',
): Promise<Connection> {
  const connection = Connection.lazy({ ...temporalConnectionOptions(config), connectTimeout });
  try {
    await connection.ensureConnected();
  } catch (error) {
    await connection.close();
    throw error;
  }
  return connection;
}

/** A client connection that connects on first use, so a process can start while Temporal is down. */
export function lazyTemporalClient(config: TemporalConnectionConfig, connectTimeout = '10s'): Connection {
  return Connection.lazy({ ...temporalConnectionOptions(config), connectTimeout });
}

/** The worker's native connection. The worker package is loaded here only, so the app and CLIs never load it. */
export async function connectTemporalWorker(config: TemporalConnectionConfig): Promise<NativeConnection> {
  const options = temporalConnectionOptions(config);
  const { NativeConnection } = await import('@temporalio/worker');
  return NativeConnection.connect(options);
}
