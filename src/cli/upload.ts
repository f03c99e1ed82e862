/// <reference types="node" />
// upload: every video or audio file given (folders recursively) becomes one asset through uploadAsset, journaled
// like transfer. Each file's upload keeps a checkpoint beside the journal (<journal>.<item hash>.ckpt) through a
// store that also writes the asset's ID into the journal once the checkpoint holds it, and records `created` before
// the checkpoint is cleared, so a rerun knows, whatever the moment of the crash:
// - a checkpoint: resume that upload (same asset, only the missing parts);
// - `created`: done;
// - an intent with neither: CreateAssetByFileUpload may have answered just before the kill, before its asset was
//   checkpointed. Such an asset has nothing uploaded and was never confirmed: it is found by the job's marker in its
//   description and deleted, then the file is uploaded anew.
import { readdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, resolve, join } from 'node:path';
import { fileCheckpoint, type CheckpointStore, type UploadState } from '../helpers/upload-checkpoint.js';
import { videoTypeOf } from '../helpers/upload.js';
import { callOnce, describe, hashOf, isFailedStatus } from './job.js';
import { Journal, replay, type ItemState } from './journal.js';
import type { Reporter } from './output.js';
import { setup, UsageError, type GlobalOptions } from './settings.js';
import { finish, pool, reconcile } from './transfer.js';

export interface UploadOptions {
  paths: string[];
  journal: string;
  title?: string;
  categoryId?: string;
  templateGroup?: string;
  tags?: string;
  description?: string;
  jobs: number;
  concurrency: number;
  wait?: boolean;
  publish?: boolean;
  /** Testing: parts of this many bytes and multipart above it (the defaults are 16 MiB and 20 MiB). */
  partSize?: number;
}

/** The media files of `paths`: files as given (refused when not media), folders walked recursively, sorted. */
export function mediaFiles(paths: string[], report: Reporter): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && videoTypeOf(entry.name)) files.push(full);
    }
  };
  for (const path of paths) {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      throw new UsageError(`${path}: no such file or folder`);
    }
    if (stats.isDirectory()) walk(resolve(path));
    else if (videoTypeOf(path)) files.push(resolve(path));
    else report.fail(resolve(path), 'not a video or audio file (by its extension)');
  }
  return [...new Set(files)];
}

export async function upload(global: GlobalOptions, options: UploadOptions, report: Reporter): Promise<number> {
  if (!options.paths.length) throw new UsageError('upload: give at least one file or folder');
  const files = mediaFiles(options.paths, report);
  if (options.title !== undefined && files.length > 1) throw new UsageError('--title: only with a single file (titles come from the file names otherwise)');
  const journal = Journal.open(options.journal, 'upload', {});
  try {
    return await run(global, options, files, report, journal);
  } finally {
    journal.close();
  }
}

async function run(global: GlobalOptions, options: UploadOptions, files: string[], report: Reporter, journal: Journal): Promise<number> {
  const { client, timeScale } = setup(global, journal.pacing());
  const states = replay(journal);
  const state = (key: string): ItemState => {
    let s = states.get(key);
    if (!s) states.set(key, (s = {}));
    return s;
  };
  const checkpointOf = (file: string) => `${journal.path}.${hashOf(file)}.ckpt`;
  report.event('job', { id: journal.job.id, kind: 'upload', items: files.length, journal: journal.path });

  const discard = async (file: string, assets: string[]) => {
    if (!assets.length) return;
    const outcome = await callOnce<{ delete_result_array?: { asset_id?: string; status?: string }[] }>(
      () => client.deleteAssets({ asset_id: assets } as never) as never, true, timeScale);
    if (!outcome.ok) throw new Error(`could not delete the unfinished asset(s) ${assets.join(', ')}: ${outcome.error}`);
    for (const id of assets) {
      journal.append({ t: 'discarded', item: file, asset: id });
      report.event('discarded', { item: file, asset_id: id, reason: 'created by an interrupted run, nothing uploaded' });
    }
  };

  // Intents of an earlier run with neither an asset nor a checkpoint: an asset found by marker is an orphan.
  const orphans = files.filter((f) => state(f).pending !== undefined && !state(f).asset && !state(f).uploading && !exists(checkpointOf(f)));
  await reconcile(client, journal, orphans, state, report, async (file, found) => {
    await discard(file, found);
    journal.append({ t: 'absent', item: file });
    delete state(file).pending;
  });

  /** Whether the asset was confirmed (its status is past uploading and not a failure). */
  const confirmed = async (assetId: string): Promise<boolean> => {
    const outcome = await callOnce<{ asset_info_array?: { asset_id?: string; status?: string }[] }>(
      () => client.showAssetMeta({ asset_id: [assetId] } as never) as never, true, timeScale);
    const status = outcome.ok ? outcome.data?.asset_info_array?.find((a) => a.asset_id === assetId)?.status : undefined;
    return status !== undefined && !['CREATING', 'UNCREATED', 'NO_ASSET', 'DELETED'].includes(status) && !isFailedStatus(status);
  };

  const done = () => files.filter((f) => state(f).asset);
  const bar = report.bar('uploaded', files.length, { value: done().length });
  const sizes = new Map(files.map((f) => [f, statSync(f).size]));
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const sent = new Map(done().map((f) => [f, sizes.get(f)!]));
  const bytesBar = report.bar('bytes', total, { bytes: true, value: [...sent.values()].reduce((a, b) => a + b, 0) });
  const progress = (file: string, bytes: number) => {
    sent.set(file, bytes);
    let sum = 0;
    for (const n of sent.values()) sum += n;
    bytesBar.update(sum);
  };

  const one = async (file: string) => {
    const s = state(file);
    if (s.asset) return;
    try {
      // Assets of earlier attempts that were given up, or whose checkpoint is gone, are deleted first.
      const stale = [...(s.discard ?? []), ...(s.uploading && !exists(checkpointOf(file)) ? [s.uploading] : [])];
      await discard(file, stale);
      s.discard = [];
      delete s.uploading;
      await journal.appendDurable({ t: 'intent', item: file });
      const store = journaledStore(fileCheckpoint(checkpointOf(file)), journal, file, s);
      const result = await client.uploadAsset(file, {
        title: options.title ?? titleOf(file),
        description: [options.description, journal.marker(file)].filter(Boolean).join('\n'),
        ...(options.categoryId !== undefined ? { category_id: options.categoryId } : {}),
        ...(options.templateGroup ? { template_group_name: options.templateGroup } : {}),
        ...(options.tags ? { tags: options.tags } : {}),
        concurrency: options.concurrency,
        checkpoint: store,
        ...(report.tty ? { onProgress: (p: { bytesSent: number }) => progress(file, p.bytesSent) } : {}),
        ...(options.partSize ? { partSize: options.partSize, multipartThreshold: options.partSize } : {}),
      } as never);
      s.asset = result.assetId;
      progress(file, sizes.get(file)!);
      bar.increment();
      report.event('uploaded', { item: file, asset_id: result.assetId, bytes: result.bytes, parts: result.parts });
    } catch (error) {
      const reason = describe(error);
      // Killed after the service took ConfirmAssetUpload CREATED but before its answer, the resumed upload confirms
      // again and is refused (VOD.10083: the asset is no longer being uploaded). The upload is then complete: the
      // asset's status says so.
      if (s.uploading && /ConfirmAssetUpload/.test(reason) && (await confirmed(s.uploading))) {
        const assetId = s.uploading;
        await journal.appendDurable({ t: 'created', item: file, asset: assetId, via: 'status' });
        s.asset = assetId;
        delete s.uploading;
        await rm(checkpointOf(file), { force: true });
        report.event('uploaded', { item: file, asset_id: assetId, resumed: 'confirmed before the interruption' });
        progress(file, sizes.get(file)!);
        bar.increment();
        return;
      }
      // uploadAsset gave the upload up (and cleaned up): its asset is deleted before another attempt.
      if (s.uploading) journal.append({ t: 'abandoned', item: file, asset: s.uploading });
      journal.append({ t: 'failed', item: file, error: reason });
      report.fail(file, reason);
    }
  };
  await pool(files.filter((f) => !state(f).asset), options.jobs, one);
  await finish(client, journal, files, state, report, { wait: options.wait, publish: options.publish, timeScale });
  return report.summary({ items: files.length, uploaded: files.filter((f) => state(f).asset).length });
}

const exists = (path: string): boolean => {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
};

const titleOf = (file: string): string => {
  const base = basename(file).replace(/\.[^.]+$/, '') || basename(file);
  let out = '';
  for (const ch of base) {
    if (Buffer.byteLength(out + ch) > 128) break;
    out += ch;
  }
  return out;
};

/**
 * The upload's checkpoint file, plus the journal: the asset's ID once the checkpoint holds it (so that an asset is
 * never known to the checkpoint only), and `created` before the checkpoint is removed after the confirmation.
 */
function journaledStore(file: CheckpointStore, journal: Journal, item: string, s: ItemState): CheckpointStore {
  let known: string | undefined = s.uploading;
  let last: UploadState | undefined;
  return {
    async load() {
      const loaded = await file.load();
      if (loaded && loaded.phase !== 'cancelled' && loaded.phase !== 'failed') {
        last = loaded;
        // The checkpoint was saved but the process died before the journal heard of its asset.
        if (loaded.assetId !== known) {
          known = loaded.assetId;
          s.uploading = loaded.assetId;
          journal.append({ t: 'asset', item, asset: loaded.assetId });
        }
      }
      return loaded;
    },
    async save(state) {
      await file.save(state);
      last = state;
      if (state.assetId !== known) {
        known = state.assetId;
        s.uploading = state.assetId;
        await journal.appendDurable({ t: 'asset', item, asset: state.assetId });
      }
    },
    async clear() {
      const assetId = last?.assetId ?? known;
      await journal.appendDurable({ t: 'created', item, asset: assetId });
      delete s.pending;
      await file.clear?.();
    },
  };
}

export { describe };
