// What the job commands share: calls with 429s waited out, reconciliation of pending intents from the markers in
// the assets' descriptions, waiting for many assets (ShowAssetMeta, 10 IDs per call), publishing in batches.
import { failedAssetStatuses, transientAssetStatuses } from '../../generated/asset-status.js';
import type { VodClient } from '../client.js';
import { isVodError, VodApiError, VodNetworkError, VodTimeoutError } from '../errors.js';
import { sleep } from '../internal/pace.js';
import { itemHash, markerIn, type Journal } from './journal.js';

/** The VOD time of `ms` (yyyyMMddHHmmss, UTC). */
export const vodTime = (ms: number): string => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
  retryAfterSeconds?: number;
}

/** The outcome of a call that may not be repeated blindly: done, refused (no effect), or unknown (maybe done). */
export type Outcome<T> = { ok: true; data: T } | { ok: false; definite: boolean; error: string };

/**
 * Sends `send()` until it is not throttled: a 429 was refused before any processing, so it is waited out (its
 * Retry-After) and sent again, never a failure. `idempotent` calls are also repeated after a network error, a
 * timeout or a 5xx (a few times); for the others such an error is `definite: false` (the call may have taken effect).
 */
export async function callOnce<T>(send: () => Promise<Answer<T>>, idempotent: boolean, timeScale: number): Promise<Outcome<T>> {
  for (let failures = 0; ; ) {
    let answer: Answer<T>;
    try {
      answer = await send();
    } catch (error) {
      const transient = error instanceof VodNetworkError || error instanceof VodTimeoutError;
      if (transient && idempotent && ++failures <= 4) {
        await sleep((500 * 2 ** failures) / timeScale);
        continue;
      }
      return { ok: false, definite: !transient, error: describe(error) };
    }
    const status = answer.response.status;
    if (answer.error === undefined) return { ok: true, data: answer.data as T };
    if (status === 429) {
      // Retry-After is in real seconds (a simulator scales it itself).
      await sleep((answer.retryAfterSeconds ?? 1) * 1000);
      continue;
    }
    if (status >= 500 && idempotent && ++failures <= 4) {
      await sleep((500 * 2 ** failures) / timeScale);
      continue;
    }
    const apiError = new VodApiError('call', status, answer.error as never, answer.response.headers);
    return { ok: false, definite: status < 500, error: describe(apiError) };
  }
}

/** A one-line reason, never a credential (the client's errors do not carry them). */
export function describe(error: unknown): string {
  if (error instanceof VodApiError) return `${error.status}${error.code ? ` ${error.code}` : ''}: ${error.message.replace(/^[^:]*: /, '')}`;
  if (isVodError(error) || error instanceof Error) return (error as Error).message;
  return String(error);
}

/**
 * The assets of this job created since `since` (ms), by item hash: ListAssetList from 10 minutes before `since`
 * (the server's clock may differ; an earlier start only costs a page), all pages, keeping those whose description
 * carries this job's marker.
 */
export async function markedAssets(client: VodClient, journal: Journal, since: number): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const query = { start_time: vodTime(since - 600_000), size: 100 } as never;
  for await (const asset of client.paginate('listAssetList', query)) {
    const mark = markerIn((asset as { description?: string }).description);
    if (!mark || mark.job !== journal.job.id) continue;
    const list = found.get(mark.item) ?? [];
    list.push(String((asset as { asset_id: string }).asset_id));
    found.set(mark.item, list);
  }
  return found;
}

export const hashOf = itemHash;

/**
 * Waits until every asset of `ids` has a final status, polling ShowAssetMeta with up to 10 IDs per call (each
 * asset at most every `pollMs`), and reports each final status once.
 */
export async function waitForAll(
  client: VodClient,
  ids: readonly string[],
  options: { pollMs: number; timeScale: number; timeoutMs: number; onFinal: (id: string, status: string, description?: string) => void },
): Promise<string[]> {
  const transient = new Set<string>(transientAssetStatuses);
  const pending = [...new Set(ids)];
  const deadline = Date.now() + options.timeoutMs;
  while (pending.length) {
    if (Date.now() > deadline) return pending;
    const round = Date.now();
    for (let i = 0; i < pending.length; ) {
      const chunk = pending.slice(i, i + 10);
      const outcome = await callOnce(() => client.showAssetMeta({ asset_id: chunk } as never) as never, true, options.timeScale);
      if (!outcome.ok) {
        for (const id of chunk) options.onFinal(id, 'WAIT_FAILED', outcome.error);
        pending.splice(i, chunk.length);
        continue;
      }
      const infos = ((outcome.data as { asset_info_array?: { asset_id?: string; status?: string; description?: string }[] }).asset_info_array ?? []);
      const done = new Set<string>();
      for (const info of infos) {
        if (!info.asset_id || !chunk.includes(info.asset_id) || !info.status || transient.has(info.status)) continue;
        options.onFinal(info.asset_id, info.status, info.description);
        done.add(info.asset_id);
      }
      const rest = chunk.filter((id) => !done.has(id));
      pending.splice(i, chunk.length, ...rest);
      i += rest.length;
    }
    if (pending.length) await sleep(Math.max(0, options.pollMs - (Date.now() - round)));
  }
  return [];
}

export const isFailedStatus = (status: string): boolean =>
  failedAssetStatuses.includes(status) || status === 'NO_ASSET' || status === 'WAIT_FAILED' || status.endsWith('_FAILED');

/** PublishAssets or UnpublishAssets in batches of 10; the IDs each batch answered for, or the error of the batch. */
export async function publishAll(
  client: VodClient,
  ids: readonly string[],
  unpublish: boolean,
  timeScale: number,
  onResult: (id: string, ok: boolean, detail: string) => void,
): Promise<void> {
  for (let i = 0; i < ids.length; i += 10) {
    const chunk = ids.slice(i, i + 10);
    const send = () => (unpublish ? client.unpublishAssets({ asset_id: chunk }) : client.publishAssets({ asset_id: chunk })) as never;
    const outcome = await callOnce<{ asset_info_array?: { asset_id?: string; status?: string }[] }>(send, true, timeScale);
    if (!outcome.ok) {
      for (const id of chunk) onResult(id, false, outcome.error);
      continue;
    }
    const byId = new Map((outcome.data?.asset_info_array ?? []).map((a) => [a.asset_id, a.status]));
    for (const id of chunk) {
      const status = byId.get(id);
      const ok = status !== undefined && status !== 'NO_ASSET' && !isFailedStatus(status);
      onResult(id, ok, status ?? 'not in the answer');
    }
  }
}
