import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** The processes `pid` started, and theirs, from /proc (Linux), children before grandchildren. */
export function descendants(pid: number): number[] {
  const found: number[] = [];
  const visit = (parent: number) => {
    const tasks = `/proc/${parent}/task`;
    if (!existsSync(tasks)) return;
    for (const task of readdirSync(tasks)) {
      let children = '';
      try {
        children = readFileSync(`${tasks}/${task}/children`, 'utf8');
      } catch {
        continue; // the task ended meanwhile
      }
      for (const child of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(pid);
  return found;
}

/** A process's memory in MiB: RSS (what `ps` shows) and PSS (its pages shared with others counted by share). */
export function processMemoryMiB(pid: number): { rss: number; pss: number } {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(rollup);
    if (!match) throw new Error(`no ${name} for process ${pid}`);
    return Number(match[1]) / 1024;
  };
  return { rss: field('Rss'), pss: field('Pss') };
}

/** The environment a running process was started with (/proc/<pid>/environ). */
export function processEnvironment(pid: number): Record<string, string> {
  const raw = readFileSync(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(
    raw
      .split('\0')
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

/** A running process's command line (/proc/<pid>/cmdline). */
export function processArguments(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

/**
 * Sends `signal` to a process and every process it started, deepest first: `kill -9` of a worker means its own
 * process too when it started itself again with its limits (src/worker-launch.ts), not only the launcher.
 */
export function killTree(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  for (const each of [pid, ...descendants(pid)].reverse()) {
    try {
      process.kill(each, signal);
    } catch {
      // ended meanwhile
    }
  }
}
