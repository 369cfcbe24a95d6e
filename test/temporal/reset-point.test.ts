import { DefaultLogger, Runtime, type WorkflowBundle } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { findResetPoint } from '../../src/temporal/replay-histories';
import { HISTORIES_DIR } from '../support/histories';
import { paymentWorkflowBundle } from '../support/workflow-bundle-cache';

const FINDING = fileURLToPath(
  new URL('../../chaos/findings/stuck-escalation-replay-nondeterminism.json', import.meta.url),
);
const load = (path: string) => historyFromJSON(JSON.parse(readFileSync(path, 'utf8')));

describe('where to reset a history that does not replay', { timeout: 180_000 }, () => {
  let workflowBundle: WorkflowBundle;
  before(async () => {
    try {
      Runtime.install({
        logger: new DefaultLogger('ERROR'),
        telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
      });
    } catch {
      // Already installed by another suite in this process.
    }
    workflowBundle = await paymentWorkflowBundle();
  });

  it('names the split task of the chaos finding: the task that folded the webhooks with the activity result', async () => {
    // Event 19 started the task that carried the submit activity's result and three webhooks; 20 completed it.
    assert.equal(await findResetPoint(load(FINDING), workflowBundle), 20);
  });

  it('finds nothing to reset in a history that replays', async () => {
    assert.equal(await findResetPoint(load(`${HISTORIES_DIR}/happy-path.json`), workflowBundle), undefined);
  });
});
