import { Client, type Connection } from '@temporalio/client';
import { PaymentClient } from '../client/payment-client';
import { isPaymentId } from '../contracts/payment-id';
import { ConfigError, type Config } from '../config';
import { paymentTimingsFromConfig } from '../payment-timings-config';
import { connectTemporalClient } from '../temporal/connection';
import { paymentDataConverter } from '../temporal/data-converter';
import { cliPayloadCodec } from './cli-codec';
import { UnavailableError, type PaymentsGateway } from './payments-gateway';

/**
 * The CLI on Temporal directly (operators and local development): payments belong to PAYMENTS_CLIENT_ID, and ids are
 * derived from keys with it (`payment:<client>:<key>`), or without a client when it is unset (`payment:<key>`).
 */
export async function connectTemporalGateway(config: Config): Promise<PaymentsGateway> {
  // Read first: unusable codec keys are a configuration error, reported before anything connects.
  const dataConverter = paymentDataConverter(cliPayloadCodec(config));
  let connection: Connection;
  try {
    connection = await connectTemporalClient(config, '5s');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new UnavailableError(
      `cannot reach Temporal at ${config.TEMPORAL_ADDRESS} (is \`npm run dev\` running?): ${(error as Error).message}`,
    );
  }
  const timings = paymentTimingsFromConfig(config);
  const client = new PaymentClient(new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter }), {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(timings ? { timings } : {}),
    ...(config.PAYMENTS_CLIENT_ID ? { clientId: config.PAYMENTS_CLIENT_ID } : {}),
  });
  return {
    paymentId: (idOrKey) => (isPaymentId(idOrKey) ? idOrKey : client.paymentId(idOrKey)),
    start: (request) => client.start(request),
    get: (paymentId) => client.getState(paymentId),
    waitForChange: (paymentId, seen, waitMs) => client.waitForChange(paymentId, seen, waitMs),
    async list(options) {
      const items = await client.list(options);
      return items.map((item) => ({
        paymentId: item.paymentId,
        ...(item.status ? { status: item.status } : {}),
        running: item.running,
        createdAt: item.startTime.toISOString(),
      }));
    },
    act: (action, paymentId, request) =>
      action === 'cancel'
        ? client.cancel(paymentId, request)
        : action === 'retry'
          ? client.retry(paymentId, request)
          : client.speedUp(paymentId, request),
    close: () => connection.close(),
  };
}
