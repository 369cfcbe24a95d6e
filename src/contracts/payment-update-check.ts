import type { ApprovalUpdate } from './approval-update';
import type { FieldError } from './field-errors';
import { APPROVAL_UPDATE_FIELDS, TRANSFER_UPDATE_FIELDS, type FieldRule } from './payment-update-fields';
import type { PaymentUpdate } from './payment-update';
import type { TransferUpdate } from './transfer-update';

/** A checked update, or the field errors that refused it. */
export type UpdateCheck = { ok: true; update: PaymentUpdate } | { ok: false; errors: FieldError[] };

const KINDS = { transfer: TRANSFER_UPDATE_FIELDS, approval: APPROVAL_UPDATE_FIELDS } as const;

const typeName = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** What is wrong with one field's value, or undefined when it fits its rule. */
function problem(rule: FieldRule, value: unknown): string | undefined {
  if (value === undefined) return rule.is === 'string' && rule.optional ? undefined : 'required';
  if (rule.is === 'literal') return value === rule.value ? undefined : `must be "${rule.value}"`;
  if (rule.is === 'enum') {
    return typeof value === 'string' && rule.values.includes(value)
      ? undefined
      : `must be one of ${rule.values.join(', ')}`;
  }
  if (typeof value !== 'string') return `expected a string, received ${typeName(value)}`;
  return rule.nonEmpty && value.length === 0 ? 'must not be empty' : undefined;
}

/**
 * The workflow's check of an untrusted update (a signal payload): the same rules as paymentUpdateSchema
 * (payment-update.ts, at the edges), written without zod so the workflow bundle stays light. Like the schema it
 * keeps only the known fields, and it never throws: a refused update is reported with its field errors.
 */
export function checkPaymentUpdate(raw: unknown): UpdateCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: [{ field: '(update)', message: `expected an object, received ${typeName(raw)}` }] };
  }
  const input = raw as Record<string, unknown>;
  const kind = input.kind;
  if (kind !== 'transfer' && kind !== 'approval') {
    return { ok: false, errors: [{ field: 'kind', message: 'must be one of transfer, approval' }] };
  }
  const fields: Record<string, FieldRule> = KINDS[kind];
  const errors: FieldError[] = [];
  const update: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(fields)) {
    const value = input[field];
    const message = problem(rule, value);
    if (message) errors.push({ field, message });
    else if (value !== undefined) update[field] = value;
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, update: update as TransferUpdate | ApprovalUpdate };
}
