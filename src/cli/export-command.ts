import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Client, type Connection } from '@temporalio/client';
import { CLIENT_ID_PATTERN } from '../contracts/payment-id';
import { ConfigError, type Config } from '../config';
import { exportCsvHeader, exportCsvLines } from '../exports/export-row';
import { createTemporalExports, ExportRangeError, exportQuery, exportRows } from '../exports/temporal-exports';
import { connectTemporalClient } from '../temporal/connection';
import { paymentDataConverter } from '../temporal/data-converter';
import { cliPayloadCodec } from './cli-codec';
import { EXIT } from './exit-codes';
import { ApiAccessError, UnavailableError } from './payments-gateway';
import { parseCommandArgs } from './parse-command-args';
import { UsageError } from './run-cli';

/** Where the CSV goes: stdout, or a file created at the first write, so an export that fails first leaves no file. */
interface Output {
  stream(): Writable;
}

const write = async (output: Output, text: string): Promise<void> => {
  if (text === '') return;
  const out = output.stream();
  if (!out.write(text)) await once(out, 'drain');
};

/** On Temporal directly: every page of the export, from visibility. */
async function fromTemporal(
  config: Config,
  range: { from: string; to: string; clientId?: string },
  out: Output,
): Promise<{ rows: number; scanned: number; queried: number }> {
  // Read first: unusable codec keys are a configuration error, reported before anything connects.
  const dataConverter = paymentDataConverter(cliPayloadCodec(config));
  let connection: Connection;
  try {
    connection = await connectTemporalClient(config, '5s');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new UnavailableError(`cannot reach Temporal at ${config.TEMPORAL_ADDRESS}: ${(error as Error).message}`);
  }
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
    const exports = createTemporalExports(client, { namespace: config.TEMPORAL_NAMESPACE });
    const counts = { rows: 0, scanned: 0, queried: 0 };
    await write(out, exportCsvHeader());
    for await (const page of exportRows(exports, range)) {
      await write(out, exportCsvLines(page.items));
      counts.rows += page.items.length;
      counts.scanned += page.scanned;
      counts.queried += page.queried;
    }
    return counts;
  } finally {
    await connection.close();
  }
}

/** Through the payments API: the caller's client's rows, streamed as CSV. */
async function fromApi(
  api: string,
  key: string | undefined,
  range: { from: string; to: string },
  out: Output,
): Promise<{ rows: number }> {
  if (!key) throw new UsageError('--api needs PAYMENTS_API_KEY (an API key from `payments mint-key`)');
  const url = new URL(`${api.replace(/\/+$/, '')}/v1/exports`);
  url.searchParams.set('from', range.from);
  url.searchParams.set('to', range.to);
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${key}`, accept: 'text/csv' } });
  } catch (error) {
    throw new UnavailableError(`cannot reach the API at ${api}: ${(error as Error).message}`);
  }
  if (!response.ok || !response.body) {
    const detail =
      ((await response.json().catch(() => ({}))) as { detail?: string }).detail ?? `HTTP ${response.status}`;
    if ([401, 403, 429].includes(response.status)) throw new ApiAccessError(`the API refused the key: ${detail}`);
    if (response.status === 400) throw new UsageError(`the API refused the request: ${detail}`);
    throw new UnavailableError(`the API failed: ${detail}`);
  }
  let lines = 0;
  const decoder = new TextDecoder();
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    const text = decoder.decode(chunk, { stream: true });
    for (const char of text) if (char === '\n') lines += 1;
    await write(out, text);
  }
  return { rows: Math.max(0, lines - 1) };
}

/**
 * `payments export --from TIME --to TIME`: the payment events that moved money, as CSV, to a file (`--out`) or
 * stdout. On Temporal every client's payments (or `--client`'s); through the API, the key's client's.
 */
export async function exportCommand(
  args: string[],
  config: Config,
  options: { json: boolean; api?: string },
): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    strict: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, client: { type: 'string' }, out: { type: 'string' } },
  });
  if (!values.from || !values.to) throw new UsageError('--from and --to are required (ISO 8601 times)');
  if (values.client !== undefined && !CLIENT_ID_PATTERN.test(values.client))
    throw new UsageError(`--client must be a client id, got "${values.client}"`);
  if (values.client !== undefined && options.api)
    throw new UsageError("--client is for Temporal; through the API the export is the key's client's");
  const range = { from: values.from, to: values.to, ...(values.client ? { clientId: values.client } : {}) };
  try {
    exportQuery(range); // checks the times and the range before anything is written
  } catch (error) {
    if (error instanceof ExportRangeError) throw new UsageError(`--from/--to: ${error.message}`);
    throw error;
  }
  const normalized = { ...range, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
  const path = values.out;
  const opened: { file?: WriteStream } = {};
  const out: Output = {
    stream: () => (path === undefined ? process.stdout : (opened.file ??= createWriteStream(path))),
  };
  const started = Date.now();
  const counts = options.api
    ? await fromApi(options.api, config.PAYMENTS_API_KEY, normalized, out)
    : await fromTemporal(config, normalized, out);
  if (opened.file) {
    opened.file.end();
    await once(opened.file, 'finish');
  }
  const summary = { ...counts, ...(values.out ? { out: values.out } : {}), seconds: (Date.now() - started) / 1000 };
  if (options.json) console.error(JSON.stringify(summary));
  else if (values.out) console.error(`exported ${counts.rows} row(s) to ${values.out}`);
  return EXIT.ok;
}
