import { sign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DfnsApiClient, DfnsError } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import {
  startSandbox,
  type SandboxBootstrap,
  type SandboxHandle,
  type SandboxOptions,
} from '../../sandbox/src/sandbox';

/** A checksummed recipient from the EIP-55 spec's test vectors. */
export const RECIPIENT = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

/** One request a receiver got: exact raw body, headers and parsed JSON. */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  rawBody: string;
  json: Record<string, unknown>;
}

/** A local webhook endpoint on 127.0.0.1:0. */
export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** Starts a receiver answering `statusFor(index)` (0-based request count), default 200. */
export async function startReceiver(statusFor: (index: number) => number = () => 200): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const index = requests.length;
      requests.push({ headers: req.headers, rawBody, json: JSON.parse(rawBody) as Record<string, unknown> });
      res.writeHead(statusFor(index), { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/dfns`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Builds the real SDK client exactly as the orchestrator does. */
export function clientFor(bootstrap: SandboxBootstrap, signer?: { credId: string; privateKey: string }): DfnsApiClient {
  return new DfnsApiClient({
    baseUrl: bootstrap.baseUrl,
    authToken: bootstrap.authToken,
    orgId: bootstrap.orgId,
    signer: new AsymmetricKeySigner(signer ?? { credId: bootstrap.credId, privateKey: bootstrap.privateKey }),
  });
}

/** A sandbox on a random port whose bootstrap webhook points at a 200-answering receiver. */
export interface TestSandbox {
  sandbox: SandboxHandle;
  bootstrap: SandboxBootstrap;
  dfns: DfnsApiClient;
  receiver: Receiver;
  close(): Promise<void>;
}

/** Starts an in-memory sandbox (fast clock by default) with its own receiver. */
export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const receiver = await startReceiver();
  const sandbox = await startSandbox({ port: 0, timeScale: 100, webhookUrl: receiver.url, ...options });
  return {
    sandbox,
    bootstrap: sandbox.bootstrap,
    dfns: clientFor(sandbox.bootstrap),
    receiver,
    close: async () => {
      await sandbox.close();
      await receiver.close();
    },
  };
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Creates a temp dir and returns it with its remover. */
export async function tempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'dfns-sandbox-test-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A parsed JSON response body, navigated freely in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions walk arbitrary JSON
export type Json = any;

/** Raw fetch against the sandbox with the bootstrap bearer token; returns status and JSON body. */
export async function rawCall(
  bootstrap: SandboxBootstrap,
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; bearer?: string | null } = {},
): Promise<{ status: number; body: Json }> {
  const bearer = options.bearer === undefined ? bootstrap.authToken : options.bearer;
  const res = await fetch(new URL(path, bootstrap.baseUrl), {
    method,
    headers: {
      ...(bearer !== null ? { authorization: `Bearer ${bearer}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  return { status: res.status, body: await res.json() };
}

/** Who signs a hand-made user action: the service account (default) or an approver. */
export interface Identity {
  authToken: string;
  credId: string;
  privateKey: string;
}

/** Runs the user-action handshake by hand (init + sign) and returns the `x-dfns-useraction` token. */
export async function userActionFor(
  bootstrap: SandboxBootstrap,
  action: { method: string; path: string; payload: string },
  identity: Identity = bootstrap,
): Promise<string> {
  const bearer = identity.authToken;
  const init = await rawCall(bootstrap, 'POST', '/auth/action/init', {
    bearer,
    body: JSON.stringify({
      userActionPayload: action.payload,
      userActionHttpMethod: action.method,
      userActionHttpPath: action.path,
      userActionServerKind: 'Api',
    }),
  });
  if (init.status !== 200) throw new Error(`init failed: ${init.status}`);
  const clientData = Buffer.from(JSON.stringify({ type: 'key.get', challenge: init.body.challenge }));
  const signed = await rawCall(bootstrap, 'POST', '/auth/action', {
    bearer,
    body: JSON.stringify({
      challengeIdentifier: init.body.challengeIdentifier,
      firstFactor: {
        kind: 'Key',
        credentialAssertion: {
          credId: identity.credId,
          clientData: clientData.toString('base64url'),
          signature: sign(undefined, clientData, identity.privateKey).toString('base64url'),
        },
      },
    }),
  });
  if (signed.status !== 200) throw new Error(`sign failed: ${signed.status}`);
  return signed.body.userAction as string;
}

/**
 * A signed mutation by hand, for endpoints @dfns/sdk@0.8.3 lacks (abort, speed-up): handshake, then
 * the call with the exact signed body. Returns status and JSON body.
 */
export async function signedCall(
  bootstrap: SandboxBootstrap,
  method: string,
  path: string,
  body: unknown = {},
  identity: Identity = bootstrap,
): Promise<{ status: number; body: Json }> {
  const payload = JSON.stringify(body);
  const userAction = await userActionFor(bootstrap, { method, path, payload }, identity);
  const headers = { 'x-dfns-useraction': userAction };
  return rawCall(bootstrap, method, path, { body: payload, bearer: identity.authToken, headers });
}

/** The real SDK client of an approver, signing with the approver's own key. */
export function approverClient(bootstrap: SandboxBootstrap, index: number): DfnsApiClient {
  const approver = bootstrap.approvers[index];
  if (!approver) throw new Error(`no approver #${index}`);
  return new DfnsApiClient({
    baseUrl: bootstrap.baseUrl,
    authToken: approver.authToken,
    signer: new AsymmetricKeySigner({ credId: approver.credId, privateKey: approver.privateKey }),
  });
}

/** Calls the admin API (`/_sandbox/...`) and returns status and JSON body. */
export async function admin(
  sandboxUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${sandboxUrl}/_sandbox${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: await res.json() };
}

/** Webhook deliveries a receiver got, filtered by kind. */
export function deliveries(receiver: Receiver, kind: string): ReceivedRequest[] {
  return receiver.requests.filter((request) => request.json.kind === kind);
}

/** Sends a Native transfer of `amount` wei from the bootstrap wallet to RECIPIENT. */
export function sendNative(dfns: DfnsApiClient, walletId: string, amount: string, externalId?: string) {
  const body = { kind: 'Native' as const, to: RECIPIENT, amount, ...(externalId ? { externalId } : {}) };
  return dfns.wallets.transferAsset({ walletId, body });
}

/** Polls `getTransfer` until the transfer reaches `status`, and returns it. */
export function waitForStatus(
  dfns: DfnsApiClient,
  walletId: string,
  transferId: string,
  status: string,
  timeoutMs = 5000,
) {
  return waitFor(
    async () => {
      const transfer = await dfns.wallets.getTransfer({ walletId, transferId });
      return transfer.status === status ? transfer : undefined;
    },
    timeoutMs,
    `${transferId} to reach ${status}`,
  );
}

/** Every transfer in the org, from the admin API. */
export async function groundTruth(sandboxUrl: string): Promise<Json[]> {
  const res = await fetch(`${sandboxUrl}/_sandbox/transfers`);
  return ((await res.json()) as { items: Json[] }).items;
}

/** Awaits a promise that must reject with a DfnsError, and returns that error. */
export async function dfnsFailure(promise: Promise<unknown>): Promise<DfnsError> {
  const err = await promise.then(
    () => {
      throw new Error('expected the SDK call to throw');
    },
    (e: unknown) => e,
  );
  if (!(err instanceof DfnsError)) throw new Error(`expected a DfnsError, got ${String(err)}`);
  return err;
}
