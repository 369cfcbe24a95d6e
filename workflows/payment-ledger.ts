import { upsertMemo } from '@temporalio/workflow';
import { ledgerEntry, LEDGER_MEMO_KEY } from '../src/contracts/ledger-entry';
import { changed } from './baseline';
import type { PaymentRun } from './payment-run';

/**
 * Marks histories in which a closing payment publishes its ledger entry in its memo (one WorkflowPropertiesModified
 * event; Temporal Cloud bills memo changes as no action). Older payments close without one, and readers fall back to
 * reading them. See https://docs.temporal.io/develop/typescript/versioning
 */
const LEDGER_MEMO_PATCH = 'ledger-memo';

/**
 * Publishes what the payment ended as in its memo, so the accounting export and the reconciliation read every closed
 * payment from a visibility listing instead of querying each one. Called once, as the payment closes.
 */
export function publishLedger(run: PaymentRun): void {
  if (!changed(run.input, LEDGER_MEMO_PATCH)) return;
  const sponsor = run.attemptRequest.feeSponsorId;
  upsertMemo({ [LEDGER_MEMO_KEY]: ledgerEntry(run.state, sponsor) });
}
