import { z } from 'zod';
import { badRequest } from './errors';

/** `limit` + `paginationToken` as every Dfns list endpoint takes them (the SDK sends strings). */
export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  paginationToken: z.string().min(1).optional(),
});

/** Parsed page query. */
export type PageQuery = z.infer<typeof PageQuerySchema>;

const DEFAULT_LIMIT = 100;

/**
 * Slices an already-ordered list; the token is the id of the last item returned, so pages stay
 * stable while newer items are prepended.
 */
export function paginate<T>(items: readonly T[], query: PageQuery, idOf: (item: T) => string) {
  let start = 0;
  if (query.paginationToken) {
    const index = items.findIndex((item) => idOf(item) === query.paginationToken);
    if (index < 0) throw badRequest('Invalid paginationToken');
    start = index + 1;
  }
  const limit = query.limit ?? DEFAULT_LIMIT;
  const page = items.slice(start, start + limit);
  const last = page[page.length - 1];
  const more = start + limit < items.length && last !== undefined;
  return { items: page, ...(more ? { nextPageToken: idOf(last) } : {}) };
}
