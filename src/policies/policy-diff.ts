/** One field that differs between the org and the file, by its JSON path. */
export interface FieldChange {
  path: string;
  /** Undefined when the org lacks the field. */
  from?: unknown;
  /** Undefined when the file drops the field. */
  to?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Brings a policy definition to one form, so that what Dfns echoes back equals what was sent:
 * absent, null and empty-object fields are the same, `initiatorCanApprove: false` is the default,
 * and id and address lists are sets.
 */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonicalize);
    return items.every((item) => typeof item === 'string') ? [...items].sort() : items;
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = canonicalize(value[key]);
    if (item === undefined || item === null) continue;
    if (key === 'initiatorCanApprove' && item === false) continue;
    if (isRecord(item) && Object.keys(item).length === 0) continue;
    out[key] = item;
  }
  return out;
}

function leaves(value: unknown, path: string, into: Map<string, unknown>): Map<string, unknown> {
  const arrayOfRecords = Array.isArray(value) && value.some(isRecord);
  if (isRecord(value))
    for (const [key, item] of Object.entries(value)) leaves(item, path ? `${path}.${key}` : key, into);
  else if (arrayOfRecords) value.forEach((item, index) => leaves(item, `${path}[${index}]`, into));
  else into.set(path, value);
  return into;
}

/** The fields that differ between two definitions, after canonicalization; empty when they are the same. */
export function diffDefinitions(actual: unknown, desired: unknown): FieldChange[] {
  const from = leaves(canonicalize(actual), '', new Map());
  const to = leaves(canonicalize(desired), '', new Map());
  const paths = [...new Set([...from.keys(), ...to.keys()])].sort();
  return paths
    .filter((path) => JSON.stringify(from.get(path)) !== JSON.stringify(to.get(path)))
    .map((path) => ({
      path,
      ...(from.has(path) ? { from: from.get(path) } : {}),
      ...(to.has(path) ? { to: to.get(path) } : {}),
    }));
}
