// The banner `npm run dev` prints last: where everything is, the development key, and a first payment through the
// API that runs as it is printed (the sandbox's real wallet, the real key).
import type { Config } from '../src/config';
import { PAYMENTS_VIEW, workflowListUrl } from '../src/temporal/ui-links';
import { DEV_CLIENT } from './dev-api-key';

/** An EIP-55 test-vector address: valid, checksummed, and nobody's wallet. */
export const DEMO_RECIPIENT = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';

/** What the banner shows. */
export interface DevBannerInput {
  config: Config;
  appUrl: string;
  /** The development key and where it is kept; absent when the app listens beyond loopback. */
  apiKey?: { key: string; file: string };
  wallet: { id: string; network: string };
  sandboxUrl: string;
  clientsFile: string;
  callbackUrl: string;
  /** Payload encryption: the codec endpoint, the key file payloads are encrypted with, the operator's key file. */
  codec?: { endpoint: string; keysFile: string; operatorKeyFile: string };
  /** The credentials file, when it is not the default one (the CLI then needs to be told). */
  credentialsFile?: string;
}

/** The first payment: 0.001 ETH on the wallet's network, under a fixed key, so running it again is a replay. */
export function firstPaymentBody(walletId: string, network: string): string {
  return JSON.stringify({
    walletId,
    network,
    asset: { kind: 'Native' },
    to: DEMO_RECIPIENT,
    amount: '1000000000000000',
    reference: 'first payment',
  });
}

/** The banner's text. */
export function devBanner(input: DevBannerInput): string {
  const { config, appUrl, apiKey, wallet } = input;
  const ui = { url: config.TEMPORAL_UI_URL, namespace: config.TEMPORAL_NAMESPACE };
  const lines = [
    '',
    '  Payment orchestrator is up (Ctrl-C stops everything)',
    '',
    `    Payments API    ${appUrl} (reference: ${appUrl}/docs)`,
    apiKey
      ? `    API key         ${apiKey.key} (client ${DEV_CLIENT}, this dev stack only; kept in ${apiKey.file})`
      : `    API key         none from npm run dev: APP_HOST ${config.APP_HOST} is not loopback (use API_KEYS_FILE)`,
    `    Temporal UI     ${workflowListUrl(ui, PAYMENTS_VIEW)}`,
    `    Dfns sandbox    ${input.sandboxUrl} (funded wallet ${wallet.id} on ${wallet.network})`,
    `    Webhooks        ${appUrl}/webhooks/dfns`,
    `    Callbacks       ${input.callbackUrl} (a receiver for a payment's callbackUrl)`,
    `    Metrics         app http://${config.APP_METRICS_ADDRESS}/metrics · worker http://${config.WORKER_METRICS_ADDRESS}/metrics`,
    `    Clients         ${input.clientsFile} (the client ${DEV_CLIENT} pays from the sandbox's wallets)`,
  ];
  if (input.codec) {
    const { endpoint, keysFile, operatorKeyFile } = input.codec;
    lines.push(
      `    Codec endpoint  ${endpoint} (payloads encrypted with ${keysFile}; the UI reads them after an operator`,
      `                    signs in at ${endpoint}/session with the key in ${operatorKeyFile}:`,
      `                    docs/getting-started.md, "In the Temporal UI")`,
    );
  }
  if (apiKey) {
    const exports = [
      `PAYMENTS_API_URL=${appUrl}`,
      `PAYMENTS_API_KEY=${apiKey.key}`,
      `DFNS_WALLET_ID=${wallet.id}`,
      ...(input.credentialsFile ? [`DFNS_CREDENTIALS_FILE=${input.credentialsFile}`] : []),
    ];
    lines.push(
      '',
      '  First payment through the API (0.001 ETH from the sandbox wallet; run it again: the same payment):',
      '',
      `    curl -s -X POST ${appUrl}/v1/payments -H 'Authorization: Bearer ${apiKey.key}' \\`,
      `      -H 'Idempotency-Key: first-payment' -H 'Content-Type: application/json' \\`,
      `      -d '${firstPaymentBody(wallet.id, wallet.network)}'`,
      '',
      "  In any shell, for the CLI and the docs' examples:",
      '',
      `    export ${exports.join(' ')}`,
    );
  }
  lines.push('', '  A demo payment, followed to its end: npm run demo (through the API: npm run demo -- --api)', '');
  return lines.join('\n');
}
