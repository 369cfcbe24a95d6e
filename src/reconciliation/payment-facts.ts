import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { paymentStateQuery } from '../contracts/payment-messages';
import { ledgerEntry, LEDGER_MEMO_KEY, readLedgerEntry } from '../contracts/ledger-entry';
import type { PaymentFact } from '../contracts/reconciliation-facts';
import { PaymentStatusKey } from '../contracts/search-attributes';
import { PAYMENT_WORKFLOWS_CLAUSE } from '../contracts/workflow-types';
import { closedPaymentState } from '../client/closed-payment-state';
import { queryClosedRun } from '../temporal/workflow-reads';

/** Payment ids per visibility request: `WorkflowId IN (…)` with this many values. */
const IDS_PER_QUERY = 100;

/** Payment ids are `payment:` plus a narrow alphabet; anything else cannot be one, and is never put in a query. */
const SAFE_ID = /^payment:[A-Za-z0-9._:-]+$/;

/**
 * A closed payment's ledger entry: from its memo (payments close publishing one), else, for a payment that closed
 * before that, read from the payment itself. A closed workflow may be queried: its history is complete, so the query
 * cannot run it ahead. When even that fails, its outcome is read without replay.
 */
async function closedLedger(temporal: Client, info: WorkflowExecutionInfo) {
  const published = readLedgerEntry(info.memo?.[LEDGER_MEMO_KEY]);
  if (published) return published;
  const handle = temporal.workflow.getHandle(info.workflowId, info.runId);
  try {
    const state = await queryClosedRun(temporal, info.workflowId, info.runId, paymentStateQuery);
    if (state) return ledgerEntry(state);
  } catch (error) {
    const state = await closedPaymentState(handle, error instanceof Error ? error.message : String(error));
    return state ? ledgerEntry(state) : undefined;
  }
  return undefined;
}

/**
 * What Temporal holds for each payment id: from visibility listings (a hundred ids a request), never a query on a
 * running payment (style rule 13): a running payment is read from its search attributes only.
 */
export async function readPaymentFacts(
  temporal: Client,
  paymentIds: readonly string[],
): Promise<Record<string, PaymentFact>> {
  const facts: Record<string, PaymentFact> = {};
  const ids = [...new Set(paymentIds)].filter((id) => SAFE_ID.test(id));
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const chunk = ids.slice(i, i + IDS_PER_QUERY);
    const query = `${PAYMENT_WORKFLOWS_CLAUSE} AND WorkflowId IN (${chunk.map((id) => `'${id}'`).join(', ')})`;
    // Every run of each payment is listed (a payment that continued as new has several): keep the one that counts.
    const latest = new Map<string, WorkflowExecutionInfo>();
    for await (const info of temporal.workflow.list({ query })) {
      if (info.status.name === 'CONTINUED_AS_NEW') continue;
      const held = latest.get(info.workflowId);
      if (!held || held.startTime < info.startTime) latest.set(info.workflowId, info);
    }
    for (const [paymentId, info] of latest) {
      if (info.status.name === 'RUNNING') {
        const status = info.typedSearchAttributes.get(PaymentStatusKey);
        facts[paymentId] = { state: 'running', ...(status ? { status } : {}) };
      } else if (info.status.name === 'COMPLETED') {
        const ledger = await closedLedger(temporal, info);
        facts[paymentId] = ledger ? { state: 'closed', ledger } : { state: 'ended', how: 'outcome unreadable' };
      } else facts[paymentId] = { state: 'ended', how: info.status.name };
    }
    for (const id of chunk) facts[id] ??= { state: 'missing' };
  }
  return facts;
}
