import { createServer } from 'node:net';

/** Every port this process was given, never given twice. */
const handedOut = new Set<number>();

/** Whether nothing listens on the loopback port now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A loopback port that was free a moment ago, for a server whose URL must be known before it starts. It is drawn at
 * random from 20000–32767, below the kernel's ephemeral range (32768 and up): a port the kernel handed out could be
 * given again to an outgoing connection before the server binds it. Below 32768 it also suits Temporal's membership
 * ports, which are stored as smallint.
 */
export async function freePort(taken: ReadonlySet<number> = new Set()): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_767);
    if (taken.has(port) || handedOut.has(port)) continue;
    // Taken before the check, so that calls made together never hand out the same port.
    handedOut.add(port);
    if (await isFree(port)) return port;
  }
  throw new Error('no free loopback port from 20000 to 32767 after 50 tries');
}
