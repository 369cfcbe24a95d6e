import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../config';
import type { AppMetrics } from './app-metrics';

/** The app's metrics endpoint alone: `GET /metrics`, and a bare 404 for anything else. */
export function createMetricsApp(metrics: Pick<AppMetrics, 'handler'>): Hono {
  const app = new Hono();
  app.get('/metrics', metrics.handler);
  app.notFound((c) => c.text('not found: this listener serves GET /metrics only\n', 404));
  return app;
}

/** A running metrics listener: its server and the URL of its `/metrics` (with the port it got, when asked for 0). */
export interface MetricsListener {
  server: ServerType;
  url: string;
  close(): Promise<void>;
}

/** Splits `host:port` or `[v6]:port`. */
function hostAndPort(address: string): { hostname: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(address);
  if (!match) throw new ConfigError(`APP_METRICS_ADDRESS: must be host:port, not ${address}`);
  return { hostname: match[1] as string, port: Number(match[2]) };
}

/**
 * Serves the app's metrics on a listener of its own (APP_METRICS_ADDRESS), so the public API port never exposes them.
 * Resolves once it listens; a port already taken or an address not on this host is a ConfigError naming the variable.
 */
export function listenForMetrics(metrics: Pick<AppMetrics, 'handler'>, address: string): Promise<MetricsListener> {
  const { hostname, port } = hostAndPort(address);
  const app = createMetricsApp(metrics);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname, port });
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new ConfigError(`APP_METRICS_ADDRESS: cannot serve ${address}: ${error.code ?? error.message}`)),
    );
    server.once('listening', () => {
      const bound = server.address() as AddressInfo;
      const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
      resolve({
        server,
        url: `http://${host}:${bound.port}/metrics`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
