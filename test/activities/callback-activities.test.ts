// The outcome-callback activity against real receivers on loopback: what it refuses (and that the refused receiver
// never sees a connection), redirects it does not follow, a DNS answer that turns to loopback, and its limits.
import { ApplicationFailure } from '@temporalio/common';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { buildConnector } from 'undici';
import { createCallbackActivities, type OutcomeCallbackInput } from '../../activities/callback-activities';
import { CallbackAddressRefused, callbackConnector, type ResolveHost } from '../../src/callbacks/callback-connector';
import { createCallbackSender, type CallbackSenderDeps } from '../../src/callbacks/callback-sender';
import { callbackPolicy, type CallbackHostsOf } from '../../src/callbacks/callback-url-policy';
import { CALLBACK_SIGNATURE_HEADER, verifyCallback } from '../../src/client/callback-signature';
import type { PaymentOutcome } from '../../src/contracts/payment-messages';

const SECRET = 'callback-test-secret-0123456789';
const outcome: PaymentOutcome = { paymentId: 'payment:acme:k1', status: 'Confirmed', attempt: 1, externalId: 'x:a1' };

interface Receiver {
  port: number;
  /** TCP connections accepted, whether or not a request followed. */
  connections: number;
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

const open: Receiver[] = [];
after(async () => {
  await Promise.all(open.map((receiver) => receiver.close()));
});

/** An HTTP receiver on 127.0.0.1 answering every request with `answer` (200 by default). */
async function receiver(answer: (response: ServerResponse) => void = (response) => response.end('ok')) {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      handle.requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      answer(response);
    });
  });
  server.on('connection', () => handle.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const handle: Receiver = {
    port: (server.address() as AddressInfo).port,
    connections: 0,
    requests: [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  open.push(handle);
  return handle;
}

/** The activity with its sender's dependencies and the policy's lists; the sender is closed after the suite. */
function activity(
  options: { insecureHosts?: string[]; callbackHostsOf?: CallbackHostsOf; secret?: string } & Omit<
    CallbackSenderDeps,
    'insecureHosts'
  > = {},
) {
  const { insecureHosts, callbackHostsOf, secret = SECRET, ...senderDeps } = options;
  const policy = callbackPolicy({ insecureHosts, ...(callbackHostsOf ? { callbackHostsOf } : {}) });
  const sender = createCallbackSender({ insecureHosts: policy.insecureHosts, ...senderDeps });
  open.push({ port: 0, connections: 0, requests: [], close: () => sender.close() });
  const activities = createCallbackActivities({ secret, policy, sender });
  return (input: OutcomeCallbackInput) => activities.sendOutcomeCallback(input);
}

/** The ApplicationFailure a call rejects with. */
async function failureOf(call: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await call.then(
    () => assert.fail('expected the callback to fail'),
    (rejection: unknown) => rejection,
  );
  assert.ok(error instanceof ApplicationFailure, `not an ApplicationFailure: ${String(error)}`);
  return error;
}

const blocked = async (call: Promise<unknown>, message: RegExp) => {
  const failure = await failureOf(call);
  assert.equal(failure.type, 'CallbackBlocked');
  assert.equal(failure.nonRetryable, true);
  assert.match(failure.message, message);
};

describe('sendOutcomeCallback: loopback is refused unless the operator allows it', () => {
  it('refuses http://127.0.0.1 and https://127.0.0.1, and the receiver sees no connection', async () => {
    const target = await receiver();
    const send = activity();
    await blocked(send({ url: `http://127.0.0.1:${target.port}/admin/reset`, outcome }), /must be an https URL/);
    await blocked(send({ url: `https://127.0.0.1:${target.port}/admin/reset`, outcome }), /loopback address/);
    await blocked(send({ url: `https://[::ffff:127.0.0.1]:${target.port}/`, outcome }), /ipv4Mapped form/);
    assert.equal(target.connections, 0);
  });

  it('refuses a host name that resolves to loopback, checking every address it has', async () => {
    const target = await receiver();
    for (const answers of [['127.0.0.1'], ['93.184.215.14', '127.0.0.1'], ['::1'], ['::ffff:127.0.0.1']]) {
      const send = activity({ resolve: async () => answers.map((address) => ({ address })) });
      await blocked(
        send({ url: `https://receiver.test:${target.port}/outcome`, outcome }),
        /receiver\.test resolves to a .*loopback/,
      );
    }
    assert.equal(target.connections, 0);
  });

  it('delivers the signed outcome to a receiver listed in CALLBACK_ALLOWED_INSECURE_HOSTS', async () => {
    const target = await receiver();
    const send = activity({ insecureHosts: [`127.0.0.1:${target.port}`] });
    assert.deepEqual(await send({ url: `http://127.0.0.1:${target.port}/outcome`, outcome }), { status: 200 });
    assert.equal(target.requests.length, 1);
    const [request] = target.requests;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, '/outcome');
    const signature = request?.headers[CALLBACK_SIGNATURE_HEADER];
    assert.equal(typeof signature, 'string');
    assert.ok(verifyCallback(request?.body ?? '', signature as string, SECRET, Math.floor(Date.now() / 1000)));
    assert.deepEqual(JSON.parse(request?.body ?? ''), {
      type: 'payment.outcome',
      paymentId: outcome.paymentId,
      outcome,
    });
  });

  it('allows only the listed port of an insecure host', async () => {
    const allowed = await receiver();
    const other = await receiver();
    const send = activity({ insecureHosts: [`127.0.0.1:${allowed.port}`] });
    await blocked(send({ url: `http://127.0.0.1:${other.port}/`, outcome }), /must be an https URL/);
    assert.equal(other.connections, 0);
  });

  it("holds a client to its callback hosts at send time, and leaves other clients' URLs alone", async () => {
    const target = await receiver();
    const send = activity({
      insecureHosts: [`127.0.0.1:${target.port}`],
      callbackHostsOf: (clientId) => (clientId === 'globex' ? ['hooks.globex.example'] : undefined),
    });
    const url = `http://127.0.0.1:${target.port}/outcome`;
    await blocked(send({ url, outcome, clientId: 'globex' }), /not one of this client's callback hosts/);
    assert.equal(target.connections, 0);
    assert.deepEqual(await send({ url, outcome, clientId: 'acme' }), { status: 200 });
  });

  it('sends nothing without a signing secret (CallbackNotConfigured, not retried)', async () => {
    const target = await receiver();
    const send = activity({ secret: '', insecureHosts: [`127.0.0.1:${target.port}`] });
    const failure = await failureOf(send({ url: `http://127.0.0.1:${target.port}/`, outcome }));
    assert.equal(failure.type, 'CallbackNotConfigured');
    assert.equal(failure.nonRetryable, true);
    assert.equal(target.connections, 0);
  });
});

describe('sendOutcomeCallback: redirects are answers, never followed', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`treats a ${status} as a failed delivery, retried, and the redirect target on loopback receives nothing`, async () => {
      const inside = await receiver();
      const redirecting = await receiver((response) => {
        response.writeHead(status, { location: `http://127.0.0.1:${inside.port}/admin/reset` }).end();
      });
      const send = activity({ insecureHosts: [`127.0.0.1:${redirecting.port}`] });
      const failure = await failureOf(send({ url: `http://127.0.0.1:${redirecting.port}/outcome`, outcome }));
      assert.equal(failure.type, 'CallbackRefused');
      assert.equal(failure.nonRetryable, false);
      assert.match(failure.message, new RegExp(`answered ${status} \\(redirects are not followed\\)`));
      assert.equal(redirecting.requests.length, 1);
      assert.equal(inside.connections, 0);
    });
  }

  it('retries any other answer but 2xx', async () => {
    const target = await receiver((response) => response.writeHead(500).end('down'));
    const send = activity({ insecureHosts: [`127.0.0.1:${target.port}`] });
    const failure = await failureOf(send({ url: `http://127.0.0.1:${target.port}/`, outcome }));
    assert.equal(failure.type, 'CallbackRefused');
    assert.equal(failure.nonRetryable, false);
    assert.match(failure.message, /answered 500/);
  });
});

describe('sendOutcomeCallback: a DNS answer that turns to loopback (rebinding)', () => {
  /** A public address the stub's first answer gives; the routed dialer below never lets it reach the network. */
  const PUBLIC = '93.184.215.14';

  /** A resolver whose first answer is public and every later one 127.0.0.1, as a rebinding attacker's DNS answers. */
  function rebindingResolver(): ResolveHost & { calls: number } {
    const resolve = Object.assign(
      async () => {
        resolve.calls++;
        return [{ address: resolve.calls === 1 ? PUBLIC : '127.0.0.1' }];
      },
      { calls: 0 },
    );
    return resolve;
  }

  /** Dials loopback for real; the public address is "unreachable" without a packet leaving the machine. */
  function routedDialer(dialled: string[]): buildConnector.connector {
    const real = buildConnector({ timeout: 5_000 });
    return (options, callback) => {
      dialled.push(`${options.hostname}:${options.port}`);
      if (options.hostname === PUBLIC) {
        callback(Object.assign(new Error(`connect ECONNREFUSED ${PUBLIC}`), { code: 'ECONNREFUSED' }), null);
        return;
      }
      real(options, callback);
    };
  }

  it('connects only to the address it checked: the later loopback answer is refused before any socket', async () => {
    const inside = await receiver();
    const dialled: string[] = [];
    const resolve = rebindingResolver();
    const send = activity({ resolve, dial: routedDialer(dialled) });
    const url = `https://receiver.test:${inside.port}/outcome`;

    // First delivery: the public answer is checked and dialled (and is unreachable): an ordinary retry.
    const first = await failureOf(send({ url, outcome }));
    assert.equal(first.type, 'CallbackUnreachable');
    assert.equal(first.nonRetryable, false);
    // The retry: DNS now says 127.0.0.1, and that answer is the one checked, at connect time.
    await blocked(send({ url, outcome }), /receiver\.test resolves to a loopback address/);

    assert.equal(resolve.calls, 2);
    assert.deepEqual(dialled, [`${PUBLIC}:${inside.port}`]);
    assert.equal(inside.connections, 0);
  });

  it('the same answer reaches the loopback receiver when its host is allowed, so the receiver would have seen it', async () => {
    const inside = await receiver();
    const dialled: string[] = [];
    const resolve = rebindingResolver();
    await resolve('receiver.test'); // spend the public answer
    const send = activity({ resolve, dial: routedDialer(dialled), insecureHosts: [`receiver.test:${inside.port}`] });
    // https to a plain-http receiver: the TLS handshake fails, but only after the connection was made.
    const failure = await failureOf(send({ url: `https://receiver.test:${inside.port}/outcome`, outcome }));
    assert.equal(failure.type, 'CallbackUnreachable');
    assert.deepEqual(dialled, [`127.0.0.1:${inside.port}`]);
    assert.equal(inside.connections, 1);
  });

  it('refuses a literal address at the connector too, before dialling', async () => {
    const dialled: string[] = [];
    const connect = callbackConnector({ insecureHosts: [], dial: routedDialer(dialled) });
    for (const hostname of ['127.0.0.1', '[::ffff:127.0.0.1]', '::1', '169.254.169.254']) {
      const error = await new Promise<Error | null>((resolve) => {
        connect({ hostname, host: `${hostname}:443`, protocol: 'https:', port: '443' }, (...args) => resolve(args[0]));
      });
      assert.ok(error instanceof CallbackAddressRefused, `${hostname}: ${String(error)}`);
    }
    assert.deepEqual(dialled, []);
  });
});

describe('sendOutcomeCallback: limits', () => {
  it('reads at most a few KiB of an endless answer, then drops the connection', async () => {
    let sent = 0;
    let closed = false;
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const endless = await receiver((response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.on('close', () => (closed = true));
      const pump = () => {
        // Bounded: 64 MiB at most, far more than a reader that stops at 4 KiB lets through.
        while (!closed && sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
      };
      pump();
    });
    const send = activity({ insecureHosts: [`127.0.0.1:${endless.port}`] });
    const started = Date.now();
    assert.deepEqual(await send({ url: `http://127.0.0.1:${endless.port}/`, outcome }), { status: 200 });
    const deadline = Date.now() + 10_000;
    while (!closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(closed, 'the receiver saw its connection dropped');
    assert.ok(sent < 16 * 1024 * 1024, `the receiver pushed only what socket buffers hold (${sent} bytes)`);
    assert.ok(Date.now() - started < 10_000);
  });

  it('gives up on a receiver that never answers, at the delivery deadline, as a retryable failure', async () => {
    const silent = await receiver(() => {
      // Never answers.
    });
    const send = activity({ insecureHosts: [`127.0.0.1:${silent.port}`], timeoutMs: 1_000 });
    const started = Date.now();
    const failure = await failureOf(send({ url: `http://127.0.0.1:${silent.port}/`, outcome }));
    const elapsed = Date.now() - started;
    assert.equal(failure.type, 'CallbackUnreachable');
    assert.equal(failure.nonRetryable, false);
    assert.match(failure.message, /timeout|timed out|aborted/i);
    assert.ok(elapsed >= 900, `gave up after ${elapsed} ms, before the deadline`);
    assert.ok(elapsed < 10_000, `gave up after ${elapsed} ms`);
    assert.equal(silent.requests.length, 1);
  });
});
