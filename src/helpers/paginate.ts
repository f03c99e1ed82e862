// paginate: every item of a paged list operation, page after page, as an async iterator (for await … of). How an
// operation pages is data in the spec (x-pagination: page index and size, offset and limit, or a marker, and the
// response field with the items), so this one helper walks every list operation. Pages are requested one at a time,
// paced within the operation's rate-limit group (shared with everything else of the client that paces); a 429 is
// waited out (its Retry-After, else a backoff), a network error or a 5xx is retried a bounded number of times, and
// any other error ends the iteration with VodApiError, after the items already yielded.
import type { PaginatedMethods } from '../../generated/operations.js';
import { coreOf, operationOf, type VodCore } from '../core.js';
import { VodApiError, VodNetworkError, VodValidationError } from '../errors.js';
import type { OperationQuery, OperationResult } from '../operation-types.js';
import { sleep } from '../internal/pace.js';

export type PaginatedMethodName = keyof PaginatedMethods;

type Data<M extends PaginatedMethodName> = NonNullable<OperationResult<PaginatedMethods[M]['id']>['data']>;
/** The item type of a paged operation's list. */
export type PageItem<M extends PaginatedMethodName> =
  Data<M> extends infer D ? (PaginatedMethods[M]['items'] extends keyof D ? NonNullable<D[PaginatedMethods[M]['items']]> extends readonly (infer I)[] ? I : never : never) : never;

export interface PaginateOptions {
  /** Stops the iteration: the pending page request is aborted and the iterator rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Fetch at most this many pages (default: until the list ends). */
  maxPages?: number;
  /** Attempts per page that may fail on the network or with a 5xx/429 without Retry-After (default 3). */
  maxRetries?: number;
  /** Called after each page with its number (1 for the first), its item count and the total the service reported. */
  onPage?: (page: { page: number; items: number; total?: number }) => void;
}

/**
 * Every item of a paged list (`ListAssetList`, `ListTemplateGroup`, `ListWatermarkTemplate`, `ListTakeOverTask`, …),
 * fetching the pages as the iteration needs them: `for await (const asset of paginate(vod, 'listAssetList', query))`.
 * `query` is the operation's query without its paging parameters (page/offset/marker); a page size given there is
 * kept. `client` is a client made by createVodClient, or by createVodCore with that operation.
 */
export async function* paginate<M extends PaginatedMethodName>(
  client: VodCore,
  method: M,
  query?: Omit<OperationQuery<PaginatedMethods[M]['id']>, 'page' | 'offset' | 'marker'> & Record<string, unknown>,
  options: PaginateOptions = {},
): AsyncGenerator<PageItem<M>, void, undefined> {
  const def = operationOf(client, method, 'paginate');
  const paging = def.pagination;
  if (!paging) throw new VodValidationError(def.id, [{ path: 'method', rule: 'is not a paged operation (no x-pagination)' }], 'options');
  const { maxPages = Infinity, maxRetries = 3 } = options;
  const { call } = coreOf(client, 'paginate');
  const base: Record<string, unknown> = { ...(query ?? {}) };
  const size = paging.size !== undefined ? (base[paging.size] as number | undefined) : paging.limit !== undefined ? (base[paging.limit] as number | undefined) : undefined;

  let pageIndex = paging.firstPage ?? 0;
  let offset = 0;
  let marker: unknown;
  let seen = 0;
  for (let page = 1; page <= maxPages; page++) {
    const q = { ...base };
    if (paging.page) q[paging.page] = pageIndex;
    if (paging.offset) q[paging.offset] = offset;
    if (paging.marker && marker !== undefined) q[paging.marker] = marker;

    let result: OperationResult<any>;
    for (let failures = 0; ; ) {
      if (options.signal?.aborted) throw options.signal.reason;
      try {
        result = (await call(def, q, { paced: true, retryThrottled: 0, ...(options.signal ? { signal: options.signal } : {}) })) as OperationResult<any>;
      } catch (error) {
        if (options.signal?.aborted || !(error instanceof VodNetworkError) || ++failures > maxRetries) throw error;
        await sleep(1000 * 2 ** (failures - 1), options.signal);
        continue;
      }
      const { status } = result.response;
      if (result.error === undefined) break;
      if ((status === 429 || status === 503) && result.retryAfterSeconds !== undefined) {
        await sleep(result.retryAfterSeconds * 1000, options.signal);
        continue;
      }
      if ((status === 429 || status >= 500) && ++failures <= maxRetries) {
        await sleep(1000 * 2 ** (failures - 1), options.signal);
        continue;
      }
      throw new VodApiError(def.id, status, result.error, result.response.headers);
    }

    const data = (result.data ?? {}) as Record<string, unknown>;
    const items = Array.isArray(data[paging.items]) ? (data[paging.items] as PageItem<M>[]) : [];
    const total = paging.total !== undefined && typeof data[paging.total] === 'number' ? (data[paging.total] as number) : undefined;
    try {
      options.onPage?.({ page, items: items.length, ...(total !== undefined ? { total } : {}) });
    } catch {
      // A progress callback must not break the iteration.
    }
    for (const item of items) yield item;
    seen += items.length;
    offset += items.length;
    pageIndex += 1;

    // The end: an empty page, the total reached, a short page, or no next marker.
    if (items.length === 0) return;
    if (total !== undefined && seen >= total) return;
    if (size !== undefined && items.length < size) return;
    if (paging.marker) {
      marker = paging.nextMarker !== undefined ? data[paging.nextMarker] : undefined;
      if (marker === undefined || marker === null || marker === '') return;
    }
  }
}
