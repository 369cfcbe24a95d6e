// One measured pass of the export benchmark, in a fresh process so its memory is its own: `export` writes the CSV of a
// client's closed payments to a file through the product's export (src/exports), `list` only lists the same
// workflows from visibility (the floor any export pays). Prints one JSON line: seconds, rows, peak RSS and heap.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Client } from '@temporalio/client';
import { loadConfig } from '../src/config';
import { exportCsvHeader, exportCsvLines } from '../src/exports/export-row';
import { createTemporalExports, exportQuery, exportRows } from '../src/exports/temporal-exports';
import { connectTemporalClient } from '../src/temporal/connection';

const [mode, clientId, from, to, out] = process.argv.slice(2) as [string, string, string, string, string];
const config = loadConfig();
const connection = await connectTemporalClient(config);
const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
let heapPeak = 0;
const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 10);
const started = process.hrtime.bigint();
let rows = 0;
let requests = 0;
let queried = 0;
const hash = createHash('sha256');
if (mode === 'list') {
  const query = exportQuery({ from, to, clientId });
  let nextPageToken: Uint8Array | undefined;
  do {
    const response = await client.workflowService.listWorkflowExecutions({
      namespace: config.TEMPORAL_NAMESPACE,
      query,
      pageSize: 1000,
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    requests += 1;
    rows += response.executions?.length ?? 0;
    nextPageToken = response.nextPageToken?.length ? response.nextPageToken : undefined;
  } while (nextPageToken);
} else {
  const file = createWriteStream(out);
  const write = async (text: string) => {
    hash.update(text);
    if (text !== '' && !file.write(text)) await once(file, 'drain');
  };
  await write(exportCsvHeader());
  const exports = createTemporalExports(client, { namespace: config.TEMPORAL_NAMESPACE });
  for await (const page of exportRows(exports, { from, to, clientId })) {
    requests += 1;
    rows += page.items.length;
    queried += page.queried;
    await write(exportCsvLines(page.items));
  }
  file.end();
  await once(file, 'finish');
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
clearInterval(sampler);
heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
await connection.close();
console.log(
  JSON.stringify({
    mode,
    seconds,
    rows,
    requests,
    queried,
    sha256: mode === 'list' ? undefined : hash.digest('hex'),
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    heapPeakMiB: heapPeak / 2 ** 20,
  }),
);
