import { WorkflowNotFoundError } from '@temporalio/client';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { READ_UPDATE_ID_PREFIX } from '../../src/contracts/workflow-reads';
import { readWorkflow, type ReadSource, type WorkflowRead } from '../../src/temporal/workflow-reads';
import { temporalCliPath } from '../support/temporal-cli';
import {
  bumpSignal,
  countQuery,
  countUpdate,
  fillSignal,
  finishSignal,
  readableWorkflow,
} from '../support/workflows/readable-workflow';
import { freePort } from '../support/free-port';

const EventType = proto.temporal.api.enums.v1.EventType;
const WORKFLOWS = fileURLToPath(new URL('../support/workflows/read-tests-index.ts', import.meta.url));
const READ: WorkflowRead<number> = {
  update: countUpdate,
  query: countQuery,
  recorded: { [countUpdate.name]: (outcome) => outcome as number },
};

describe(
  'reading workflows without running them ahead of their history (Temporal CLI dev server)',
  { timeout: 180_000 },
  () => {
    let env: TestWorkflowEnvironment;
    let worker: Worker;
    let running: Promise<void>;
    const taskQueue = `reads-${process.pid}`;
    let n = 0;
    before(async () => {
      try {
        Runtime.install({ logger: new DefaultLogger('ERROR') });
      } catch {
        // Already installed by another suite in this process.
      }
      const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
      const workflowBundle: WorkflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS, logger: quiet });
      env = await TestWorkflowEnvironment.createLocal({
        server: { executable: { type: 'existing-path', path: temporalCliPath() }, port: await freePort() },
      });
      worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle });
      running = worker.run();
    });
    after(async () => {
      worker?.shutdown();
      await running;
      await env?.teardown();
    });

    const start = () => env.client.workflow.start(readableWorkflow, { taskQueue, workflowId: `readable-${++n}` });
    const acceptedUpdates = async (workflowId: string) =>
      ((await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [])
        .filter((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)
        .map((event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId);

    it('reads a running workflow through an Update of its own each time, never older than a change seen', async () => {
      const handle = await start();
      await handle.signal(bumpSignal);
      await handle.signal(bumpSignal);
      const sources: ReadSource[] = [];
      const onAnswer = (source: ReadSource) => sources.push(source);
      assert.equal(await readWorkflow(env.client, handle.workflowId, READ, { onAnswer }), 2);
      await handle.signal(bumpSignal);
      // Read straight after the change: the answer includes it (no earlier read's outcome is handed back).
      assert.equal(await readWorkflow(env.client, handle.workflowId, READ, { onAnswer }), 3);
      assert.deepEqual(sources, ['update', 'update']);
      const reads = await acceptedUpdates(handle.workflowId);
      assert.equal(reads.length, 2);
      assert.ok(reads.every((id) => id?.startsWith(READ_UPDATE_ID_PREFIX)));
      await handle.signal(finishSignal);
      // Closed: read from its closed run, with the last change.
      assert.equal(await readWorkflow(env.client, handle.workflowId, READ, { onAnswer }), 3);
      assert.equal(sources.at(-1), 'closed-query');
    });

    it('answers a run that refuses reads from the last read its history recorded, adding nothing to it', async () => {
      const handle = await start();
      await handle.signal(bumpSignal);
      assert.equal(await readWorkflow(env.client, handle.workflowId, READ), 1);
      await handle.signal(fillSignal);
      await handle.signal(bumpSignal);
      const sources: ReadSource[] = [];
      const onAnswer = (source: ReadSource) => sources.push(source);
      assert.equal(await readWorkflow(env.client, handle.workflowId, READ, { onAnswer }), 1); // as last read, never ahead
      assert.deepEqual(sources, ['history']);
      // The refused Update was not accepted: it left no Update event in the history.
      assert.equal((await acceptedUpdates(handle.workflowId)).length, 1);
      await handle.signal(finishSignal);
    });

    it('queries a closed workflow on its closed run', async () => {
      const handle = await start();
      await handle.signal(bumpSignal);
      await handle.signal(finishSignal);
      assert.equal(await handle.result(), 1);
      const sources: ReadSource[] = [];
      const read = await readWorkflow(env.client, handle.workflowId, READ, { onAnswer: (s) => sources.push(s) });
      assert.equal(read, 1);
      assert.deepEqual(sources, ['closed-query']);
      assert.deepEqual(await acceptedUpdates(handle.workflowId), []);
    });

    it('says when there is no such workflow', async () => {
      await assert.rejects(readWorkflow(env.client, 'readable-none', READ), WorkflowNotFoundError);
    });
  },
);
