import type { z } from 'zod';

/** One field-level problem with an input, in a form every edge (client, CLI, HTTP, timeline) can show as is. */
export interface FieldError {
  /** The dotted path of the field ("asset.contract"), or the root's name when the input as a whole is wrong. */
  field: string;
  message: string;
}

/** How to name the fields of one input. */
export interface FieldErrorOptions {
  /** What to call the input itself when an issue has no path, e.g. "(request)" or "(body)". */
  root: string;
  /** Path segments in front of every issue's path, for an input parsed out of a larger one (e.g. ["data"]). */
  prefix?: readonly PropertyKey[];
  /** `brackets` writes array indices as a reader of a JSON file would (`policies[1].rule`); default `dots`. */
  indices?: 'dots' | 'brackets';
}

/**
 * The one way zod issues become field errors. Pure and free of Node APIs, so workflow code may use it too.
 */
export function toFieldErrors(error: z.ZodError, options: FieldErrorOptions): FieldError[] {
  return error.issues.map((issue) => {
    const path = [...(options.prefix ?? []), ...issue.path];
    const field = path.reduce<string>((text, key) => {
      if (typeof key === 'number' && options.indices === 'brackets') return `${text}[${key}]`;
      return text ? `${text}.${String(key)}` : String(key);
    }, '');
    return { field: field || options.root, message: issue.message };
  });
}

/** Field errors as one line, e.g. for an exception message or a timeline note: "amount: Required; to: Invalid". */
export function fieldErrorLine(errors: readonly FieldError[]): string {
  return errors.map((error) => `${error.field}: ${error.message}`).join('; ');
}
