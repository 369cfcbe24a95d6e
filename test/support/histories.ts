import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where recorded histories live; `npm test` replays every one of them against today's workflow code. */
export const HISTORIES_DIR = fileURLToPath(new URL('../histories', import.meta.url));

/** With RECORD_HISTORIES=1, saves a finished scenario's history as a replay fixture; otherwise does nothing. */
export async function keepHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  const history = await handle.fetchHistory();
  const json = historyToJSON(history);
  // The replay corpus is replayed without the codec's keys: a history recorded on an encrypting stack would not.
  if (json.includes(Buffer.from('binary/encrypted').toString('base64'))) {
    throw new Error(`${name}: its payloads are encrypted; record it on a stack started with codec: false`);
  }
  writeFileSync(`${HISTORIES_DIR}/${name}.json`, `${json}\n`);
}
