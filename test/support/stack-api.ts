/** What a test sends to the payments API: a method (GET when absent), an Idempotency-Key, a JSON body. */
export interface ApiRequest {
  method?: string;
  idempotencyKey?: string;
  json?: unknown;
}

/** One call to a test stack's payments API (`baseUrl`, its bridge) as the client holding `key`: status and JSON body. */
export async function callApi(baseUrl: string, key: string, path: string, init: ApiRequest = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies of known shape, asserted field by field
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}
