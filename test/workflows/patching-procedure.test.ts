import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { countVersioningEvents } from '../../src/observability/history-actions';
import { startTimeSkipping } from '../support/time-skipping';

/**
 * What Temporal's patching procedure (patched → deprecatePatch → no call) writes and what replays, measured on the
 * SDK this project runs rather than assumed: workflows/baseline.ts rests on these facts. The four versions of one
 * workflow are in test/workflows/patching/.
 */
const VERSIONS = ['patched', 'deprecated', 'removed', 'replay-only'] as const;
type Version = (typeof VERSIONS)[number];
type History = temporal.api.history.v1.IHistory;

/** The patch markers of a history: their ids and deprecated flags. */
function markers(history: History): { id: string; deprecated: boolean }[] {
  return (history.events ?? []).flatMap((event) => {
    const data = event.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
    return data ? [JSON.parse(Buffer.from(data).toString()) as { id: string; deprecated: boolean }] : [];
  });
}

describe("Temporal's patching procedure, measured (time-skipping)", { timeout: 300_000 }, () => {
  let env: TestWorkflowEnvironment;
  const code = {} as Record<Version, string>;
  const recorded = {} as Record<Version, History>;
  let queue = 0;

  before(async () => {
    ({ env } = await startTimeSkipping());
    const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
    for (const version of VERSIONS) {
      const workflowsPath = fileURLToPath(new URL(`./patching/${version}.ts`, import.meta.url));
      ({ code: code[version] } = await bundleWorkflowCode({ workflowsPath, logger: quiet }));
    }
    // Each version runs one workflow to its end; its history is what that version writes.
    for (const version of VERSIONS) {
      const taskQueue = `patching-${++queue}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: { code: code[version] },
      });
      recorded[version] = await worker.runUntil(async () => {
        const handle = await env.client.workflow.start('patchProbe', { taskQueue, workflowId: `probe-${version}` });
        assert.equal(await handle.result(), 'new');
        return handle.fetchHistory();
      });
    }
  });
  after(async () => env?.teardown());

  const replay = (version: Version, history: History, name: string) =>
    Worker.runReplayHistory({ workflowBundle: { code: code[version] }, replayName: name }, history);

  it('patched() records a marker and a TemporalChangeVersion upsert in a new run', () => {
    assert.deepEqual(markers(recorded.patched), [{ id: 'probe', deprecated: false }]);
    assert.deepEqual(countVersioningEvents(recorded.patched.events ?? []), {
      patchMarkers: 1,
      changeVersionUpserts: 1,
    });
  });

  it('deprecatePatch() records both as well: deprecating saves no event in a new run', () => {
    assert.deepEqual(markers(recorded.deprecated), [{ id: 'probe', deprecated: true }]);
    assert.deepEqual(countVersioningEvents(recorded.deprecated.events ?? []), {
      patchMarkers: 1,
      changeVersionUpserts: 1,
    });
  });

  it('code without the call cannot replay a history with a marker patched() wrote', async () => {
    await assert.rejects(replay('removed', recorded.patched, 'patched-by-removed'), DeterminismViolationError);
  });

  it('code without the call replays a history with a deprecated marker (the marker and its upsert are skipped)', async () => {
    await replay('removed', recorded.deprecated, 'deprecated-by-removed');
  });

  it('deprecatePatch() replays a history patched() wrote', async () => {
    await replay('deprecated', recorded.patched, 'patched-by-deprecated');
  });

  it('patched() asked only while replaying writes nothing in a new run, and still replays a marker', async () => {
    assert.deepEqual(countVersioningEvents(recorded['replay-only'].events ?? []), {
      patchMarkers: 0,
      changeVersionUpserts: 0,
    });
    await replay('replay-only', recorded['replay-only'], 'replay-only-by-replay-only');
    await replay('replay-only', recorded.patched, 'patched-by-replay-only');
    await replay('replay-only', recorded.deprecated, 'deprecated-by-replay-only');
  });
});
