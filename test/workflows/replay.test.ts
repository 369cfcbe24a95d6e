import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { WORKFLOWS_PATH } from '../../src/temporal/workflow-bundle';
import { HISTORIES_DIR } from '../support/histories';
import { paymentWorkflowBundle } from '../support/workflow-bundle-cache';

const REQUIRED = [
  'happy-path',
  'approval-approved',
  'approval-denied',
  'approval-expired',
  'blocked',
  'all-webhooks-lost',
  'duplicate-and-reordered',
  'failed-then-retried',
  'cancelled',
  'payment-update-signal',
  // Recorded with the neutral failure details (a policy-block 403, a 409 naming the transfer Dfns holds).
  'policy-blocked-403',
  'duplicate-external-id-409',
  // Recorded before them (failure details carrying Dfns's status and body): replayed through the legacy reader.
  'legacy-policy-blocked-403',
  'legacy-duplicate-external-id-409',
  // A payment that continued as new: the first run ends with the continue-as-new, the last starts from the carried
  // state and confirms.
  'continued-as-new-first-run',
  'continued-as-new-last-run',
  // An overdue broadcast escalating step by step: two speed-ups, a cancel by replacement, then a person.
  'stuck-escalation-cancel',
  // Dfns activities on their cost-class queues and the outcome callback on its own queue.
  'callback-and-cost-queues',
  // An outcome callback the worker refused to send (CallbackBlocked): its own timeline event, the payment confirmed.
  'callback-blocked',
  // A happy payment spending actions sparingly (the lean-actions marker): upserts only on change, one silence timer.
  'lean-happy-path',
  // Wallet pools: a payment moving on from a dry wallet, one waiting for a refill, and a pool run that continued as
  // new with reservations in flight.
  'pool-dry-wallet',
  'pool-refill-wait',
  'pool-continued-as-new-first-run',
  // Batch payouts: the first run of a batch (ending in continue-as-new after its first chunk), its last run, and a
  // batch cancelled with one row broadcast, one not yet, and three never started.
  'batch-continued-first-run',
  'batch-continued-last-run',
  'batch-cancelled',
  // A payment closing with its ledger entry in its memo (the ledger-memo marker), after a retried first attempt.
  'ledger-memo-retried-payment',
  // Reconciliation: a Schedule's tick; a reconciliation's runs with findings and acknowledgements; and the first run of
  // one that continued as new in the middle of a run.
  'reconciliation-tick',
  'reconciliation-findings',
  'reconciliation-continued-first-run',
  // A batch whose rows' keys were already taken: one by a payment with the same request, followed to its end and
  // reported with its outcome; one by another request, reported Skipped and not paid.
  'batch-follows-existing-payment',
  // Payments started with a baseline (PAYMENT_BASELINE): no patch marker anywhere, every change taken.
  'baseline-happy-path',
  'baseline-policy-blocked-403',
  'baseline-continued-as-new-second-run',
  // Payments started with a baseline but run by a worker of the previous version, which ignored it
  // and recorded a marker for each change (a starter upgraded before every worker): the markers are matched where
  // that worker wrote them, and the payments keep the branches it took.
  'previous-worker-baseline-happy',
  'previous-worker-baseline-policy-blocked-403',
  'previous-worker-baseline-duplicate-external-id-409',
  'previous-worker-baseline-approval-approved',
  'previous-worker-baseline-all-webhooks-lost',
  'previous-worker-baseline-pool-dry-wallet',
  // Baseline 2 (baseline 1 and the ledger memo): no marker anywhere; and a payment of baseline 1 closing on a worker
  // that knows baseline 2, whose only marker is the ledger memo's, the one change baseline 1 does not take.
  'baseline-2-happy-path',
  'baseline-2-policy-blocked-403',
  'baseline-2-continued-as-new-second-run',
  'baseline-1-ledger-memo-marker',
  // Payments started in Temporal directly for a client that may not pay from their wallet, or from their pool: the
  // worker refuses the payer (WalletNotBound) before any Dfns call (test/integration/client-wallets.test.ts).
  'wallet-not-bound',
  'pool-not-bound',
  // Compliance: a transfer blocked by KYT pre-screening (ScreeningBlocked, its policy.triggered redelivered), and one
  // held for the compliance group, approved and confirmed (test/workflows/compliance.test.ts).
  'screening-blocked',
  'screening-approval',
  // A payment of baseline 2 blocked by a policy, waiting for Dfns's explanation: the one marker of
  // policy-block-explanation, the change baseline 2 does not take.
  'baseline-2-policy-blocked-explanation-marker',
  // A payment started through the traced API: its start, activities and signals carry trace headers and its memo a
  // traceparent, so the tracing interceptors act in it (and add no command).
  'traced-api-payment',
];

const load = (name: string): unknown => JSON.parse(readFileSync(join(HISTORIES_DIR, `${name}.json`), 'utf8'));

describe('replay of recorded histories against the current workflow code', () => {
  let code: string;
  before(async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR') });
    } catch {
      // Already installed by another suite in this process.
    }
    ({ code } = await paymentWorkflowBundle()); // the bundle workers run
  });

  it('has a recorded history for every scenario', () => {
    const recorded = readdirSync(HISTORIES_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    assert.deepEqual(
      REQUIRED.filter((name) => !recorded.includes(name)),
      [],
    );
  });

  for (const name of REQUIRED) {
    it(`replays ${name} deterministically`, async () => {
      await Worker.runReplayHistory({ workflowBundle: { code }, replayName: name }, load(name));
    });
  }

  describe('a change that breaks determinism', () => {
    let dir: string;
    before(() => {
      const scratch = fileURLToPath(new URL('../../.local', import.meta.url));
      mkdirSync(scratch, { recursive: true });
      dir = mkdtempSync(join(scratch, 'changed-workflow-'));
      // The same workflow with one new timer at the start: exactly the kind of edit that needs patched().
      writeFileSync(
        join(dir, 'index.ts'),
        `import { sleep } from '@temporalio/workflow';
import { paymentWorkflow as current } from ${JSON.stringify(WORKFLOWS_PATH.replace(/index\.ts$/, 'payment-workflow'))};
export async function paymentWorkflow(input: Parameters<typeof current>[0]) { await sleep(1000); return current(input); }
`,
      );
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('fails replay with a determinism violation', async () => {
      await assert.rejects(
        Worker.runReplayHistory({ workflowsPath: join(dir, 'index.ts'), replayName: 'changed' }, load('happy-path')),
        DeterminismViolationError,
      );
    });
  });
});
