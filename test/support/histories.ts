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
  writeFileSync(`${HISTORIES_DIR}/${name}.json`, `${historyToJSON(history)}\n`);
}
