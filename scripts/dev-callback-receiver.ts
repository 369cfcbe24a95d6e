// The dev stack's own outcome-callback receiver: a payment started with its URL as `callbackUrl` has its signed
// outcome printed here, with whether the signature verified. Loopback only; the worker is allowed to reach it over
// http through CALLBACK_ALLOWED_INSECURE_HOSTS, which `scripts/dev.ts` sets to this receiver alone.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALLBACK_SIGNATURE_HEADER, verifyCallback } from '../src/client/callback-signature';

/** Bodies past this are cut off: an outcome is a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024;

/** A running receiver: its URL, the `host:port` to allow, and how to stop it. */
export interface DevCallbackReceiver {
  url: string;
  hostPort: string;
  close(): Promise<void>;
}

/** Starts the receiver on 127.0.0.1 (a free port); each callback is verified with `secret` and printed by `print`. */
export async function startDevCallbackReceiver(options: {
  secret: string;
  print: (line: string) => void;
}): Promise<DevCallbackReceiver> {
  const server = createServer((request, response) => {
    if (request.method !== 'POST') return void response.writeHead(405, { allow: 'POST' }).end();
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return void request.destroy();
      chunks.push(chunk);
    });
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = request.headers[CALLBACK_SIGNATURE_HEADER];
      const header = typeof signature === 'string' ? signature : undefined;
      const verified = verifyCallback(body, header, options.secret, Math.floor(Date.now() / 1000));
      let summary = `${body.length} bytes`;
      try {
        const { outcome } = JSON.parse(body) as { outcome?: { paymentId?: string; status?: string } };
        summary = `${outcome?.paymentId ?? '?'} ${outcome?.status ?? '?'}`;
      } catch {
        // Printed by size: not JSON.
      }
      options.print(`${summary} (${verified ? 'signature verified' : 'SIGNATURE DOES NOT VERIFY'})`);
      response.writeHead(verified ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callbacks`,
    hostPort: `127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
