import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeIssues } from '../http/validation';
import { SandboxStateSchema, type SandboxState } from './sandbox-state';

/** The live state plus a coalescing, atomic writer to the state file. */
export interface StateStore {
  readonly state: SandboxState;
  /** Marks the state dirty; a save follows shortly, so bursts of mutations cost one write. */
  changed(): void;
  /** Waits until everything changed so far is on disk. */
  flush(): Promise<void>;
  /** Flushes, then ignores further changes, so a late request can never write after shutdown. */
  close(): Promise<void>;
}

const COALESCE_MS = 20;

/** Reads and validates the state file; undefined when there is no file (first start). */
export async function loadState(file: string | undefined): Promise<SandboxState | undefined> {
  if (!file) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`Sandbox state file ${file} is not valid JSON; delete it to start afresh`);
  }
  const parsed = SandboxStateSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error);
    throw new Error(`Sandbox state file ${file} is invalid (${problems}); delete it to start afresh`);
  }
  return parsed.data;
}

/** Writes via a temp file and rename, so a crash never leaves a half-written state file. */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    // 0600: the state holds the service account's private key and the webhook secrets.
    await writeFile(temp, data, { mode: 0o600 });
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Wraps `state`; with no `file` the store is memory-only and saving is a no-op. */
export function createStateStore(state: SandboxState, file: string | undefined): StateStore {
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  const persist = async (target: string) => {
    while (dirty) {
      dirty = false;
      try {
        await writeFileAtomic(target, JSON.stringify(state));
      } catch (err) {
        console.error(`[sandbox] could not save state to ${target}: ${(err as Error).message}`);
      }
    }
  };

  const start = (target: string) => {
    timer = undefined;
    running = persist(target).finally(() => {
      running = undefined;
    });
  };

  const flush = async () => {
    if (!file) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (running) await running;
    if (dirty) {
      start(file);
      await running;
    }
  };

  return {
    state,
    changed() {
      if (!file || closed) return;
      dirty = true;
      if (timer || running) return; // an in-flight write loops until clean
      timer = setTimeout(() => start(file), COALESCE_MS);
    },
    flush,
    async close() {
      await flush();
      closed = true;
    },
  };
}
