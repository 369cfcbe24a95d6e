import { Agent, request } from 'undici';
import { callbackConnector, type CallbackConnectorDeps } from './callback-connector';

/** How long a whole delivery (resolve, connect, send, answer) may take unless configured otherwise. */
export const CALLBACK_TIMEOUT_MS = 10_000;
/** How much of a receiver's answer is read before the connection is dropped; only the status matters. */
export const CALLBACK_MAX_RESPONSE_BYTES = 4 * 1024;

/** What a delivery got back: the status alone (a redirect's Location is never followed, so never read). */
export interface CallbackAnswer {
  status: number;
}

/** Posts callbacks through the checked connector. */
export interface CallbackSender {
  post(url: string, headers: Record<string, string>, body: string): Promise<CallbackAnswer>;
  close(): Promise<void>;
}

/** What the sender needs: the connector's dependencies, and its limits. */
export interface CallbackSenderDeps extends CallbackConnectorDeps {
  timeoutMs?: number;
  maxResponseBytes?: number;
}

/** Reads at most `limit` bytes of a body, then drops it (and with it the connection, when more was coming). */
async function readAtMost(body: AsyncIterable<Buffer> & { destroy(): unknown }, limit: number): Promise<number> {
  let read = 0;
  try {
    for await (const chunk of body) {
      read += chunk.length;
      if (read >= limit) break;
    }
  } catch {
    // The status is the answer; a body cut short or too slow changes nothing.
  } finally {
    body.destroy();
  }
  return read;
}

/**
 * Creates the sender of outcome callbacks: one POST per delivery on a fresh connection (so every delivery resolves
 * and checks its address anew), no redirects followed, a deadline on the whole exchange and a cap on what is read.
 */
export function createCallbackSender(deps: CallbackSenderDeps): CallbackSender {
  const timeoutMs = deps.timeoutMs ?? CALLBACK_TIMEOUT_MS;
  const maxResponseBytes = deps.maxResponseBytes ?? CALLBACK_MAX_RESPONSE_BYTES;
  const agent = new Agent({ connect: callbackConnector(deps), maxRedirections: 0 });
  return {
    async post(url, headers, body) {
      const response = await request(url, {
        dispatcher: agent,
        method: 'POST',
        headers,
        body,
        reset: true, // no keep-alive: the next delivery connects, and is checked, again
        maxRedirections: 0,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await readAtMost(response.body, maxResponseBytes);
      return { status: response.statusCode };
    },
    close: () => agent.close(),
  };
}
