import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { historyTiming, meanTiming } from '../../bench/history-timing';
import { HISTORIES_DIR } from '../support/histories';

describe('where a workflow spent its time, from its history', () => {
  const happy = historyFromJSON(JSON.parse(readFileSync(`${HISTORIES_DIR}/happy-path.json`, 'utf8')));

  it('sums the waits and runs of the recorded happy payment (event times to the millisecond)', () => {
    // Computed by hand from the event times in test/histories/happy-path.json.
    assert.deepEqual(historyTiming(happy), {
      workflowTasks: 5,
      workflowTaskWaitMs: 34,
      workflowTaskRunMs: 430,
      activityWaitMs: 6,
    });
  });

  it('averages field by field', () => {
    const none = { workflowTasks: 1, workflowTaskWaitMs: 0, workflowTaskRunMs: 10, activityWaitMs: 0 };
    assert.deepEqual(meanTiming([historyTiming(happy), none]), {
      workflowTasks: 3,
      workflowTaskWaitMs: 17,
      workflowTaskRunMs: 220,
      activityWaitMs: 3,
    });
  });
});
