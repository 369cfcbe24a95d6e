import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BATCH_CHUNK_WORKFLOW_TYPE,
  BATCH_WORKFLOW_TYPE,
  PAYMENT_WORKFLOW_TYPE,
  PAYMENT_WORKFLOWS_CLAUSE,
  POOL_WORKFLOW_TYPE,
  RECONCILIATION_TICK_WORKFLOW_TYPE,
  RECONCILIATION_WORKFLOW_TYPE,
} from '../../src/contracts/workflow-types';
import * as registered from '../../workflows/index';

describe('PAYMENT_WORKFLOW_TYPE', () => {
  // Temporal registers a workflow under its function's name: the constant must be that name, or every start, list
  // and webhook lookup would miss the payments the worker runs.
  it('is the name the worker registers the payment workflow under', () => {
    assert.deepEqual(Object.keys(registered).sort(), [
      BATCH_CHUNK_WORKFLOW_TYPE,
      BATCH_WORKFLOW_TYPE,
      PAYMENT_WORKFLOW_TYPE,
      POOL_WORKFLOW_TYPE,
      RECONCILIATION_TICK_WORKFLOW_TYPE,
      RECONCILIATION_WORKFLOW_TYPE,
    ]);
    assert.equal(registered.paymentWorkflow.name, PAYMENT_WORKFLOW_TYPE);
    assert.equal(registered.reconciliationWorkflow.name, RECONCILIATION_WORKFLOW_TYPE);
    assert.equal(registered.reconciliationTickWorkflow.name, RECONCILIATION_TICK_WORKFLOW_TYPE);
    assert.equal(registered.batchWorkflow.name, BATCH_WORKFLOW_TYPE);
    assert.equal(registered.batchChunkWorkflow.name, BATCH_CHUNK_WORKFLOW_TYPE);
  });

  it('names the wallet pool workflow as the worker registers it', () => {
    assert.equal(registered.poolWorkflow.name, POOL_WORKFLOW_TYPE);
  });

  it('selects payments in visibility queries', () => {
    assert.equal(PAYMENT_WORKFLOWS_CLAUSE, "WorkflowType = 'paymentWorkflow'");
  });
});
