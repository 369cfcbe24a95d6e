import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What an OTLP/HTTP receiver on loopback was sent. */
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

describe('OTLP export to a receiver on loopback', { timeout: 120_000 }, () => {
  let server: Server;
  let endpoint: string;
  const received: Received[] = [];

  before(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/json' });
        response.end(request.headers['content-type'] === 'application/json' ? '{}' : '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => void received.splice(0));

  /** Runs a process of the project that makes one payment span, with these variables only (plus PATH). */
  const emit = async (env: Record<string, string>) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/observability/emit-span.ts'], {
      env: { PATH: process.env.PATH, ...env },
    });
    return stdout.trim();
  };

  it('sends the spans as OTLP protobuf to <endpoint>/v1/traces, with the configured headers', async () => {
    const said = await emit({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=payments,x-token=abc%20def',
    });
    assert.match(said, new RegExp(`^${endpoint}/v1/traces, payments-otlp-test, sampler parentbased_always_on$`));
    assert.equal(received.length, 1);
    const [sent] = received;
    assert.equal(sent?.path, '/v1/traces');
    assert.equal(sent?.headers['content-type'], 'application/x-protobuf');
    assert.equal(sent?.headers['x-tenant'], 'payments');
    assert.equal(sent?.headers['x-token'], 'abc def');
    // Protobuf carries strings as they are: the service, the span and its payment are in the payload.
    for (const text of ['payments-otlp-test', 'payment.id', 'payment:otlp-1']) {
      assert.ok(sent?.body.includes(text), `${text} in the payload`);
    }
  });

  it('sends OTLP JSON when OTEL_EXPORTER_OTLP_PROTOCOL=http/json, to the traces endpoint as given', async () => {
    await emit({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/custom/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    assert.equal(received.length, 1);
    const [sent] = received;
    assert.equal(sent?.path, '/custom/traces');
    const payload = JSON.parse(sent.body.toString('utf8'));
    const resource = payload.resourceSpans[0].resource.attributes;
    assert.deepEqual(resource.find((a: { key: string }) => a.key === 'service.name').value, {
      stringValue: 'payments-otlp-test',
    });
    const span = payload.resourceSpans[0].scopeSpans[0].spans[0];
    assert.equal(span.name, 'payment');
    assert.deepEqual(span.attributes, [{ key: 'payment.id', value: { stringValue: 'payment:otlp-1' } }]);
    assert.match(span.traceId, /^[0-9a-f]{32}$/);
  });

  it('sends nothing without an endpoint, when disabled, or when the sampler keeps nothing', async () => {
    assert.equal(await emit({}), 'off (no OTEL_EXPORTER_OTLP_ENDPOINT)');
    assert.equal(
      await emit({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SDK_DISABLED: 'true' }),
      'off (OTEL_SDK_DISABLED=true)',
    );
    await emit({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'always_off' });
    await emit({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_TRACES_SAMPLER: 'traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0',
    });
    assert.deepEqual(received, []);
  });

  it('refuses a bad sampler, ratio or endpoint, naming the variable (exit 1)', async () => {
    for (const [name, value] of [
      ['OTEL_TRACES_SAMPLER', 'sometimes'],
      ['OTEL_TRACES_SAMPLER_ARG', '1.5'],
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'not a url'],
      ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc'],
    ] as const) {
      await assert.rejects(emit({ [name]: value }), (error: { code?: number; stderr?: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr ?? '', new RegExp(`${name}:`));
        return true;
      });
    }
    assert.deepEqual(received, []);
  });
});
