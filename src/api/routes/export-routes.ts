import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { EXPORT_COLUMNS, exportCsvHeader, exportCsvLines } from '../../exports/export-row';
import { ExportRangeError, exportRows, MAX_EXPORT_PAGE, type ExportService } from '../../exports/temporal-exports';
import { ApiError } from '../../bridge/http-error';
import { requireScope, type ApiEnv } from '../api-key-auth';
import { InvalidCursorError } from '../payments-backend';
import { problemResponse } from '../problem';
import { authProblems } from './route-responses';

const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

const exportRowSchema = z
  .object(
    Object.fromEntries(EXPORT_COLUMNS.map((column) => [column, z.string()])) as Record<
      (typeof EXPORT_COLUMNS)[number],
      z.ZodString
    >,
  )
  .openapi('ExportRow', {
    description:
      'A payment event that moved money: amount and fee in minimum units and in display units (empty when the ' +
      'decimals are unknown); settledAt is when Dfns reported the final status (the confirmation time)',
  });

const exportPageSchema = z
  .object({ items: z.array(exportRowSchema), nextCursor: z.string().optional() })
  .openapi('ExportPage');

const exportQuery = z
  .object({
    from: isoTime.openapi({ description: 'Payments that closed at or after this time (ISO 8601)' }),
    to: isoTime.openapi({ description: 'Payments that closed before this time (ISO 8601); must be after `from`' }),
    limit: z
      .string()
      .regex(/^([1-9][0-9]{0,2}|1000)$/, 'must be a whole number from 1 to 1000')
      .optional()
      .openapi({ description: 'JSON page size, 1 to 1000 (default 1000); CSV streams every row' }),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,4096}$/, 'must be a nextCursor from an earlier page')
      .optional(),
  })
  .strict();

const exportRoute = createRoute({
  method: 'get',
  path: '/v1/exports',
  operationId: 'exportPayments',
  summary: "The caller's payment events that moved money, for accounting: JSON pages, or the whole range as CSV",
  description:
    'One row per payment that closed in [from, to) after its transfer reached the chain: Confirmed (the amount moved, ' +
    'the fee paid) or Failed on chain (nothing moved, the fee paid). Ordered by close time, newest first, and ' +
    'formatted deterministically: the same range exports the same bytes. With `Accept: text/csv` every row is ' +
    'streamed, page after page.',
  security: [{ bearerAuth: [] }],
  middleware: [requireScope('payments:read')] as const,
  request: { query: exportQuery },
  responses: {
    200: {
      description: 'A page of rows (JSON), or every row (text/csv)',
      content: { 'application/json': { schema: exportPageSchema }, 'text/csv': { schema: z.string() } },
    },
    400: problemResponse('A bad time, range, limit or cursor; `errors` names it'),
    ...authProblems,
  },
});

/** `GET /v1/exports`: scoped to the caller's client. */
export function registerExports(app: OpenAPIHono<ApiEnv>, exports: ExportService): void {
  app.openapi(exportRoute, async (c) => {
    const clientId = c.get('principal').clientId;
    const query = c.req.valid('query');
    const range = { from: new Date(query.from).toISOString(), to: new Date(query.to).toISOString(), clientId };
    if (range.to <= range.from)
      throw new ApiError(400, 'invalid_request', 'the range is empty', [
        { field: 'to', message: 'must be after from' },
      ]);
    try {
      if (/\btext\/csv\b/i.test(c.req.header('accept') ?? '')) {
        if (query.cursor !== undefined)
          throw new ApiError(400, 'invalid_request', 'a CSV export streams the whole range', [
            { field: 'cursor', message: 'is for JSON pages' },
          ]);
        // The first page is read before answering, so a failure is a problem document, not a broken stream.
        const pages = exportRows(exports, range);
        const first = await pages.next();
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode(exportCsvHeader()));
            if (!first.done) controller.enqueue(encoder.encode(exportCsvLines(first.value.items)));
          },
          async pull(controller) {
            const next = first.done ? { done: true as const } : await pages.next();
            if (next.done) controller.close();
            else controller.enqueue(encoder.encode(exportCsvLines(next.value.items)));
          },
        });
        return c.body(body, 200, { 'Content-Type': 'text/csv; charset=utf-8' });
      }
      const page = await exports.page({
        ...range,
        limit: query.limit ? Number(query.limit) : MAX_EXPORT_PAGE,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return c.json({ items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, 200);
    } catch (error) {
      if (error instanceof InvalidCursorError)
        throw new ApiError(400, 'invalid_cursor', error.message, [
          { field: 'cursor', message: 'is not a cursor from this export' },
        ]);
      if (error instanceof ExportRangeError)
        throw new ApiError(400, 'invalid_request', error.message, [{ field: 'to', message: error.message }]);
      throw error;
    }
  });
}
