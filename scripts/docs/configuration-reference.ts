import { CONFIG_VARIABLES, variableDoc } from '../../src/config';
import { code, markdownTable } from './markdown-table';

type VariableName = keyof typeof CONFIG_VARIABLES;

/** The schema's own default of a variable, if it has one (`.default(…)`), as the process reads it. */
function schemaDefault(name: VariableName): unknown {
  const def = (CONFIG_VARIABLES[name] as unknown as { _zod: { def: { type: string; defaultValue?: unknown } } })._zod
    .def;
  return def.type === 'default' ? def.defaultValue : undefined;
}

/** The configuration reference: one row per variable of src/config.ts, in schema order. */
export function renderConfigurationTable(): string {
  const rows = (Object.keys(CONFIG_VARIABLES) as VariableName[]).map((name) => {
    const doc = variableDoc(name);
    if (!doc?.description || !doc.usedBy?.length) {
      throw new Error(`src/config.ts: ${name} has no .meta(doc(description, usedBy)) for the configuration reference`);
    }
    const fallback = schemaDefault(name);
    const shown =
      doc.shownDefault ?? (fallback === undefined ? '—' : code(JSON.stringify(fallback).replace(/^"|"$/g, '')));
    const meaning = doc.secret ? `${doc.description} **Secret.**` : doc.description;
    return [code(name), shown, doc.usedBy.join(', '), meaning];
  });
  return markdownTable(['variable', 'default', 'read by', 'meaning'], rows);
}
