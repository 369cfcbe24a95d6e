import proto from '@temporalio/proto';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { countHistoryActions, describeActions } from '../../src/observability/history-actions';
import { HISTORIES_DIR } from '../support/histories';

const EventType = proto.temporal.api.enums.v1.EventType;
const events = (name: string) =>
  historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, `${name}.json`), 'utf8'))).events ?? [];

describe('billable Temporal actions counted from a history', () => {
  it('counts a recorded happy payment: every upsert and timer started, the signals, the start and the activity', () => {
    const actions = countHistoryActions(events('happy-path'));
    assert.deepEqual(
      { ...actions },
      {
        total: 10,
        starts: 1,
        searchAttributeUpserts: 4,
        markerTasks: 0,
        activities: 1,
        activityRetries: 0,
        timers: 2,
        signals: 2,
        updates: 0,
        childWorkflows: 0,
        other: 0,
      },
    );
    assert.equal(
      describeActions(actions),
      '10 (starts 1, searchAttributeUpserts 4, activities 1, timers 2, signals 2)',
    );
  });

  it('leaves out patch markers and the TemporalChangeVersion upsert that follows a patch', () => {
    const history = events('callback-and-cost-queues');
    const markers = history.filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED).length;
    const upserts = history.filter((e) => e.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES);
    const actions = countHistoryActions(history);
    assert.equal(markers, 3, 'three patch markers');
    assert.equal(actions.markerTasks, 0, 'a version marker is not billed');
    assert.equal(upserts.length, 6);
    assert.equal(actions.searchAttributeUpserts, 3, 'the three TemporalChangeVersion upserts are exempt');
  });

  it('counts local-activity markers once per workflow task that records any', () => {
    const marker = (task: number) => ({
      eventType: EventType.EVENT_TYPE_MARKER_RECORDED,
      markerRecordedEventAttributes: { markerName: 'core_local_activity', workflowTaskCompletedEventId: task },
    });
    const patch = {
      eventType: EventType.EVENT_TYPE_MARKER_RECORDED,
      markerRecordedEventAttributes: { markerName: 'core_patch' },
    };
    const actions = countHistoryActions([marker(4), marker(4), patch, marker(9)]);
    assert.equal(actions.markerTasks, 2);
    assert.equal(actions.total, 2);
  });

  it('counts accepted Updates and activity retries', () => {
    assert.equal(countHistoryActions(events('cancelled')).updates, 1);
    const retried = countHistoryActions([
      { eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED },
      { eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, activityTaskStartedEventAttributes: { attempt: 3 } },
      { eventType: EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED },
      { eventType: EventType.EVENT_TYPE_TIMER_CANCELED },
    ]);
    assert.equal(retried.activities, 1);
    assert.equal(retried.activityRetries, 2);
    assert.equal(retried.childWorkflows, 2);
    assert.equal(retried.total, 5, 'a cancelled timer costs nothing');
  });
});
