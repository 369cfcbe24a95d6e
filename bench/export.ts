// `npm run bench:export [-- --n 10000 --legacy 300]`: the accounting export of N closed payments, with its time and
// memory, beside references measured in the same run: the bare visibility listing of the same workflows (the floor),
// and the export of payments that closed without a ledger entry in their memo (read by query, one per payment).
//
// The closed payments are stand-ins, created cheaply: bench/export-payment-workflow.ts registered as `paymentWorkflow`
// on its own task queue, started with a confirmed payment's state, search attributes (PaymentStatus, PaymentClient,
// wallet, network, asset) and ledger memo, returning at once. The export reads them exactly as it reads real ones.
import { Client } from '@temporalio/client';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { childEnvironment, loadConfig } from '../src/config';
import { ledgerEntry, LEDGER_MEMO_KEY } from '../src/contracts/ledger-entry';
import { paymentIdFor, transferExternalId } from '../src/contracts/payment-id';
import type { PaymentRequest } from '../src/contracts/payment-request';
import { initialPaymentState, type PaymentState } from '../src/contracts/payment-state';
import * as keys from '../src/contracts/search-attributes';
import { PAYMENT_SEARCH_ATTRIBUTES, searchAttributeTypeName } from '../src/contracts/search-attributes';
import { connectTemporalClient } from '../src/temporal/connection';
import { freePort } from '../test/support/free-port';
import { temporalCliPath } from '../test/support/temporal-cli';
import { portOpen, ROOT, startNode, startProcess, waitFor, waitForLine, type BenchProcess } from './processes';
import { figure, renderTable } from './stats';

const { values } = parseArgs({ options: { n: { type: 'string' }, legacy: { type: 'string' } } });
const N = Number(values.n ?? '10000');
const LEGACY = Number(values.legacy ?? '300');
const TASK_QUEUE = 'bench-export';
const WALLET = 'wa-bench-export-hot';
const log = (line: string) => console.error(`[bench:export] ${line}`);

/** A confirmed payment's state, as the workflow would hold it when it closes. */
function confirmedState(clientId: string, i: number, at: string): PaymentState {
  const request: PaymentRequest = {
    idempotencyKey: `export-${i}`,
    walletId: WALLET,
    network: 'EthereumSepolia',
    asset: { kind: 'Erc20', contract: '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238', symbol: 'USDC', decimals: 6 },
    to: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    amount: String(1_000_000 + i),
  };
  const paymentId = paymentIdFor(request.idempotencyKey, clientId);
  const state = initialPaymentState(paymentId, request, transferExternalId(paymentId, 1), at, clientId);
  const txHash = `0x${i.toString(16).padStart(64, '0')}`;
  return {
    ...state,
    status: 'Confirmed',
    transferId: `xfr-bench-${i}`,
    txHash,
    fee: String(65_000 * 2_000_000_000 + i),
    timeline: [
      ...state.timeline,
      { at, source: 'webhook', event: 'wallet.transfer.confirmed', status: 'Confirmed', applied: true, eventTime: at },
    ],
  };
}

/** Starts `count` stand-in payments of a client, `inFlight` at a time. */
async function createPayments(client: Client, clientId: string, count: number, withLedger: boolean): Promise<void> {
  let next = 0;
  const at = new Date().toISOString();
  const one = async () => {
    for (let i = next++; i < count; i = next++) {
      const state = confirmedState(clientId, i, at);
      await client.workflow.start('paymentWorkflow', {
        workflowId: state.paymentId,
        taskQueue: TASK_QUEUE,
        args: [{ state }],
        ...(withLedger ? { memo: { [LEDGER_MEMO_KEY]: ledgerEntry(state) } } : {}),
        typedSearchAttributes: [
          { key: keys.PaymentStatusKey, value: 'Confirmed' },
          { key: keys.PaymentClientIdKey, value: clientId },
          { key: keys.PaymentWalletKey, value: WALLET },
          { key: keys.PaymentNetworkKey, value: 'EthereumSepolia' },
          { key: keys.PaymentAssetKey, value: '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238' },
        ],
      });
    }
  };
  await Promise.all(Array.from({ length: 32 }, one));
}

interface Pass {
  mode: string;
  seconds: number;
  rows: number;
  requests: number;
  queried: number;
  sha256?: string;
  maxRssMiB: number;
  heapPeakMiB: number;
}

/** Runs one measured pass in a fresh process. */
const measure = (env: Record<string, string>, mode: string, clientId: string, from: string, to: string, out: string) =>
  new Promise<Pass>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'bench/export-run.ts', mode, clientId, from, to, out],
      { cwd: ROOT, env: childEnvironment(env), maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as Pass),
    );
  });

const dir = mkdtempSync(join(tmpdir(), 'payments-bench-export-'));
const processes: BenchProcess[] = [];
try {
  const port = await freePort();
  const temporal = startProcess(dir, 'temporal', temporalCliPath(), [
    ...['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'],
    ...PAYMENT_SEARCH_ATTRIBUTES.flatMap((key) => [
      '--search-attribute',
      `${key.name}=${searchAttributeTypeName(key.type)}`,
    ]),
  ]);
  processes.push(temporal);
  await waitFor('the Temporal dev server', () => portOpen('127.0.0.1', port), temporal);
  const env = { TEMPORAL_ADDRESS: `127.0.0.1:${port}`, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: TASK_QUEUE };
  const worker = startNode(dir, 'export-worker', 'bench/export-worker.ts', env);
  processes.push(worker);
  await waitForLine(worker, /"msg":"worker running"/);
  const connection = await connectTemporalClient(loadConfig(env));
  const client = new Client({ connection, namespace: 'default' });

  const from = new Date(Date.now() - 1000).toISOString();
  const creating = Date.now();
  log(`creating ${N} closed stand-in payments with a ledger memo, and ${LEGACY} without (logs in ${dir})`);
  await createPayments(client, 'acme', N, true);
  await createPayments(client, 'legacy', LEGACY, false);
  await waitFor(
    'every stand-in payment to close',
    async () =>
      (await client.workflow.count(`WorkflowType = 'paymentWorkflow' AND ExecutionStatus = 'Completed'`)).count ===
      N + LEGACY,
    worker,
    600_000,
  );
  log(`created and closed in ${figure((Date.now() - creating) / 1000)} s`);
  const to = new Date(Date.now() + 1000).toISOString();
  await connection.close();

  const list = await measure(env, 'list', 'acme', from, to, '');
  const first = await measure(env, 'export', 'acme', from, to, join(dir, 'export-1.csv'));
  const second = await measure(env, 'export', 'acme', from, to, join(dir, 'export-2.csv'));
  const legacy = await measure(env, 'export', 'legacy', from, to, join(dir, 'export-legacy.csv'));
  const row = (label: string, pass: Pass) => [
    label,
    String(pass.rows),
    figure(pass.seconds, 2),
    figure(pass.rows / pass.seconds, 0),
    String(pass.requests),
    String(pass.queried),
    figure(pass.maxRssMiB),
    figure(pass.heapPeakMiB),
  ];
  console.log(`export benchmark: ${N} closed payments; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'})`);
  console.log(
    renderTable(
      ['pass', 'rows', 'seconds', 'rows/s', 'visibility pages', 'queries', 'peak RSS MiB', 'peak heap MiB'],
      [
        row('reference: visibility listing only', list),
        row('export (ledger in the memo)', first),
        row('export again', second),
        row(`reference: export by query (no ledger), ${LEGACY} payments`, legacy),
      ],
    ),
  );
  console.log(`same bytes on both exports: ${first.sha256 === second.sha256 ? 'yes' : 'NO'} (sha256 ${first.sha256})`);
  const perQuery = legacy.seconds / Math.max(legacy.rows, 1);
  console.log(
    `a query per payment would take about ${figure(perQuery * N, 1)} s for ${N} (${figure(perQuery * 1000, 2)} ms each), ` +
      `${figure((perQuery * N) / first.seconds, 1)}× the export's ${figure(first.seconds, 2)} s`,
  );
  if (first.rows !== N || first.sha256 !== second.sha256 || legacy.queried !== LEGACY) process.exitCode = 1;
} finally {
  for (const process of processes.reverse()) await process.stop();
}
