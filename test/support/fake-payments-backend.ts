import { requestHash } from '../../src/client/request-hash';
import { paymentIdFor } from '../../src/contracts/payment-id';
import { paymentVersion } from '../../src/contracts/payment-messages';
import { initialPaymentState, type PaymentState } from '../../src/contracts/payment-state';
import { paymentRequestSchema } from '../../src/contracts/payment-request';
import type { OperatorAction, PaymentFilter, PaymentsBackend } from '../../src/api/payments-backend';
import { InvalidCursorError } from '../../src/api/payments-backend';

/** An in-memory PaymentsBackend with Temporal's semantics where the API relies on them; it records every call. */
export function fakePaymentsBackend() {
  const payments = new Map<string, PaymentState>();
  const calls: { method: string; args: unknown[] }[] = [];
  const refusals = new Map<string, string>();
  const atWork = new Set<OperatorAction>();
  let readinessProblems: string[] = [];
  let failure: Error | undefined;
  const backend: PaymentsBackend = {
    async start(clientId, idempotencyKey, body) {
      calls.push({ method: 'start', args: [clientId, idempotencyKey, body] });
      if (failure) throw failure;
      const request = paymentRequestSchema.parse({ ...body, idempotencyKey });
      const paymentId = paymentIdFor(idempotencyKey, clientId);
      const existing = payments.get(paymentId);
      if (existing) {
        return requestHash(existing.request) === requestHash(request)
          ? { kind: 'existing', state: existing }
          : { kind: 'conflict', paymentId };
      }
      const state = initialPaymentState(paymentId, request, `${paymentId}:a1`, new Date().toISOString(), clientId);
      payments.set(paymentId, state);
      return { kind: 'started', state };
    },
    async get(paymentId) {
      calls.push({ method: 'get', args: [paymentId] });
      if (failure) throw failure;
      return payments.get(paymentId);
    },
    async waitForChange(paymentId, seen, waitMs) {
      calls.push({ method: 'waitForChange', args: [paymentId, seen, waitMs] });
      if (failure) throw failure;
      const state = payments.get(paymentId);
      if (!state) return undefined;
      // No clock here: a payment already past `seen` answers at once, one that is not answers as if the wait elapsed.
      return paymentVersion(state) !== seen ? state : 'unchanged';
    },
    async list(filter: PaymentFilter) {
      calls.push({ method: 'list', args: [filter] });
      if (filter.cursor === 'bad') throw new InvalidCursorError('cursor is not valid for this listing');
      const mine = [...payments.values()].filter((state) => state.clientId === filter.clientId);
      const start = filter.cursor ? Number(Buffer.from(filter.cursor, 'base64url').toString()) : 0;
      const page = mine.slice(start, start + filter.limit);
      const next =
        start + filter.limit < mine.length
          ? Buffer.from(String(start + filter.limit)).toString('base64url')
          : undefined;
      return {
        items: page.map((state) => ({
          paymentId: state.paymentId,
          status: state.status,
          running: true,
          createdAt: state.createdAt,
        })),
        ...(next ? { nextCursor: next } : {}),
      };
    },
    async act(
      paymentId: string,
      action: OperatorAction,
      request: { operator: string; reason?: string },
      idempotencyKey?: string,
    ) {
      calls.push({ method: 'act', args: [paymentId, action, request, idempotencyKey] });
      const state = payments.get(paymentId);
      if (!state) return { kind: 'not-found' };
      const refusal = refusals.get(action);
      if (refusal) return { kind: 'refused', reason: refusal };
      if (atWork.has(action)) return { kind: 'accepted' };
      return {
        kind: 'done',
        result: { status: action === 'cancel' ? 'Cancelled' : state.status, message: `${action} done` },
      };
    },
    async readiness() {
      return readinessProblems;
    },
  };
  return {
    backend,
    calls,
    payments,
    refuse: (action: OperatorAction, reason: string) => void refusals.set(action, reason),
    /** The action is accepted and still at work when the call answers. */
    keepAtWork: (action: OperatorAction) => void atWork.add(action),
    setReadiness: (problems: string[]) => void (readinessProblems = problems),
    failWith: (error: Error | undefined) => void (failure = error),
  };
}
