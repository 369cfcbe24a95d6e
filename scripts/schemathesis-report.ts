// Reads Schemathesis's NDJSON event report (`--report ndjson`): every case it sent, the operation it was for, the
// phase it came from and the status the API answered, counted per operation. This is the figure that says whether a
// run reached the API's happy paths (2xx) or only its error paths.

/** Counts per operation: `2xx`, every other status seen (`404`, `409`, …; `none`: no response), and 2xx per phase. */
export interface OperationCounts {
  byStatus: Map<string, number>;
  okByPhase: Map<string, number>;
}

interface Recorder {
  // Absent on a skipped scenario.
  cases?: Record<string, { value: { method: string; path: string; meta?: { phase?: { name?: string } } } }>;
  interactions?: Record<string, { response?: { status_code?: number } | null }>;
}

/** `2xx` for any success; other answers by their own code, so that 404 (no such thing) and 409 (refused) show apart. */
const statusClass = (status: number | undefined) =>
  status === undefined ? 'none' : status >= 200 && status < 300 ? '2xx' : String(status);

/** Every case of every scenario in the report, counted by operation (`POST /v1/payments`), status class and phase. */
export function countStatusesByOperation(ndjson: string): Map<string, OperationCounts> {
  const counts = new Map<string, OperationCounts>();
  for (const line of ndjson.split('\n')) {
    if (!line.startsWith('{"ScenarioFinished"')) continue;
    const { recorder } = (JSON.parse(line) as { ScenarioFinished: { recorder: Recorder } }).ScenarioFinished;
    for (const [id, { value }] of Object.entries(recorder.cases ?? {})) {
      const interaction = recorder.interactions?.[id];
      if (!interaction) continue; // generated, never sent
      const operation = `${value.method.toUpperCase()} ${value.path}`;
      const entry = counts.get(operation) ?? { byStatus: new Map(), okByPhase: new Map() };
      const status = statusClass(interaction.response?.status_code);
      entry.byStatus.set(status, (entry.byStatus.get(status) ?? 0) + 1);
      if (status === '2xx') {
        const phase = value.meta?.phase?.name ?? 'unknown';
        entry.okByPhase.set(phase, (entry.okByPhase.get(phase) ?? 0) + 1);
      }
      counts.set(operation, entry);
    }
  }
  return counts;
}

/**
 * One line per operation of the contract: cases sent, how many were 2xx (by phase), and the other status classes; then
 * one line for the methods the contract does not declare (the unsupported_method check), which must all be 4xx.
 */
export function formatStatusCounts(counts: Map<string, OperationCounts>, declared: ReadonlySet<string>): string[] {
  const undeclared = [...counts].filter(([operation]) => !declared.has(operation));
  const refused = undeclared.reduce(
    (sum, [, { byStatus }]) => sum + [...byStatus].filter(([s]) => s.startsWith('4')).reduce((a, [, n]) => a + n, 0),
    0,
  );
  const sent = undeclared.reduce((sum, [, { byStatus }]) => sum + [...byStatus.values()].reduce((a, n) => a + n, 0), 0);
  const lines = [...counts]
    .filter(([operation]) => declared.has(operation))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, { byStatus, okByPhase }]) => {
      const total = [...byStatus.values()].reduce((sum, n) => sum + n, 0);
      const ok = byStatus.get('2xx') ?? 0;
      const phases = [...okByPhase].map(([phase, n]) => `${phase} ${n}`).join(', ');
      const others = [...byStatus]
        .filter(([status]) => status !== '2xx')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([status, n]) => `${status} ${n}`)
        .join(', ');
      return `${operation.padEnd(34)} ${String(ok).padStart(4)} of ${String(total).padStart(4)} 2xx${phases ? ` (${phases})` : ''}${others ? `; ${others}` : ''}`;
    });
  if (sent > 0) lines.push(`undeclared methods on declared paths: ${refused} of ${sent} refused (4xx)`);
  return lines;
}

/** The operations a contract declares, as the report names them (`POST /v1/payments`). */
export function declaredOperations(contract: { paths?: Record<string, object> }): Set<string> {
  const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
  return new Set(
    Object.entries(contract.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => methods.includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
}
