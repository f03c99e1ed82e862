// transfer: one PublishAssetFromObs per OBS object, journaled so that a job killed at any point and run again with
// the same journal ends with exactly one asset per object (see journal.ts and the README's "Command line").
import { videoTypeOf } from '../helpers/upload.js';
import { sleep } from '../internal/pace.js';
import { callOnce, describe, hashOf, isFailedStatus, markedAssets, publishAll, waitForAll } from './job.js';
import { Journal, replay, type ItemState } from './journal.js';
import type { Reporter } from './output.js';
import { setup, UsageError, type GlobalOptions } from './settings.js';

export interface TransferOptions {
  bucket: string;
  location: string;
  keys: string[];
  journal: string;
  authorize?: boolean;
  wait?: boolean;
  publish?: boolean;
  categoryId?: number;
  templateGroup?: string;
  tags?: string;
  description?: string;
  concurrency: number;
  /** Keys whose extension is not a media type are skipped (a prefix listing) instead of failing (a list). */
  skipUnknown?: boolean;
}

/** The extensions of the spec's video_type values, for messages. */
const MEDIA_EXTENSIONS = '.mp4, .mov, .mkv, .ts, .flv, .avi, .mp3, .wav, … (the spec\'s video_type)';

/** How long after an unanswered intent the service is asked what it did (a request may still be on its way). */
const RECONCILE_GRACE_MS = 1000;

const titleOf = (key: string): string => {
  const base = key.split('/').filter(Boolean).pop() ?? key;
  const title = base.replace(/\.[^.]+$/, '') || base;
  // At most 128 bytes of UTF-8.
  let out = '';
  for (const ch of title) {
    if (Buffer.byteLength(out + ch) > 128) break;
    out += ch;
  }
  return out;
};

export async function transfer(global: GlobalOptions, options: TransferOptions, report: Reporter): Promise<number> {
  if (!options.keys.length) throw new UsageError('transfer: no object keys (the list is empty)');
  const journal = Journal.open(options.journal, 'transfer', { bucket: options.bucket, location: options.location });
  try {
    return await run(global, options, report, journal);
  } finally {
    journal.close();
  }
}

async function run(global: GlobalOptions, options: TransferOptions, report: Reporter, journal: Journal): Promise<number> {
  const { client, timeScale, expiring } = setup(global, journal.pacing());
  const keys = [...new Set(options.keys)];
  const states = replay(journal);
  const state = (key: string): ItemState => {
    let s = states.get(key);
    if (!s) states.set(key, (s = {}));
    return s;
  };
  if (expiring) {
    const minutes = keys.length / 1500;
    if (minutes > 23 * 60) report.warn(`the job needs about ${Math.ceil(minutes / 60)} h at the rate limit; the security token expires after at most 24 h`);
  }
  report.event('job', { id: journal.job.id, kind: 'transfer', items: keys.length, journal: options.journal });

  if (options.authorize) {
    const outcome = await callOnce(() => client.updateBucketAuthorized({ bucket: options.bucket, operation: '1' }) as never, true, timeScale);
    if (!outcome.ok) {
      report.fail(`bucket ${options.bucket}`, `authorisation failed: ${outcome.error}`);
      return report.summary({ created: 0 });
    }
    report.event('authorized', { bucket: options.bucket });
  }

  // Items that cannot be transferred (no media extension) fail (or are skipped) before any call.
  const todo: string[] = [];
  for (const key of keys) {
    if (!videoTypeOf(key)) {
      if (options.skipUnknown) report.event('skipped', { item: key, reason: 'not a video or audio file name' });
      else report.fail(key, `no video_type for its extension (VOD takes ${MEDIA_EXTENSIONS})`);
      continue;
    }
    todo.push(key);
  }

  const bar = report.bar('created', todo.length, { value: todo.filter((k) => state(k).asset).length });
  // Reconcile: intents of an earlier run without an outcome (a crash while the call was in flight).
  await reconcile(client, journal, todo.filter((k) => state(k).pending !== undefined), state, report);
  bar.update(todo.filter((k) => state(k).asset).length);

  const create = async (key: string): Promise<void> => {
    const s = state(key);
    if (s.asset) return;
    const description = [options.description, journal.marker(key)].filter(Boolean).join('\n');
    // On disk before the call: a crash from here on leaves an intent that the next run reconciles.
    await journal.appendDurable({ t: 'intent', item: key });
    s.pending = Date.now();
    const body = {
      title: titleOf(key),
      video_type: videoTypeOf(key)!,
      description,
      input: { bucket: options.bucket, location: options.location, object: key },
      ...(options.categoryId !== undefined ? { category_id: options.categoryId } : {}),
      ...(options.templateGroup ? { template_group_name: options.templateGroup } : {}),
      ...(options.tags ? { tags: options.tags } : {}),
    };
    const outcome = await callOnce<{ asset_id?: string }>(() => client.publishAssetFromObs(body as never) as never, false, timeScale);
    if (outcome.ok && outcome.data?.asset_id) {
      await journal.appendDurable({ t: 'created', item: key, asset: outcome.data.asset_id });
      delete s.pending;
      s.asset = outcome.data.asset_id;
      report.event('created', { item: key, asset_id: s.asset });
      bar.increment();
    } else if (!outcome.ok && outcome.definite) {
      await journal.appendDurable({ t: 'failed', item: key, error: outcome.error });
      delete s.pending;
      s.failed = outcome.error;
    }
    // Otherwise the outcome is unknown (network error, timeout, 5xx): the item stays pending and is reconciled.
  };

  // A call whose outcome is unknown is reconciled, and sent again only if it created nothing (up to 3 rounds).
  let open = todo.filter((k) => !state(k).asset);
  for (let round = 0; round < 3 && open.length; round++) {
    await pool(open, options.concurrency, create);
    const unknown = todo.filter((k) => state(k).pending !== undefined);
    await reconcile(client, journal, unknown, state, report);
    bar.update(todo.filter((k) => state(k).asset).length);
    open = unknown.filter((k) => !state(k).asset);
  }
  for (const key of todo) {
    const s = state(key);
    if (s.asset) continue;
    report.fail(key, s.failed ?? 'the service did not answer whether the asset was created; run again with the same journal');
  }

  await finish(client, journal, todo, state, report, { wait: options.wait, publish: options.publish, timeScale });
  const created = todo.filter((k) => state(k).asset).length;
  return report.summary({ items: keys.length, created });
}

/** Pending intents: the assets this job created since the earliest of them decide whether each call took effect. */
export async function reconcile(
  client: Parameters<typeof markedAssets>[0],
  journal: Journal,
  pending: string[],
  state: (key: string) => ItemState,
  report: Reporter,
  onFound?: (key: string, assets: string[]) => Promise<void>,
): Promise<void> {
  if (!pending.length) return;
  const earliest = Math.min(...pending.map((k) => state(k).pending ?? Date.now()));
  const latest = Math.max(...pending.map((k) => state(k).pending ?? 0));
  // A request sent just before the crash may still be on its way: give it a moment to land before asking.
  await sleep(Math.max(0, latest + RECONCILE_GRACE_MS - Date.now()));
  const marked = await markedAssets(client, journal, earliest);
  for (const key of pending) {
    const found = marked.get(hashOf(key)) ?? [];
    if (onFound) {
      await onFound(key, found);
      continue;
    }
    const s = state(key);
    if (found.length) {
      journal.append({ t: 'created', item: key, asset: found[0], via: 'reconcile' });
      s.asset = found[0];
      report.event('reconciled', { item: key, asset_id: found[0] });
      if (found.length > 1) report.warn(`${key}: ${found.length} assets carry its marker (${found.join(', ')}); kept ${found[0]}`);
    } else {
      journal.append({ t: 'absent', item: key });
      report.event('reconciled', { item: key, asset_id: null });
    }
    delete s.pending;
  }
}

/** --wait and --publish over the items that have an asset (the journal remembers what was done already). */
export async function finish(
  client: Parameters<typeof markedAssets>[0],
  journal: Journal,
  items: string[],
  state: (key: string) => ItemState,
  report: Reporter,
  options: { wait?: boolean | undefined; publish?: boolean | undefined; timeScale: number },
): Promise<void> {
  const withAsset = items.filter((k) => state(k).asset);
  const itemOf = new Map(withAsset.map((k) => [state(k).asset!, k]));
  if (options.wait) {
    const waiting = withAsset.filter((k) => state(k).status === undefined).map((k) => state(k).asset!);
    const bar = report.bar('ready', withAsset.length, { value: withAsset.length - waiting.length });
    const left = await waitForAll(client, waiting, {
      pollMs: Math.max(20, 2000 / options.timeScale),
      timeScale: options.timeScale,
      timeoutMs: 6 * 3600_000,
      onFinal: (id, status, description) => {
        const key = itemOf.get(id)!;
        journal.append({ t: 'status', item: key, asset: id, status, ...(description ? { description } : {}) });
        state(key).status = status;
        report.event('ready', { item: key, asset_id: id, status });
        bar.increment();
      },
    });
    for (const id of left) report.fail(itemOf.get(id)!, `asset ${id} still processing after 6 h`);
    for (const key of withAsset) {
      const s = state(key);
      if (s.status && isFailedStatus(s.status)) report.fail(key, `asset ${s.asset} ended ${s.status}${s.statusDescription ? `: ${s.statusDescription}` : ''}`);
    }
  }
  if (options.publish) {
    const ready = withAsset.filter((k) => !state(k).published && (!options.wait || (state(k).status && !isFailedStatus(state(k).status!))));
    const published: string[] = [];
    const bar = report.bar('published', ready.length);
    await publishAll(client, ready.map((k) => state(k).asset!), false, options.timeScale, (id, ok, detail) => {
      const key = itemOf.get(id)!;
      if (ok) {
        published.push(key);
        report.event('published', { item: key, asset_id: id });
        bar.increment();
      } else report.fail(key, `publishing asset ${id}: ${detail}`);
    });
    if (published.length) journal.append({ t: 'published', items: published });
  }
}

/** Runs `work` over `items`, `concurrency` at a time. */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export { describe };
