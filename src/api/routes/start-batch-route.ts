import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { parseBatchCsv } from '../../batches/batch-csv';
import type { PayerCheckDeps } from '../../clients/payer-check';
import { requestPayerProblems } from '../../clients/payer-problems';
import { MAX_BATCH_CONCURRENCY, type BatchService } from '../../batches/batch-service';
import {
  batchKeySchema,
  MAX_BATCH_ROWS,
  rowProblemField,
  validateBatchRows,
  type RowProblem,
  type RowBodyCheck,
} from '../../contracts/batch-row';
import { ApiError } from '../../bridge/http-error';
import { requireScope, type ApiEnv } from '../api-key-auth';
import { batchProgressSchema } from '../batch-view';
import { problemResponse } from '../problem';
import { authProblems } from './route-responses';

/** OpenAPI links from a started batch to what can be done with it (clients and stateful testers follow them). */
const BATCH_LINKS = Object.fromEntries(
  ['getBatch', 'getBatchReport', 'cancelBatch'].map((operationId) => [
    operationId,
    { operationId, parameters: { id: '$response.body#/batchId' } },
  ]),
);

/** The JSON form: rows as objects, each a payment request with its own `key` instead of an idempotency key. */
const jsonBody = z
  .object({
    rows: z
      .array(
        z.looseObject({}).openapi({
          description: 'A payment request (see PaymentRequest) plus `key`, unique in the batch',
          example: {
            key: 'r1',
            walletId: 'wa-acme-1',
            network: 'BaseSepolia',
            asset: { kind: 'Native' },
            to: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
            amount: '1500000',
          },
        }),
      )
      .openapi({ description: `1 to ${MAX_BATCH_ROWS} rows` }),
  })
  .strict()
  .openapi('BatchRequest');

const route = createRoute({
  method: 'post',
  path: '/v1/batches',
  operationId: 'startBatch',
  summary: 'Start a batch of payments (JSON or CSV; idempotent on Idempotency-Key)',
  description:
    'Every row is validated first: if any is bad, the 400 lists every bad row and field (`row N.field`) and nothing ' +
    'starts; a row naming a wallet or pool the client may not pay from is a bad row like any other. ' +
    "Each row's payment id is derived from the batch key and the row's key (`payment:<client>:<batch>.<row>`)" +
    ', so re-submitting the batch, or one of its rows, never pays twice. A row is the same payment as a single ' +
    'start under `<batch>.<row>`: a row whose key already names a payment with another request is a bad row (400, ' +
    "naming each field that differs); one with the same request is reported with that payment's outcome. CSV: a header line, then one row per line " +
    '(columns key, walletId, network, asset, to, amount, and any other payment field; asset is native, ' +
    'erc20:CONTRACT, trc20:CONTRACT, spl:MINT or spl2022:MINT).',
  security: [{ bearerAuth: [] }],
  middleware: [requireScope('payments:write')] as const,
  request: {
    headers: z.object({
      'idempotency-key': batchKeySchema.meta({
        description: 'The batch key: letters, digits, "_" and "-"; 1 to 40 characters. Reuse it to retry safely.',
        example: 'payroll-2026-11',
      }),
    }),
    query: z
      .object({
        concurrency: z
          .string()
          .regex(/^[1-9][0-9]{0,2}$/, `must be a whole number from 1 to ${MAX_BATCH_CONCURRENCY}`)
          .refine((value) => Number(value) <= MAX_BATCH_CONCURRENCY, `must be at most ${MAX_BATCH_CONCURRENCY}`)
          .optional()
          .openapi({ description: 'Payments in flight at once (default 20)' }),
      })
      .strict(),
    body: {
      // Not `required`: the CSV form is read by the route itself (the JSON validator would refuse it).
      required: false,
      content: {
        'application/json': { schema: jsonBody },
        'text/csv': {
          schema: z
            .string()
            .min(1)
            .openapi({
              example:
                'key,walletId,network,asset,to,amount\n' +
                'r1,wa-acme-1,BaseSepolia,native,0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed,1500000\n',
            }),
        },
      },
    },
  },
  responses: {
    201: {
      description: 'Started',
      content: { 'application/json': { schema: batchProgressSchema } },
      links: BATCH_LINKS,
    },
    200: {
      description: 'Already started with this key and these rows',
      content: { 'application/json': { schema: batchProgressSchema } },
      links: BATCH_LINKS,
    },
    400: problemResponse(
      'Bad rows (`errors` names each as `row N.field`, a wallet or pool this client may not pay from included), a bad ' +
        'key or a bad CSV',
    ),
    ...authProblems,
    413: problemResponse('Body too large'),
    415: problemResponse('Body is neither application/json nor text/csv'),
    422: problemResponse('The Idempotency-Key already names a batch with other rows'),
  },
});

/**
 * The rows of the request, valid and each paid from a wallet or pool the client may pay from, or a 400 that lists
 * every bad row.
 */
async function readRows(c: Context<ApiEnv>, json: unknown, payers: PayerCheckDeps) {
  const type = c.req.header('content-type') ?? '';
  const binding = payers.clients.of(c.get('principal').clientId);
  const payable: RowBodyCheck = (body) => requestPayerProblems(body, binding, payers.pools);
  let validation;
  if (/^text\/csv\b/i.test(type)) validation = parseBatchCsv(await c.req.text(), payable);
  else if (json && typeof json === 'object' && 'rows' in json)
    validation = validateBatchRows(json.rows as unknown[], payable);
  else throw new ApiError(415, 'unsupported_media_type', 'send the rows as application/json or text/csv');
  if (validation.ok) return validation.rows;
  throw invalidRows(validation.problems);
}

/** A 400 listing every bad row and field (`row N.field`); nothing was started. */
function invalidRows(problems: readonly RowProblem[]): ApiError {
  const errors = problems.map((problem) => ({ field: rowProblemField(problem), message: problem.message }));
  const rows = new Set(problems.map((problem) => problem.row).filter((row) => row > 0));
  const what = rows.size > 0 ? `${rows.size} row(s) are invalid` : 'the batch is invalid';
  return new ApiError(400, 'invalid_rows', `${what}; nothing was started`, errors);
}

/** `POST /v1/batches`. */
export function registerStartBatch(app: OpenAPIHono<ApiEnv>, batches: BatchService, payers: PayerCheckDeps): void {
  app.openapi(route, async (c) => {
    const clientId = c.get('principal').clientId;
    const key = c.req.valid('header')['idempotency-key'];
    const { concurrency } = c.req.valid('query');
    const rows = await readRows(c, c.req.valid('json'), payers);
    const result = await batches.start(clientId, key, rows, concurrency ? { concurrency: Number(concurrency) } : {});
    if (result.kind === 'invalid-rows') throw invalidRows(result.problems);
    if (result.kind === 'conflict') {
      throw new ApiError(422, 'idempotency_key_reused', `Idempotency-Key "${key}" was already used for other rows`, [
        { field: 'Idempotency-Key', message: 'already used for other rows' },
      ]);
    }
    if (result.kind === 'started') c.header('Location', `/v1/batches/${encodeURIComponent(result.progress.batchId)}`);
    return c.json(result.progress, result.kind === 'started' ? 201 : 200);
  });
}
