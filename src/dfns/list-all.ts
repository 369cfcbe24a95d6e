/** One page of a Dfns list endpoint: the items, and the token of the next page when there is one. */
export interface DfnsPage {
  items: unknown[];
  nextPageToken?: string;
}

/** The paging part of a list query; the caller adds its own filters. */
export interface DfnsPageQuery {
  limit: string;
  paginationToken?: string;
}

const PAGE_SIZE = '100';
// A misbehaving server that always returns a next page must not loop forever.
const MAX_PAGES = 1000;

/**
 * Every item of a Dfns list endpoint. Dfns pages its lists: a response carries `nextPageToken` while more items
 * remain, and the next request passes it back as `paginationToken`. `parse` reads (and may refuse) each item.
 */
export async function listAll<T>(
  endpoint: string,
  fetchPage: (query: DfnsPageQuery) => Promise<DfnsPage>,
  parse: (item: unknown) => T,
): Promise<T[]> {
  const items: T[] = [];
  let paginationToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const response = await fetchPage({ limit: PAGE_SIZE, ...(paginationToken ? { paginationToken } : {}) });
    items.push(...response.items.map(parse));
    paginationToken = response.nextPageToken;
    if (!paginationToken) return items;
  }
  throw new Error(`${endpoint} returned more than ${MAX_PAGES} pages`);
}
