import type { ApprovalUpdate } from './approval-update';
import type { FieldError } from './field-errors';
import {
  APPROVAL_UPDATE_FIELDS,
  POLICY_UPDATE_FIELDS,
  TRANSFER_UPDATE_FIELDS,
  type FieldRule,
} from './payment-update-fields';
import type { PaymentUpdate } from './payment-update';
import type { PolicyUpdate } from './policy-update';
import type { TransferUpdate } from './transfer-update';

/** A checked update, or the field errors that refused it. */
export type UpdateCheck = { ok: true; update: PaymentUpdate } | { ok: false; errors: FieldError[] };

const KINDS = {
  transfer: TRANSFER_UPDATE_FIELDS,
  approval: APPROVAL_UPDATE_FIELDS,
  policy: POLICY_UPDATE_FIELDS,
} as const;

/** At most this many approver decisions are kept from one update (a group larger than any quorum Dfns allows). */
export const MAX_DECISIONS = 50;

const typeName = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** What is wrong with one field's value, or undefined when it fits its rule; `at` names a part of the field. */
function problem(rule: FieldRule, value: unknown): { at?: string; message: string } | undefined {
  if (value === undefined) return 'optional' in rule && rule.optional ? undefined : { message: 'required' };
  if (rule.is === 'decisions') return decisionsProblem(value);
  if (rule.is === 'literal') return value === rule.value ? undefined : { message: `must be "${rule.value}"` };
  if (rule.is === 'enum') {
    return typeof value === 'string' && rule.values.includes(value)
      ? undefined
      : { message: `must be one of ${rule.values.join(', ')}` };
  }
  if (typeof value !== 'string') return { message: `expected a string, received ${typeName(value)}` };
  return rule.nonEmpty && value.length === 0 ? { message: 'must not be empty' } : undefined;
}

/**
 * What is wrong with a list of approver decisions: each `{ userId, value, date, reason? }`, strings throughout. The
 * part is named as the schema names it: `0` for an entry that is not an object, `0.userId` for one of its fields.
 */
function decisionsProblem(value: unknown): { at?: string; message: string } | undefined {
  if (!Array.isArray(value)) return { message: `expected a list, received ${typeName(value)}` };
  if (value.length > MAX_DECISIONS) return { message: `must hold at most ${MAX_DECISIONS} decisions` };
  for (const [i, item] of value.entries()) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return { at: `${i}`, message: `expected an object, received ${typeName(item)}` };
    }
    const entry = item as Record<string, unknown>;
    if (typeof entry.userId !== 'string' || entry.userId === '')
      return { at: `${i}.userId`, message: 'must be a non-empty string' };
    if (entry.value !== 'Approved' && entry.value !== 'Denied')
      return { at: `${i}.value`, message: 'must be one of Approved, Denied' };
    if (typeof entry.date !== 'string') return { at: `${i}.date`, message: 'must be a string' };
    if (entry.reason !== undefined && typeof entry.reason !== 'string')
      return { at: `${i}.reason`, message: 'must be a string' };
  }
  return undefined;
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
  if (kind !== 'transfer' && kind !== 'approval' && kind !== 'policy') {
    return { ok: false, errors: [{ field: 'kind', message: 'must be one of transfer, approval, policy' }] };
  }
  const fields: Record<string, FieldRule> = KINDS[kind];
  const errors: FieldError[] = [];
  const update: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(fields)) {
    const value = input[field];
    const found = problem(rule, value);
    if (found) errors.push({ field: found.at === undefined ? field : `${field}.${found.at}`, message: found.message });
    else if (value !== undefined) update[field] = rule.is === 'decisions' ? keptDecisions(value) : value;
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, update: update as TransferUpdate | ApprovalUpdate | PolicyUpdate };
}

/** The known fields of each decision, already checked by decisionsProblem. */
function keptDecisions(value: unknown): NonNullable<ApprovalUpdate['decisions']> {
  return (value as Record<string, string>[]).map(({ userId, value: decided, date, reason }) => ({
    userId: userId as string,
    value: decided as 'Approved' | 'Denied',
    date: date as string,
    ...(reason !== undefined ? { reason } : {}),
  }));
}
