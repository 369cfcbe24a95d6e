import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { countActions, meanActions } from '../../bench/history-actions';
import { HISTORIES_DIR } from '../support/histories';

const recorded = (name: string): History =>
  historyFromJSON(JSON.parse(readFileSync(`${HISTORIES_DIR}/${name}.json`, 'utf8')));

describe('the benchmark counts billable actions with the product counter', () => {
  it('counts the recorded happy payment, with its events', () => {
    const count = countActions(recorded('happy-path'));
    assert.equal(count.events, 30);
    assert.equal(count.total, 10, 'start, 1 activity, 2 signals, 2 timers, 4 upserts');
    assert.equal(count.searchAttributeUpserts, 4);
    assert.equal(count.timers, 2);
  });

  it('averages counts field by field', () => {
    const happy = countActions(recorded('happy-path'));
    const other = countActions(recorded('callback-and-cost-queues'));
    const mean = meanActions([happy, other]);
    assert.equal(mean.total, (happy.total + other.total) / 2);
    assert.equal(mean.searchAttributeUpserts, 3.5);
    assert.equal(mean.events, (happy.events + other.events) / 2);
  });
});
