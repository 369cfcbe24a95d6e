import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CACHED_PAYMENT_MIB,
  MIN_CACHED_WORKFLOWS,
  MIN_WORKFLOW_HEAP_MIB,
  WORKER_BASE_MIB,
  workflowCacheSize,
  workflowHeapMiB,
} from '../../src/temporal/workflow-cache';

describe('workflowCacheSize', () => {
  it('fills what the budget leaves above the base with cached payments', () => {
    assert.equal(workflowCacheSize(WORKER_BASE_MIB + 100), Math.floor(100 / CACHED_PAYMENT_MIB));
    assert.ok(workflowCacheSize(4096) > workflowCacheSize(512), 'more memory, more cached payments');
  });

  it('keeps a budget above the base inside itself: base plus a full cache at the reserved cost', () => {
    for (const memory of [384, 512, 1024, 4096]) {
      assert.ok(WORKER_BASE_MIB + workflowCacheSize(memory) * CACHED_PAYMENT_MIB <= memory, `${memory} MiB`);
    }
  });

  it('never goes below the minimum, and an operator override wins (0 turns the cache off)', () => {
    assert.equal(workflowCacheSize(128), MIN_CACHED_WORKFLOWS);
    assert.equal(workflowCacheSize(512, 5_000), 5_000);
    assert.equal(workflowCacheSize(512, 0), 0);
  });
});

describe('workflowHeapMiB', () => {
  it('gives the workflow thread 256 MiB at the default budget, more as the cache grows, and obeys the override', () => {
    assert.equal(workflowHeapMiB(workflowCacheSize(512)), MIN_WORKFLOW_HEAP_MIB);
    const big = workflowCacheSize(4096);
    assert.ok(workflowHeapMiB(big) > big * CACHED_PAYMENT_MIB * 0.7, 'room for what a full large cache holds');
    assert.ok(workflowHeapMiB(big) < 4096, 'within the budget');
    assert.equal(workflowHeapMiB(0), MIN_WORKFLOW_HEAP_MIB, 'no cache: the floor');
    assert.equal(workflowHeapMiB(384, 1024), 1024);
  });
});
