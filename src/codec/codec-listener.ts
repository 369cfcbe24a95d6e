import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { answerClientErrorsAsProblems } from '../api/client-errors';
import { ConfigError } from '../config';

/** A running codec listener and the URL of its endpoint (`…/codec`, the Web UI's and CLI's codec endpoint). */
export interface CodecListener {
  server: ServerType;
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Serves the codec endpoint on a listener of its own (APP_CODEC_ADDRESS), never on the public API port. Resolves once
 * it listens; a port already taken or an address not on this host is a ConfigError naming the variable.
 */
export function listenForCodec(app: Pick<Hono, 'fetch'>, address: string): Promise<CodecListener> {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(address);
  if (!match) return Promise.reject(new ConfigError(`APP_CODEC_ADDRESS: must be host:port, not ${address}`));
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: match[1] as string, port: Number(match[2]) });
    answerClientErrorsAsProblems(server);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new ConfigError(`APP_CODEC_ADDRESS: cannot serve ${address}: ${error.code ?? error.message}`)),
    );
    server.once('listening', () => {
      const bound = server.address() as AddressInfo;
      const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
      resolve({
        server,
        endpoint: `http://${host}:${bound.port}/codec`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
