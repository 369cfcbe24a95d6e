import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { temporalLogger } from '../../src/observability/temporal-logger';
import { captureLogs } from './log-capture';

describe('the Temporal SDK logger on pino', () => {
  it('names the workflow id paymentId and either run id runId, in the one format', () => {
    const { logger, records } = captureLogs('worker');
    const log = temporalLogger(logger, 'WARN');
    log.info('dfns call', { sdkComponent: 'activity', workflowId: 'payment:k', workflowRunId: 'run-1', attempt: 3 });
    log.info('payment final', { sdkComponent: 'workflow', workflowId: 'payment:k', runId: 'run-2' });
    const [activity, workflow] = records();
    assert.deepEqual(
      [activity?.paymentId, activity?.runId, activity?.attempt, activity?.level],
      ['payment:k', 'run-1', 3, 'info'],
    );
    assert.deepEqual([workflow?.paymentId, workflow?.runId, workflow?.msg], ['payment:k', 'run-2', 'payment final']);
  });

  it("filters the SDK's own lines at the SDK level, but not the workflow's and activities'", () => {
    const { logger, records } = captureLogs('worker');
    const log = temporalLogger(logger, 'WARN');
    log.info('Worker state changed', { sdkComponent: 'worker' });
    log.debug('core chatter', { sdkComponent: 'core' });
    log.warn('Activity failed', { sdkComponent: 'worker' });
    log.info('from a workflow', { sdkComponent: 'workflow' });
    log.log('ERROR', 'core error', { sdkComponent: 'core' });
    assert.deepEqual(
      records().map((r) => r.msg),
      ['Activity failed', 'from a workflow', 'core error'],
    );
  });
});

describe('what the Temporal logger leaves out', () => {
  it("drops the activity's task token from every line", () => {
    const { logger, records, lines } = captureLogs('worker');
    const log = temporalLogger(logger, 'WARN');
    const taskToken = 'CiQwMWEyNDM5OS04OWIwLTdkNWYtYmU1Yi04YWFmZWQzZGNjYzYSHnBheW1lbnQ6ZGVtbw==';
    log.info('dfns call', { sdkComponent: 'activity', taskToken, activityId: '1', workflowId: 'payment:k' });
    log.warn('Activity failed', { sdkComponent: 'worker', taskToken });
    assert.equal(records().length, 2);
    for (const record of records()) assert.equal('taskToken' in record, false);
    assert.doesNotMatch(lines.join(''), /CiQwMWEy/);
  });

  it("demotes the activity-only workers' expected start-up warning, and only that one", () => {
    const { logger, records } = captureLogs('worker');
    const warnings = temporalLogger(logger, 'WARN');
    warnings.warn('No workflows registered, not polling for workflow tasks', { sdkComponent: 'worker' });
    warnings.warn('Activity failed', { sdkComponent: 'worker' });
    assert.deepEqual(
      records().map((r) => [r.level, r.msg]),
      [['warn', 'Activity failed']],
    );
    const { logger: debugLogger, records: debugRecords } = captureLogs('worker', 'debug');
    temporalLogger(debugLogger, 'DEBUG').warn('No workflows registered, not polling for workflow tasks', {
      sdkComponent: 'worker',
    });
    assert.deepEqual(
      debugRecords().map((r) => r.level),
      ['debug'],
    );
  });
});
