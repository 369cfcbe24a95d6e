// The worker of the reference workflows (bench/bare-transfer-workflow.ts), its own process like src/worker.ts, with the
// payment's own submit activity against the same Dfns sandbox.
import { Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createDfnsActivities } from '../activities/dfns-activities';
import { loadClientBindings } from '../src/clients/load-clients-file';
import { loadConfig } from '../src/config';
import { resolveDfnsCredentials } from '../src/dfns/credentials';
import { createDfnsGateway } from '../src/dfns/dfns-gateway';
import { runMain } from '../src/run-main';
import { connectTemporalWorker } from '../src/temporal/connection';
import { loadPoolFile } from '../src/pools/load-pool-file';
import { paymentDataConverter, payloadCodecFromConfig } from '../src/temporal/data-converter';

runMain('bare-transfer-worker', async () => {
  const config = loadConfig();
  // The payment's submit activity checks its payer as in the payment worker (PAYMENT_CLIENTS_FILE).
  const pools = loadPoolFile(config.PAYMENT_POOLS_FILE);
  const payers = { clients: loadClientBindings(config.PAYMENT_CLIENTS_FILE, pools), pools };
  const activities = createDfnsActivities({ dfns: createDfnsGateway(resolveDfnsCredentials(config)), payers });
  const connection = await connectTemporalWorker(config);
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('./bare-transfer-workflow.ts', import.meta.url)),
    // The bare workflow schedules only submitTransfer; the others are registered but never called.
    activities,
    dataConverter: paymentDataConverter(payloadCodecFromConfig(config)),
  });
  console.log(JSON.stringify({ msg: 'worker running', taskQueue: config.TEMPORAL_TASK_QUEUE }));
  await worker.run();
  await connection.close();
});
