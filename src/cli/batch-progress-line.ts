import type { BatchProgress } from '../contracts/batch-messages';

const WIDTH = 24;

/** One line of progress: a bar of final rows and the count per status, e.g. `[████░░] 250/500 · Confirmed 240 …`. */
export function progressLine(progress: BatchProgress): string {
  const { Pending, InFlight, ...finals } = progress.byStatus;
  const final = Object.values(finals).reduce((sum, tally) => sum + tally.count, 0);
  const filled = progress.total === 0 ? WIDTH : Math.round((final / progress.total) * WIDTH);
  const counts = Object.entries(finals)
    .filter(([, tally]) => tally.count > 0)
    .map(([status, tally]) => `${status} ${tally.count}`);
  if (InFlight.count > 0) counts.push(`in flight ${InFlight.count}`);
  if (Pending.count > 0) counts.push(`pending ${Pending.count}`);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}]`;
  return `${bar} ${final}/${progress.total} · ${counts.join(' · ')}`;
}

/**
 * Shows progress lines: on a terminal one line rewritten in place; elsewhere (a log, a pipe) a new line only when
 * something changed and at most every few seconds, so a long batch does not flood the log.
 */
export function progressPrinter(stream: NodeJS.WriteStream, minGapMs = 5_000) {
  let last = '';
  let lastAt = 0;
  return {
    show(progress: BatchProgress, force = false): void {
      const line = progressLine(progress);
      if (stream.isTTY) {
        stream.write(`\r${line}\x1b[K`);
      } else if (line !== last && (force || Date.now() - lastAt >= minGapMs)) {
        stream.write(`${line}\n`);
        lastAt = Date.now();
      }
      last = line;
    },
    done(): void {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
