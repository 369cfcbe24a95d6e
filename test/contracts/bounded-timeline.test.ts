import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundTimeline } from '../../src/contracts/bounded-timeline';
import type { TimelineEntry } from '../../src/contracts/payment-state';

const at = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
const poll = (i: number): TimelineEntry => ({ at: at(i), source: 'poll', event: 'getTransfer', applied: false });

describe('boundTimeline', () => {
  it('leaves a timeline within the limit as it is', () => {
    const timeline = [poll(0), poll(1)];
    assert.deepEqual(boundTimeline(timeline, undefined, 2), { timeline, summary: undefined });
  });

  it('keeps the newest entries and every milestone, and counts the routine ones it drops', () => {
    const accepted: TimelineEntry = {
      at: at(0),
      source: 'workflow',
      event: 'accepted',
      status: 'Accepted',
      applied: true,
    };
    const cancel: TimelineEntry = { at: at(2), source: 'operator', event: 'cancel failed', applied: false };
    const timeline = [
      accepted,
      poll(1),
      cancel,
      poll(3),
      { ...poll(4), event: 'getTransfer failed' },
      poll(5),
      poll(6),
    ];
    const { timeline: kept, summary } = boundTimeline(timeline, undefined, 2);
    assert.deepEqual(kept, [accepted, cancel, poll(5), poll(6)]);
    assert.deepEqual(summary, {
      omitted: 3,
      events: { getTransfer: 2, 'getTransfer failed': 1 },
      from: at(1),
      to: at(4),
    });
  });

  it('adds to an earlier summary', () => {
    const earlier = { omitted: 5, events: { getTransfer: 5 }, from: at(0), to: at(1) };
    const { summary } = boundTimeline([poll(2), poll(3)], earlier, 1);
    assert.deepEqual(summary, { omitted: 6, events: { getTransfer: 6 }, from: at(0), to: at(2) });
    assert.equal(earlier.omitted, 5, 'the earlier summary is not mutated');
  });
});
