import { Client } from '@temporalio/client';
import { parseArgs } from 'node:util';
import { ConfigError, type Config } from '../config';
import { connectTemporalClient } from '../temporal/connection';
import { paymentDataConverter, payloadCodecFromConfig } from '../temporal/data-converter';
import { findResetPoint, replayHistories } from '../temporal/replay-histories';
import { WORKFLOWS_PATH, workflowBundleOptions } from '../temporal/workflow-bundle';
import { runCli, UsageError } from './run-cli';

const USAGE = `usage:
  replay-check running            replay every running workflow of the namespace
  replay-check all                replay every workflow the namespace keeps (closed ones too)
  replay-check workflow ID        replay one workflow's current run

  Replays against TEMPORAL_WORKFLOW_BUNDLE_PATH (the bundle the image's worker loads), or bundles ${WORKFLOWS_PATH}
  when it is unset, decrypting payloads with the worker's keys (TEMPORAL_CODEC_KEYS_FILE). For each history that does not replay it prints the error and where to reset it:
  temporal workflow reset --workflow-id ID --event-id N --reason "..." (docs/operations.md).
exit codes: 0 every history replays; 1 bad usage or configuration; 2 some history does not replay`;

/** The workflow bundle the worker runs: the prebuilt one, or the workflows bundled now. */
async function bundleOf(config: Config) {
  if (config.TEMPORAL_WORKFLOW_BUNDLE_PATH) return { codePath: config.TEMPORAL_WORKFLOW_BUNDLE_PATH };
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
  return { code: (await bundleWorkflowCode({ ...workflowBundleOptions(), logger: quiet })).code };
}

/** A listing the codec keys cannot read (its memos are encrypted), as the configuration error it is. */
function unreadable(error: unknown): ConfigError | undefined {
  const message = error instanceof Error ? error.message : '';
  if (/Unknown encoding: binary\/encrypted/.test(message)) {
    return new ConfigError(
      "the namespace's payloads are encrypted: set TEMPORAL_CODEC_KEYS_FILE to the worker's codec keys",
    );
  }
  if (error instanceof Error && error.name === 'PayloadDecryptionError') return new ConfigError(message);
  return undefined;
}

async function check(config: Config, visibility: string | undefined): Promise<number> {
  // The replay worker's state changes and its warning for each failure would bury the report.
  const { DefaultLogger, Runtime } = await import('@temporalio/worker');
  const quiet = { filter: { core: 'ERROR', other: 'ERROR' } } as const;
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: quiet } });
  // Encrypted histories replay only through the codec the worker wrote them with.
  const dataConverter = paymentDataConverter(payloadCodecFromConfig(config));
  const connection = await connectTemporalClient(config);
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
    const workflowBundle = await bundleOf(config);
    const report = await replayHistories(client, {
      workflowBundle,
      dataConverter,
      ...(visibility ? { visibility } : {}),
    }).catch((error: unknown) => {
      throw unreadable(error) ?? error;
    });
    console.log(
      `${report.histories} histories of ${report.workflows} workflows replayed: ${report.failed.length} failed`,
    );
    for (const failure of report.failed) {
      const history = await client.workflow.getHandle(failure.workflowId, failure.runId).fetchHistory();
      const reset = await findResetPoint(history, workflowBundle, failure.workflowId, dataConverter);
      console.log(`${failure.workflowId} ${failure.runId}: ${failure.error}`);
      if (reset !== undefined)
        console.log(
          `  reset: temporal workflow reset --workflow-id '${failure.workflowId}' --run-id ${failure.runId} ` +
            `--event-id ${reset} --reason 'workflow task ${reset} does not replay'`,
        );
    }
    return report.failed.length === 0 ? 0 : 2;
  } finally {
    await connection.close();
  }
}

runCli({
  name: 'replay-check',
  usage: USAGE,
  help: {
    running: {
      summary:
        "Replays the history of every running workflow against the workers' bundle, and names a reset point for each that does not replay.",
      examples: ['npm run replay-check -- running'],
    },
    all: {
      summary: 'Replays every workflow history the namespace keeps, closed ones included.',
      examples: ['npm run replay-check -- all'],
    },
    workflow: {
      summary: "Replays one workflow's current run.",
      examples: ["npm run replay-check -- workflow 'payment:acme:payout-124'"],
    },
  },
  commands: {
    running: (args, config) => (parseArgs({ args, strict: true }), check(config, "ExecutionStatus = 'Running'")),
    all: (args, config) => (parseArgs({ args, strict: true }), check(config, undefined)),
    workflow: (args, config) => {
      const { positionals } = parseArgs({ args, strict: true, allowPositionals: true });
      const [id] = positionals;
      if (!id || positionals.length > 1 || id.includes("'")) throw new UsageError(`give one workflow id\n${USAGE}`);
      return check(config, `WorkflowId = '${id}'`);
    },
  },
});
