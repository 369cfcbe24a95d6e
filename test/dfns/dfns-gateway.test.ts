// Tests src/dfns/dfns-client.ts and src/dfns/dfns-gateway.ts against a small local HTTP server playing Dfns's
// user-action signing (challenge, signed assertion, signed call), so the SDK's own abort, speed-up and cancel
// methods (new in @dfns/sdk 0.8.21) are checked for method, path, headers and signature, signed by the keysigner.
import assert from 'node:assert/strict';
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DfnsApiClient, DfnsError } from '@dfns/sdk';
import { AsymmetricKeySigner } from '@dfns/sdk-keysigner';
import type { DfnsCredentials } from '../../src/dfns/credentials';
import { FailureType } from '../../src/contracts/failure-types';
import { dfnsClientOptions } from '../../src/dfns/dfns-client';
import { toDfnsFailure } from '../../src/dfns/dfns-failure';
import { createDfnsGateway } from '../../src/dfns/dfns-gateway';

const TOKEN = 'eyJ.gateway-test-token';
const CRED_ID = 'cr-gateway-test';
const USER_ACTION = 'ua-token-1';

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

const keys = generateKeyPairSync('ed25519');
const privateKeyPem = keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

function credentials(baseUrl: string, extra: { orgId?: string; privateKey?: string } = {}): DfnsCredentials {
  return { baseUrl, authToken: TOKEN, credId: CRED_ID, privateKey: privateKeyPem, source: 'test', ...extra };
}

describe('dfnsClientOptions', () => {
  it('passes the base URL and token, and signs user actions with the credential’s key', () => {
    const options = dfnsClientOptions(credentials('http://127.0.0.1:4000'));
    assert.equal(options.baseUrl, 'http://127.0.0.1:4000');
    assert.equal(options.authToken, TOKEN);
    assert.equal('orgId' in options, false, 'no orgId unless one is configured');
    assert.ok(options.signer instanceof AsymmetricKeySigner);
  });

  it('passes the orgId when one is configured', () => {
    assert.equal(dfnsClientOptions(credentials('http://127.0.0.1:4000', { orgId: 'or-1' })).orgId, 'or-1');
  });

  it('signs a challenge as the configured credential, verifiable with its public key', async () => {
    const options = dfnsClientOptions(credentials('http://127.0.0.1:4000'));
    assert.ok(options.signer);
    const assertion = (await options.signer.sign({
      challenge: 'challenge-1',
      challengeIdentifier: 'ci-1',
      allowCredentials: { key: [{ id: CRED_ID, type: 'public-key' }], webauthn: [] },
    } as never)) as unknown as {
      kind: string;
      credentialAssertion: { credId: string; clientData: string; signature: string };
    };
    assert.equal(assertion.kind, 'Key');
    assert.equal(assertion.credentialAssertion.credId, CRED_ID);
    const clientData = Buffer.from(assertion.credentialAssertion.clientData, 'base64url');
    assert.deepEqual(JSON.parse(clientData.toString('utf8')), { type: 'key.get', challenge: 'challenge-1' });
    assert.ok(
      verify(null, clientData, keys.publicKey, Buffer.from(assertion.credentialAssertion.signature, 'base64url')),
    );
  });
});

describe('createDfnsGateway', () => {
  let server: Server;
  let baseUrl: string;
  let seen: Seen[] = [];
  /** What the signed call itself answers: status and body. */
  let answer: { status: number; body: unknown } = { status: 200, body: {} };

  function reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  function verifiedAssertion(body: unknown, publicKey: KeyObject): boolean {
    const { firstFactor } = body as {
      firstFactor: { kind: string; credentialAssertion: { credId: string; clientData: string; signature: string } };
    };
    const { credId, clientData, signature } = firstFactor.credentialAssertion;
    return (
      credId === CRED_ID &&
      verify(null, Buffer.from(clientData, 'base64url'), publicKey, Buffer.from(signature, 'base64url'))
    );
  }

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const body: unknown = text ? JSON.parse(text) : undefined;
        seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
        if (req.url === '/auth/action/init') {
          reply(res, 200, {
            challenge: 'challenge-1',
            challengeIdentifier: 'ci-1',
            allowCredentials: { key: [{ id: CRED_ID, type: 'public-key' }], webauthn: [] },
          });
        } else if (req.url === '/auth/action') {
          if (verifiedAssertion(body, keys.publicKey)) reply(res, 200, { userAction: USER_ACTION });
          else reply(res, 401, { error: { message: 'bad assertion' } });
        } else {
          reply(res, answer.status, answer.body);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });

  beforeEach(() => {
    seen = [];
    answer = {
      status: 200,
      body: { id: 'xfr-1', walletId: 'wa-1', status: 'Failed', externalId: 'payment:order-42:a1' },
    };
  });

  /** Checks the three requests of one user action and returns the signed call. */
  function signedCall(method: string, path: string): Seen {
    assert.deepEqual(
      seen.map((s) => `${s.method} ${s.path}`),
      ['POST /auth/action/init', 'POST /auth/action', `${method} ${path}`],
    );
    const [init, action, call] = seen as [Seen, Seen, Seen];
    assert.equal(
      (init.body as { userActionHttpMethod: string }).userActionHttpMethod,
      method,
      'the challenge is for this method',
    );
    assert.equal(
      (init.body as { userActionHttpPath: string }).userActionHttpPath,
      path,
      'the challenge is for this path',
    );
    assert.equal((action.body as { challengeIdentifier: string }).challengeIdentifier, 'ci-1');
    for (const request of seen) assert.equal(request.headers.authorization, `Bearer ${TOKEN}`, request.path);
    assert.equal(call.headers['x-dfns-useraction'], USER_ACTION);
    return call;
  }

  it('is the SDK client itself', () => {
    assert.ok(createDfnsGateway(credentials(baseUrl)) instanceof DfnsApiClient);
  });

  const wallets = (extra: { orgId?: string; privateKey?: string } = {}) =>
    createDfnsGateway(credentials(baseUrl, extra)).wallets;
  const ref = { walletId: 'wa-1', transferId: 'xfr-1' };

  it('aborts with a signed PUT …/transfers/{id}/abort and returns Dfns’s answer', async () => {
    const result = await wallets().abortTransfer(ref);
    assert.deepEqual(result, answer.body);
    const call = signedCall('PUT', '/wallets/wa-1/transfers/xfr-1/abort');
    assert.deepEqual(call.body, {});
  });

  it('speeds up with a signed POST …/transfers/{id}/speed-up and returns Dfns’s answer', async () => {
    answer.body = { id: 'xfr-1', walletId: 'wa-1', status: 'Broadcasted', txHash: '0x2' };
    const result = await wallets().speedUpTransfer(ref);
    assert.deepEqual(result, answer.body);
    signedCall('POST', '/wallets/wa-1/transfers/xfr-1/speed-up');
  });

  it('cancels with a signed POST …/transfers/{id}/cancel and returns Dfns’s answer', async () => {
    answer.body = { id: 'tx-1', walletId: 'wa-1', status: 'Pending', requestBody: { kind: 'Transaction' } };
    const result = await wallets().cancelTransfer(ref);
    assert.deepEqual(result, answer.body);
    const call = signedCall('POST', '/wallets/wa-1/transfers/xfr-1/cancel');
    assert.deepEqual(call.body, {});
  });

  it('encodes wallet and transfer ids into the path', async () => {
    await wallets().abortTransfer({ walletId: 'wa 1/x', transferId: 'xfr?1#' });
    signedCall('PUT', '/wallets/wa%201%2Fx/transfers/xfr%3F1%23/abort');
  });

  it('throws the SDK’s DfnsError for a refusal, which maps to a non-retryable failure', async () => {
    answer = { status: 400, body: { error: { message: 'Only an executing transfer can be aborted' } } };
    const error = await wallets()
      .abortTransfer(ref)
      .then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof DfnsError, String(error));
    assert.equal(error.httpStatus, 400);
    assert.equal(error.message, 'Only an executing transfer can be aborted');
    const failure = toDfnsFailure(error, 'abortTransfer');
    assert.equal(failure.type, FailureType.InvalidTransfer);
    assert.equal(failure.nonRetryable, true);
  });

  it('throws a retryable DfnsError for a 503 on the signed call', async () => {
    answer = { status: 503, body: { error: { message: 'unavailable' } } };
    const error = await wallets()
      .speedUpTransfer(ref)
      .then(
        () => assert.fail('expected a failure'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof DfnsError);
    assert.equal(toDfnsFailure(error, 'speedUpTransfer').nonRetryable, false);
  });

  it('does not make the call when the credential’s key is not the one Dfns allows', async () => {
    const other = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await assert.rejects(wallets({ privateKey: other }).abortTransfer(ref), (error: unknown) => {
      assert.ok(error instanceof DfnsError);
      assert.equal(error.httpStatus, 401);
      return true;
    });
    assert.deepEqual(
      seen.map((s) => s.path),
      ['/auth/action/init', '/auth/action'],
    );
  });
});
