import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { countActions, meanActions } from '../../bench/history-actions';
import { HISTORIES_DIR } from '../support/histories';

const recorded = (name: string): History =>
  historyFromJSON(JSON.parse(readFileSync(`${HISTORIES_DIR}/${name}.json`, 'utf8')));

describe('billable actions counted from a history', () => {
  it('counts the recorded happy payment: start, 1 activity, 2 signals, 2 timers, 4 upserts', () => {
    assert.deepEqual(countActions(recorded('happy-path')), {
      workflowStarted: 1,
      activities: 1,
      timers: 2,
      signals: 2,
      upserts: 4,
      updates: 0,
      markers: 0,
      children: 0,
      total: 10,
      events: 30,
    });
  });

  it('leaves out the TemporalChangeVersion upserts and the patch markers of patched()', () => {
    const count = countActions(recorded('callback-and-cost-queues'));
    // 6 upsert events, 3 of them only TemporalChangeVersion; 3 core_patch markers.
    assert.equal(count.upserts, 3);
    assert.equal(count.markers, 0);
    assert.equal(count.total, 1 + 2 + 1 + 1 + 3);
  });

  it('counts every attempt of a retried activity, local-activity markers once per task, a child twice', () => {
    // In the JSON form of test/histories/, as `temporal workflow show --output json` writes it.
    const attributesKey = (type: string) =>
      `${type.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}EventAttributes`;
    const event = (eventId: number, eventType: string, attributes?: object) => ({
      eventId: String(eventId),
      eventType: `EVENT_TYPE_${eventType}`,
      ...(attributes ?? { [attributesKey(eventType)]: {} }),
    });
    const marker = (eventId: number, task: number) =>
      event(eventId, 'MARKER_RECORDED', {
        markerRecordedEventAttributes: {
          markerName: 'core_local_activity',
          workflowTaskCompletedEventId: String(task),
        },
      });
    const history = historyFromJSON({
      events: [
        event(1, 'WORKFLOW_EXECUTION_STARTED'),
        event(5, 'ACTIVITY_TASK_SCHEDULED'),
        event(6, 'ACTIVITY_TASK_STARTED', {
          activityTaskStartedEventAttributes: { scheduledEventId: '5', attempt: 3 },
        }),
        marker(10, 4),
        marker(11, 4),
        marker(12, 9),
        event(20, 'START_CHILD_WORKFLOW_EXECUTION_INITIATED'),
        event(21, 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED'),
        event(22, 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED'),
      ],
    });
    const count = countActions(history);
    assert.equal(count.activities, 3);
    assert.equal(count.markers, 2);
    assert.equal(count.children, 2);
    assert.equal(count.updates, 1);
    assert.equal(count.signals, 1);
    assert.equal(count.total, 1 + 3 + 2 + 2 + 1 + 1);
  });

  it('averages counts field by field', () => {
    const happy = countActions(recorded('happy-path'));
    const other = countActions(recorded('callback-and-cost-queues'));
    const mean = meanActions([happy, other]);
    assert.equal(mean.total, (happy.total + other.total) / 2);
    assert.equal(mean.upserts, 3.5);
  });
});
