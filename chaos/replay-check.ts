import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config';
import { paymentDataConverter, payloadCodecFromConfig } from '../src/temporal/data-converter';
import { replayHistories, type ReplayReport } from '../src/temporal/replay-histories';

/** A payment history the code cannot replay (chaos/findings): the check must fail it, or it proves nothing. */
const UNREPLAYABLE = fileURLToPath(new URL('findings/stuck-escalation-replay-nondeterminism.json', import.meta.url));

/** What the end-of-run replay found, and whether it caught the history known not to replay. */
export interface ReplayCheck extends ReplayReport {
  /** The known unreplayable history failed replay against the same bundle. */
  caughtKnown: boolean;
}

/**
 * Replays every history of the run (every run of every workflow, continued-as-new runs included) against the bundle
 * the worker ran, through the run's payload codec (its keys file), and the known unreplayable history as a proof that
 * the check can fail.
 */
export async function replayRun(
  temporalAddress: string,
  workflowBundlePath: string,
  codecKeysFile: string,
): Promise<ReplayCheck> {
  const dataConverter = paymentDataConverter(
    payloadCodecFromConfig(loadConfig({ TEMPORAL_CODEC_KEYS_FILE: codecKeysFile })),
  );
  try {
    // A history that does not replay is reported below; the replay worker's own warning for each would flood it.
    const quiet = { filter: { core: 'ERROR', other: 'ERROR' } } as const;
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: quiet } });
  } catch {
    // Installed already.
  }
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const client = new Client({ connection, namespace: 'default', dataConverter });
    const workflowBundle = { codePath: workflowBundlePath };
    const report = await replayHistories(client, { workflowBundle, dataConverter });
    const known = JSON.parse(readFileSync(UNREPLAYABLE, 'utf8')) as unknown;
    const caughtKnown = await Worker.runReplayHistory(
      { workflowBundle, replayName: 'known', dataConverter },
      known,
    ).then(
      () => false,
      () => true,
    );
    return { ...report, caughtKnown };
  } finally {
    await connection.close();
  }
}
