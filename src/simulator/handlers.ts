/// <reference types="node" />
// The stateful operations of the simulator. Every other operation answers the spec's example of its success
// response (index.ts); STATEFUL lists those handled here. State is plain data (VodState) so that the handle can show
// it and reset it. Asset statuses move on the simulator's clock: they are brought up to date whenever an asset is
// read (advance), never by a timer, so that a test that advances the clock sees the change at once.
import { createHash, randomBytes } from 'node:crypto';
import type { Obs } from './obs.js';
import { CONTENT_TYPES } from '../helpers/upload.js';
import { loadSpec, type Json, type Route } from './spec.js';

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Asset statuses after which nothing happens by itself (the spec's x-failure-values are among them). */
const FAILED = new Set(['OBS_CREATE_FAILED', 'UPLOAD_FAILED', 'TRANSCODE_FAILED', 'SERVER_ERROR', 'DELETE_FAILED', 'CANCELLED']);

export interface SimAsset {
  asset_id: string;
  status: string;
  /** The status before PublishAssets, restored by UnpublishAssets. */
  unpublishedStatus: string;
  description?: string;
  title: string;
  assetDescription?: string;
  video_name: string;
  video_type: string;
  category_id: number;
  tags?: string;
  created: number;
  modified: number;
  origin: 'obs' | 'upload' | 'url';
  source?: { bucket: string; location: string; object: string };
  /** Upload: where the files go. */
  target?: { bucket: string; location: string; object: string };
  coverKey?: string;
  /** Simulated time at which the current transient status ends. */
  readyAt?: number;
  /** The status it ends in (a failure on demand: failAsset). */
  outcome?: { status: string; description?: string };
  template_group_name?: string;
  auto_publish: boolean;
  /** Deleted by DeleteAssets: kept so that ShowAssetMeta of its ID says DELETED; every other operation ignores it. */
  deleted?: boolean;
  /** Encrypted (auto_encrypt: 1): ShowAssetCipher has a key for it. */
  encrypted?: boolean;
  coverUrl?: string;
  /** Review (CreateAssetReviewTask): REVIEWING until this simulated time, then REVIEW_PASSED. */
  reviewUntil?: number;
  review?: unknown;
  /** An audio asset extracted from another one (CreateExtractAudioTask). */
  audioOf?: string;
  /** Created by an OBS hosting task (CreateTakeOverTask). */
  takeOver?: string;
  /** The video_md5 given for an upload (CheckMd5Duplication compares with it). */
  videoMd5?: string;
  size: number;
  duration: number;
}

export interface SimCategory {
  id: number;
  name: string;
  parent_id: number;
  level: number;
}

export interface SimWatermark {
  template: Record<string, unknown> & { id: string; name: string; type: string };
  created: number;
  objectKey: string;
  uploaded: boolean;
}

export interface SimPreheat {
  task_id: string;
  urls: string[];
  readyAt: number;
}

export interface SimTakeOver {
  task: Record<string, unknown> & { task_id: string; bucket: string; object: string };
  created: number;
  readyAt: number;
  assetIds: string[];
}

export interface VodState {
  /** Buckets authorised by UpdateBucketAuthorized. */
  buckets: Set<string>;
  assets: Map<string, SimAsset>;
  categories: Map<number, SimCategory>;
  nextCategoryId: number;
  /** Transcoding template groups by group_id, as the request described them. */
  templateGroups: Map<string, Record<string, unknown> & { group_id: string; name: string }>;
  watermarks: Map<string, SimWatermark>;
  preheats: Map<string, SimPreheat>;
  takeOvers: Map<string, SimTakeOver>;
  nextTakeOverId: number;
}

export const newState = (): VodState => ({
  buckets: new Set(),
  assets: new Map(),
  categories: new Map(),
  nextCategoryId: 1001,
  templateGroups: new Map(),
  watermarks: new Map(),
  preheats: new Map(),
  takeOvers: new Map(),
  nextTakeOverId: 100,
});

export interface Context {
  route: Route;
  query: Record<string, unknown>;
  body: Json;
  projectId: string;
  state: VodState;
  obs: Obs;
  now: () => number;
  /** Simulated ms an OBS transfer, URL pull or transcoding takes. */
  processingMs: number;
  /** The VOD-side bucket of uploads. */
  uploadBucket: string;
  location: string;
  baseUrl: string;
  error: (code: string, detail?: string) => Answer;
}

const hex32 = () => randomBytes(16).toString('hex');
/** `yyyyMMddHHmmss` in UTC, as the pages write times. */
export const vodTime = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** Brings an asset's transient status up to date with the clock. */
export function advance(asset: SimAsset, now: number) {
  const readyAt = asset.readyAt;
  if (readyAt === undefined || now < readyAt) return;
  const done = asset.outcome ?? { status: asset.status === 'OBS_CREATING' ? 'OBS_CREATE_SUCCESS' : asset.status === 'TRANSCODING' ? 'TRANSCODE_SUCCEED' : 'CREATED' };
  asset.readyAt = undefined;
  asset.outcome = undefined;
  asset.status = done.status;
  asset.unpublishedStatus = done.status;
  if (done.description) asset.description = done.description;
  asset.modified = readyAt;
  if (!FAILED.has(done.status) && asset.auto_publish) asset.status = 'PUBLISHED';
}

const categoryName = (state: VodState, id: number) => (id === -1 ? '其他' : (state.categories.get(id)?.name ?? '其他'));

function cdn(ctx: Context, a: SimAsset, file: string) {
  return `${ctx.baseUrl}/_cdn/asset/${a.asset_id}/${file}`;
}

function baseInfo(ctx: Context, a: SimAsset) {
  const ready = !a.readyAt && !FAILED.has(a.status);
  return {
    title: a.title,
    video_name: a.video_name,
    ...(a.assetDescription !== undefined ? { description: a.assetDescription } : {}),
    category_id: a.category_id,
    category_name: categoryName(ctx.state, a.category_id),
    create_time: vodTime(a.created),
    last_modified: vodTime(a.modified),
    video_type: a.video_type,
    ...(a.tags !== undefined ? { tags: a.tags } : {}),
    ...(ready ? { meta_data: { codec: 'H.264', duration: a.duration, video_size: a.size, width: 1280, hight: 720, bit_rate: 800, frame_rate: 6, quality: 'HD' } } : {}),
    ...(ready ? { video_url: cdn(ctx, a, `original.${a.video_type.toLowerCase()}`), cover_info_array: [{ cover_url: a.coverUrl ?? cdn(ctx, a, 'cover/Cover0.jpg') }] } : {}),
    ...(a.source ? { source_path: a.source } : {}),
  };
}

function assetInfo(ctx: Context, a: SimAsset) {
  return {
    asset_id: a.asset_id,
    status: a.status,
    ...(a.description ? { description: a.description } : {}),
    base_info: baseInfo(ctx, a),
    ...(a.status === 'PUBLISHED' ? { play_info_array: [{ play_type: 'hls', url: cdn(ctx, a, 'play_video/index.m3u8'), encrypted: 0 }] } : {}),
  };
}

/** ListAssetList's coarser status (AssetSummary.asset_status). */
function summaryStatus(a: SimAsset): string {
  if (a.status === 'PUBLISHED') return 'PUBLISHED';
  if (FAILED.has(a.status)) return 'FAILED';
  if (a.readyAt !== undefined || a.status === 'CREATING') return 'CREATING';
  return 'CREATED';
}

function summary(ctx: Context, a: SimAsset) {
  return {
    asset_id: a.asset_id,
    title: a.title,
    ...(a.assetDescription !== undefined ? { description: a.assetDescription } : {}),
    duration: a.duration,
    size: a.size,
    category: categoryName(ctx.state, a.category_id),
    covers: summaryStatus(a) === 'CREATING' || summaryStatus(a) === 'FAILED' ? [] : [{ cover_url: cdn(ctx, a, 'cover/Cover0.jpg') }],
    create_time: vodTime(a.created),
    asset_status: summaryStatus(a),
    transcode_status: a.status === 'TRANSCODING' ? 'TRANSCODING' : a.status === 'TRANSCODE_SUCCEED' ? 'TRANSCODE_SUCCEED' : a.status === 'TRANSCODE_FAILED' ? 'TRANSCODE_FAILED' : 'UN_TRANSCODE',
    thumbnail_status: 'UN_THUMBNAIL',
    review_status: a.reviewUntil === undefined ? 'UN_REVIEW' : ctx.now() < a.reviewUntil ? 'REVIEWING' : 'REVIEW_PASSED',
    ...(isMediaType(a.video_type.toUpperCase()) ? { media_type: a.video_type.toUpperCase() } : {}),
  };
}

/**
 * The filters both asset queries take: creation time window (yyyyMMddHHmmss), category, tags (any of them),
 * query_string (in the title), media_type (ListAssetList) and assetStatus (ShowAssetMeta: published or not).
 */
function filtered(ctx: Context, list: SimAsset[]): SimAsset[] {
  const q = ctx.query;
  const tags = typeof q.tags === 'string' && q.tags ? q.tags.split(',') : [];
  const media = Array.isArray(q.media_type) ? q.media_type.map(String) : [];
  const published = Array.isArray(q.assetStatus) ? q.assetStatus.map(String) : [];
  return list.filter(
    (a) =>
      (typeof q.start_time !== 'string' || vodTime(a.created) >= q.start_time) &&
      (typeof q.end_time !== 'string' || vodTime(a.created) <= q.end_time) &&
      (typeof q.category_id !== 'number' || a.category_id === q.category_id) &&
      (!tags.length || (a.tags ?? '').split(',').some((t) => tags.includes(t))) &&
      (typeof q.query_string !== 'string' || a.title.includes(q.query_string)) &&
      (!media.length || media.includes(a.video_type.toUpperCase())) &&
      (!published.length || published.includes(a.status === 'PUBLISHED' ? 'PUBLISHED' : 'CREATED')),
  );
}

// The media types an asset can have: AssetSummary.media_type's enum, read from the spec (a hosted file must be one).
let mediaTypes: ReadonlySet<string> | undefined;
const isMediaType = (type: string) =>
  (mediaTypes ??= new Set<string>(loadSpec().components.schemas.AssetSummary.properties.media_type.enum)).has(type);
const extension = (key: string) => (/\.([^./]+)$/.exec(key)?.[1] ?? '').toUpperCase();

const ids = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);
const page = (query: Record<string, unknown>) => ({
  page: typeof query.page === 'number' ? query.page : 0,
  size: typeof query.size === 'number' ? query.size : 10,
});

// Upload Content-Type by video_type: the client's table (示例1 表1, and the audio types), so that what the simulator
// signs is what uploadAsset sends.
export const uploadContentType = (videoType: string) =>
  CONTENT_TYPES[videoType.toUpperCase() as keyof typeof CONTENT_TYPES] ?? 'application/octet-stream';

/** A new upload object for the asset's video and its presigned PUT URL. */
function presignVideo(ctx: Context, asset: SimAsset, videoType: string, md5: string | undefined): string {
  const object = `${ctx.projectId}/${asset.asset_id}/${hex32()}.${String(videoType).toLowerCase()}`;
  asset.target = { bucket: ctx.uploadBucket, location: ctx.location, object };
  return ctx.obs.presign({ method: 'PUT', bucket: ctx.uploadBucket, key: object, contentType: uploadContentType(videoType), ...(md5 ? { contentMd5: md5 } : {}) });
}

/** Presigned PUT URLs of a cover (cover_type) and subtitles, as the request names them. */
function presignExtras(ctx: Context, asset: SimAsset, b: Json): { cover_upload_url?: string; subtitle_upload_urls?: string[] } {
  const out: { cover_upload_url?: string; subtitle_upload_urls?: string[] } = {};
  if (b.cover_type) {
    asset.coverKey = `${ctx.projectId}/${asset.asset_id}/cover/Cover0.${String(b.cover_type).toLowerCase()}`;
    out.cover_upload_url = ctx.obs.presign({
      method: 'PUT',
      bucket: ctx.uploadBucket,
      key: asset.coverKey,
      contentType: String(b.cover_type).toUpperCase() === 'PNG' ? 'image/png' : 'image/jpeg',
      ...(b.cover_md5 ? { contentMd5: b.cover_md5 } : {}),
    });
  }
  const subtitles: Json[] = Array.isArray(b.subtitles) ? b.subtitles : [];
  if (subtitles.length) {
    out.subtitle_upload_urls = subtitles.map((s) =>
      ctx.obs.presign({
        method: 'PUT',
        bucket: ctx.uploadBucket,
        key: `${ctx.projectId}/${asset.asset_id}/subtitle/${s.id}.${String(s.type ?? 'srt').toLowerCase()}`,
        contentType: 'application/octet-stream',
        ...(s.md5 ? { contentMd5: s.md5 } : {}),
      }),
    );
  }
  return out;
}

function newAsset(ctx: Context, fields: Partial<SimAsset> & Pick<SimAsset, 'title' | 'video_type' | 'origin' | 'status'>): SimAsset {
  const now = ctx.now();
  const asset: SimAsset = {
    asset_id: hex32(),
    unpublishedStatus: fields.status,
    video_name: fields.title,
    category_id: -1,
    created: now,
    modified: now,
    auto_publish: false,
    size: 4_942_645,
    duration: 131,
    ...fields,
  };
  ctx.state.assets.set(asset.asset_id, asset);
  return asset;
}

/** The asset, brought up to date; undefined when unknown. */
function find(ctx: Context, id: string): SimAsset | undefined {
  const a = ctx.state.assets.get(id);
  if (!a || a.deleted) return undefined;
  advance(a, ctx.now());
  return a;
}

type Handler = (ctx: Context) => Answer;

const ok = (body?: unknown, status = 200): Answer => ({ status, ...(body !== undefined ? { body } : {}) });

export const handlers: Record<string, Handler> = {
  UpdateBucketAuthorized(ctx) {
    const { bucket, operation } = ctx.body;
    if (operation === '1') ctx.state.buckets.add(bucket);
    else ctx.state.buckets.delete(bucket);
    return ok();
  },

  PublishAssetFromObs(ctx) {
    const b = ctx.body;
    if (!ctx.state.buckets.has(b.input.bucket)) return ctx.error('VOD.10114', `bucket ${b.input.bucket} is not authorised (UpdateBucketAuthorized)`);
    const object = ctx.obs.get(b.input.bucket, b.input.object);
    const asset = newAsset(ctx, {
      title: b.title,
      video_type: b.video_type,
      video_name: String(b.input.object).split('/').pop() || b.title,
      origin: 'obs',
      status: 'OBS_CREATING',
      source: { bucket: b.input.bucket, location: b.input.location, object: b.input.object },
      readyAt: ctx.now() + ctx.processingMs,
      ...(b.description !== undefined ? { assetDescription: b.description } : {}),
      ...(typeof b.category_id === 'number' ? { category_id: b.category_id } : {}),
      ...(b.tags !== undefined ? { tags: b.tags } : {}),
      ...(b.template_group_name ? { template_group_name: b.template_group_name } : {}),
      auto_publish: b.auto_publish === 1,
      encrypted: b.auto_encrypt === 1,
      ...(object ? { size: object.size } : {}),
    });
    if (!object) asset.outcome = { status: 'OBS_CREATE_FAILED', description: `The source object does not exist: ${b.input.bucket}/${b.input.object}` };
    else if (object.broken) asset.outcome = { status: 'OBS_CREATE_FAILED', description: `The source object cannot be read: ${b.input.bucket}/${b.input.object}` };
    return ok({ asset_id: asset.asset_id });
  },

  ShowAssetMeta(ctx) {
    const wanted = ids(ctx.query.asset_id);
    const statuses = ids(ctx.query.status);
    const { page: p, size } = page(ctx.query);
    // Deleted assets are listed (as DELETED) only when asked for by ID.
    let list = [...ctx.state.assets.values()].filter((a) => (wanted.length ? wanted.includes(a.asset_id) : !a.deleted));
    for (const a of list) advance(a, ctx.now());
    if (statuses.length) list = list.filter((a) => statuses.includes(a.status));
    list = filtered(ctx, list);
    const found = list.slice(p * size, (p + 1) * size).map((a) => assetInfo(ctx, a));
    // An ID asked for that is unknown is listed as NO_ASSET, as the page's table allows (该媒资不存在).
    const unknown = wanted.filter((id) => !ctx.state.assets.has(id)).map((id) => ({ asset_id: id, status: 'NO_ASSET', description: 'The asset does not exist.' }));
    const total = list.length;
    return ok({ asset_info_array: [...found, ...(p === 0 ? unknown : [])], is_truncated: (p + 1) * size < total ? 1 : 0, total });
  },

  ShowAssetDetail(ctx) {
    const a = find(ctx, String(ctx.query.asset_id));
    if (!a) return ctx.error('VOD.10062', `asset ${String(ctx.query.asset_id)}`);
    // `categories` selects the parts (all of them when absent); each is there once it has something to say.
    const wanted = ids(ctx.query.categories);
    const part = (name: string) => !wanted.length || wanted.includes(name);
    const transcodeStatus = summary(ctx, a).transcode_status;
    const reviewStatus = a.reviewUntil === undefined ? undefined : ctx.now() < a.reviewUntil ? 'REVIEWING' : 'REVIEW_PASSED';
    return ok({
      asset_id: a.asset_id,
      ...(part('base_info') ? { base_info: baseInfo(ctx, a) } : {}),
      ...(part('transcode_info') && transcodeStatus !== 'UN_TRANSCODE'
        ? {
            transcode_info: {
              ...(a.template_group_name ? { template_group_name: a.template_group_name } : {}),
              output: transcodeStatus === 'TRANSCODE_SUCCEED' ? [{ play_type: 'hls', url: cdn(ctx, a, 'play_video/index.m3u8'), encrypted: a.encrypted ? 1 : 0, quality: 'HD' }] : [],
              exec_desc: transcodeStatus === 'TRANSCODE_SUCCEED' ? 'Transcode success' : 'Transcoding',
              transcode_status: transcodeStatus,
            },
          }
        : {}),
      ...(part('review_info') && reviewStatus
        ? { review_info: { ...(reviewStatus === 'REVIEW_PASSED' ? { suggestion: 'pass' } : {}), review_status: reviewStatus, exec_desc: reviewStatus === 'REVIEW_PASSED' ? 'Review success' : 'Reviewing' } }
        : {}),
    });
  },

  ListAssetList(ctx) {
    const wanted = ids(ctx.query.asset_id);
    const statuses = ids(ctx.query.status);
    const { page: p, size } = page(ctx.query);
    let list = [...ctx.state.assets.values()].filter((a) => !a.deleted);
    for (const a of list) advance(a, ctx.now());
    if (wanted.length) list = list.filter((a) => wanted.includes(a.asset_id));
    if (statuses.length) list = list.filter((a) => statuses.includes(summaryStatus(a)));
    list = filtered(ctx, list);
    list.sort((x, y) => (ctx.query.order === 'asc' ? x.created - y.created : y.created - x.created));
    return ok({ total: list.length, assets: list.slice(p * size, (p + 1) * size).map((a) => summary(ctx, a)) });
  },

  UpdateAssetMeta(ctx) {
    const b = ctx.body;
    const a = find(ctx, b.asset_id);
    if (!a) return ctx.error('VOD.10062', `asset ${b.asset_id}`);
    if (b.title !== undefined) a.title = b.title;
    if (b.description !== undefined) a.assetDescription = b.description;
    if (b.category_id !== undefined) a.category_id = b.category_id;
    if (b.tags !== undefined) a.tags = b.tags;
    a.modified = ctx.now();
    return ok(undefined, 204);
  },

  PublishAssets(ctx) {
    return ok({
      asset_info_array: ids(ctx.body.asset_id).map((id) => {
        const a = find(ctx, id);
        if (!a) return { asset_id: id, status: 'UNCREATED', description: 'The asset does not exist.' };
        // Only an asset whose files are there can be published; one still being processed keeps its status.
        if (a.readyAt === undefined && !FAILED.has(a.status) && a.status !== 'CREATING') {
          if (a.status !== 'PUBLISHED') a.unpublishedStatus = a.status;
          a.status = 'PUBLISHED';
          a.modified = ctx.now();
        }
        return assetInfo(ctx, a);
      }),
    });
  },

  UnpublishAssets(ctx) {
    return ok({
      asset_info_array: ids(ctx.body.asset_id).map((id) => {
        const a = find(ctx, id);
        if (!a) return { asset_id: id, status: 'NO_ASSET', description: 'The asset does not exist.' };
        if (a.status === 'PUBLISHED') {
          a.status = a.unpublishedStatus === 'PUBLISHED' ? 'CREATED' : a.unpublishedStatus;
          a.modified = ctx.now();
        }
        return assetInfo(ctx, a);
      }),
    });
  },

  DeleteAssets(ctx) {
    return ok({
      delete_result_array: ids(ctx.query.asset_id).map((id) => {
        const a = find(ctx, id);
        if (!a) return { asset_id: id, status: 'UNKNOW' };
        a.deleted = true;
        a.status = a.unpublishedStatus = 'DELETED';
        a.readyAt = undefined;
        a.modified = ctx.now();
        return { asset_id: id, status: 'DELETED' };
      }),
    });
  },

  CreateAssetByFileUpload(ctx) {
    const b = ctx.body;
    const asset = newAsset(ctx, {
      title: b.title,
      video_type: b.video_type,
      video_name: b.video_name,
      origin: 'upload',
      status: 'CREATING',
      ...(b.description !== undefined ? { assetDescription: b.description } : {}),
      ...(b.category_id !== undefined && /^-?\d+$/.test(String(b.category_id)) ? { category_id: Number(b.category_id) } : {}),
      ...(b.tags !== undefined ? { tags: b.tags } : {}),
      ...(b.template_group_name ? { template_group_name: b.template_group_name } : {}),
      auto_publish: b.auto_publish === 1,
      encrypted: b.auto_encrypt === 1,
      ...(b.video_md5 ? { videoMd5: b.video_md5 } : {}),
    });
    const video = presignVideo(ctx, asset, b.video_type, b.video_md5);
    const extras = presignExtras(ctx, asset, b);
    return ok({ asset_id: asset.asset_id, video_upload_url: video, ...extras, target: asset.target });
  },

  UpdateAsset(ctx) {
    // Replace an asset's files: a new video (then the asset is CREATING until ConfirmAssetUpload), cover, subtitles.
    const b = ctx.body;
    const a = find(ctx, b.asset_id);
    if (!a) return ctx.error('VOD.10062', `asset ${b.asset_id}`);
    let video_upload_url: string | undefined;
    if (b.video_type || b.video_name || b.video_md5) {
      if (b.video_type) a.video_type = b.video_type;
      if (b.video_name) a.video_name = b.video_name;
      if (b.video_md5) a.videoMd5 = b.video_md5;
      a.origin = 'upload';
      a.status = a.unpublishedStatus = 'CREATING';
      a.readyAt = undefined;
      video_upload_url = presignVideo(ctx, a, a.video_type, b.video_md5);
    }
    a.modified = ctx.now();
    return ok({ asset_id: a.asset_id, ...(video_upload_url ? { video_upload_url, target: a.target } : {}), ...presignExtras(ctx, a, b) });
  },

  CheckMd5Duplication(ctx) {
    // Compared with the video_md5 given when each asset was created (and the size uploaded): the simulator has no
    // file bytes to sample as VOD does.
    const md5 = String(ctx.query.md5);
    const size = Number(ctx.query.size);
    const asset_ids = [...ctx.state.assets.values()].filter((a) => !a.deleted && a.videoMd5 === md5 && a.size === size).map((a) => a.asset_id);
    return ok({ is_duplicated: asset_ids.length ? 1 : 0, asset_ids });
  },

  ShowAssetTempAuthority(ctx) {
    const q = ctx.query;
    const bucket = String(q.bucket);
    const key = String(q.object_key);
    // Only the object of an asset being uploaded can be presigned (VOD.10135).
    const asset = [...ctx.state.assets.values()].find((a) => !a.deleted && a.target?.bucket === bucket && a.target.object === key);
    if (!asset) return ctx.error('VOD.10062', `no asset has the upload object ${bucket}/${key} (CreateAssetByFileUpload's target)`);
    advance(asset, ctx.now());
    if (asset.status !== 'CREATING') return ctx.error('VOD.10135', `asset ${asset.asset_id} is ${asset.status}`);
    const verb = String(q.http_verb);
    const uploadId = q.upload_id === undefined ? undefined : String(q.upload_id);
    let subresource: string | undefined;
    if (verb === 'POST' && !uploadId) subresource = 'uploads';
    else if (verb === 'PUT' && uploadId) subresource = `partNumber=${q.part_number ?? 1}&uploadId=${uploadId}`;
    else if (uploadId) subresource = `uploadId=${uploadId}`;
    const sign_str = ctx.obs.presign({
      method: verb,
      bucket,
      key,
      ...(q.content_type !== undefined ? { contentType: String(q.content_type) } : {}),
      ...(q.content_md5 !== undefined ? { contentMd5: String(q.content_md5) } : {}),
      ...(subresource ? { subresource } : {}),
    });
    return ok({ sign_str });
  },

  ConfirmAssetUpload(ctx) {
    const { asset_id, status } = ctx.body;
    const a = find(ctx, asset_id);
    if (!a) return ctx.error('VOD.10062', `asset ${asset_id}`);
    if (a.origin !== 'upload' || a.status !== 'CREATING') return ctx.error('VOD.10083', `asset ${asset_id} is ${a.status}, not being uploaded`);
    const now = ctx.now();
    a.modified = now;
    if (status === 'CANCELLED') a.status = a.unpublishedStatus = 'CANCELLED';
    else if (status === 'FAILED') a.status = a.unpublishedStatus = 'UPLOAD_FAILED';
    else {
      const uploaded = a.target && ctx.obs.objects.get(`${a.target.bucket}/${a.target.object}`);
      if (!uploaded) {
        // Confirmed without the file: the asset fails as VOD finds no object (上传失败（向OBS上传失败）).
        a.status = a.unpublishedStatus = 'UPLOAD_FAILED';
        a.description = `The video was not uploaded to ${a.target?.bucket}/${a.target?.object} before ConfirmAssetUpload.`;
      } else {
        a.size = uploaded.size;
        if (a.template_group_name) {
          a.status = a.unpublishedStatus = 'TRANSCODING';
          a.readyAt = now + ctx.processingMs;
        } else {
          a.status = a.unpublishedStatus = 'CREATED';
          if (a.auto_publish) a.status = 'PUBLISHED';
        }
      }
    }
    return ok({ asset_id });
  },

  CreateAssetCategory(ctx) {
    const { name, parent_id } = ctx.body;
    const parentId = typeof parent_id === 'number' ? parent_id : 0;
    let level = 1;
    if (parentId !== 0) {
      const parent = ctx.state.categories.get(parentId);
      if (!parent) return ctx.error('VOD.10062', `parent category ${parentId}`);
      if (parent.level >= 3) return ctx.error('VOD.10053', 'parent_id: a category tree has at most three levels');
      level = parent.level + 1;
    }
    const category: SimCategory = { id: ctx.state.nextCategoryId++, name, parent_id: parentId, level };
    ctx.state.categories.set(category.id, category);
    return ok({ ...category, projectId: ctx.projectId });
  },

  UpdateAssetCategory(ctx) {
    const c = ctx.state.categories.get(ctx.body.id);
    if (!c) return ctx.error('VOD.10062', `category ${ctx.body.id}`);
    c.name = ctx.body.name;
    return ok({ ...c, projectId: ctx.projectId });
  },

  DeleteAssetCategory(ctx) {
    const id = Number(ctx.query.id);
    if (!ctx.state.categories.has(id)) return ctx.error('VOD.10062', `category ${id}`);
    // A category and everything under it goes; its assets move to the preset "other" category (-1).
    const gone = new Set([id]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const c of ctx.state.categories.values()) if (gone.has(c.parent_id) && !gone.has(c.id)) (gone.add(c.id), (grew = true));
    }
    for (const g of gone) ctx.state.categories.delete(g);
    for (const a of ctx.state.assets.values()) if (gone.has(a.category_id)) a.category_id = -1;
    return ok(undefined, 204);
  },

  ListAssetCategory(ctx) {
    const tree = (c: SimCategory): Json => ({
      id: String(c.id),
      name: c.name,
      children: [...ctx.state.categories.values()].filter((x) => x.parent_id === c.id).map(tree),
    });
    const id = typeof ctx.query.id === 'number' ? ctx.query.id : 0;
    if (id === 0) return ok([...ctx.state.categories.values()].filter((c) => c.parent_id === 0).map(tree));
    const c = ctx.state.categories.get(id);
    if (!c) return ctx.error('VOD.10062', `category ${id}`);
    return ok([tree(c)]);
  },

  UploadMetaDataByUrl(ctx) {
    // URL pull (URL拉取注入): each URL becomes an asset that is CREATING until the pull ends.
    const items: Json[] = ctx.body.upload_metadatas;
    return ok({
      upload_assets: items.map((m) => {
        const asset = newAsset(ctx, {
          title: m.title,
          video_type: m.video_type,
          video_name: String(m.url).split('?')[0]!.split('/').pop() || m.title,
          origin: 'url',
          status: 'CREATING',
          readyAt: ctx.now() + ctx.processingMs,
          ...(m.description !== undefined ? { assetDescription: m.description } : {}),
          ...(typeof m.category_id === 'number' ? { category_id: m.category_id } : {}),
          ...(m.tags !== undefined ? { tags: m.tags } : {}),
          auto_publish: m.auto_publish === 1,
          encrypted: m.auto_encrypt === 1,
        });
        return { url: m.url, asset_id: asset.asset_id };
      }),
    });
  },

  CreateSmartCover(ctx) {
    if (!find(ctx, ctx.body.asset_id)) return ctx.error('VOD.10062', `asset ${ctx.body.asset_id}`);
    return ok(undefined, 204);
  },

  UpdateCoverByThumbnail(ctx) {
    // The thumbnail URL names its asset (…/asset/<asset_id>/snapshot/…): that asset gets it as its cover. A URL of
    // no asset the simulator knows is accepted and changes nothing (VOD takes any of its own snapshot URLs).
    const url = String(ctx.body.thumbnailUrl);
    const id = /\/asset\/([0-9a-f]{32})\//.exec(url)?.[1];
    const a = id ? find(ctx, id) : undefined;
    if (a) {
      a.coverUrl = url;
      a.modified = ctx.now();
    }
    return ok(undefined, 204);
  },

  CreateAssetProcessTask(ctx) {
    const a = find(ctx, ctx.body.asset_id);
    if (!a) return ctx.error('VOD.10062', `asset ${ctx.body.asset_id}`);
    if (a.readyAt !== undefined || FAILED.has(a.status) || a.status === 'CREATING') return ctx.error('VOD.10083', `asset ${a.asset_id} is ${a.status}`);
    a.unpublishedStatus = a.status === 'PUBLISHED' ? a.unpublishedStatus : a.status;
    a.status = 'TRANSCODING';
    a.readyAt = ctx.now() + ctx.processingMs;
    if (ctx.body.template_group_name) a.template_group_name = ctx.body.template_group_name;
    if (ctx.body.auto_encrypt === 1) a.encrypted = true;
    return ok({ asset_id: a.asset_id }, 202);
  },

  CancelAssetTranscodeTask(ctx) {
    const a = find(ctx, String(ctx.query.asset_id));
    if (!a) return ctx.error('VOD.10062', `asset ${String(ctx.query.asset_id)}`);
    if (a.status !== 'TRANSCODING') return ctx.error('VOD.10083', `asset ${a.asset_id} is ${a.status}, not TRANSCODING`);
    a.readyAt = undefined;
    a.outcome = undefined;
    a.status = a.unpublishedStatus = 'CREATED';
    a.modified = ctx.now();
    return ok(undefined, 204);
  },

  CreateExtractAudioTask(ctx) {
    const a = find(ctx, ctx.body.asset_id);
    if (!a) return ctx.error('VOD.10062', `asset ${ctx.body.asset_id}`);
    const format = String(ctx.body.parameter?.format ?? 'MP3');
    const audio = newAsset(ctx, {
      title: `${a.title} (audio)`,
      video_type: format,
      video_name: `${a.video_name.replace(/\.[^.]*$/, '')}.${format.toLowerCase()}`,
      origin: 'url',
      status: 'CREATING',
      readyAt: ctx.now() + ctx.processingMs,
      audioOf: a.asset_id,
    });
    return ok({ asset_id: a.asset_id, audio_asset_id: audio.asset_id }, 202);
  },

  CancelExtractAudioTask(ctx) {
    const id = String(ctx.query.asset_id);
    if (!find(ctx, id)) return ctx.error('VOD.10062', `asset ${id}`);
    const running = [...ctx.state.assets.values()].find((x) => x.audioOf === id && !x.deleted && x.readyAt !== undefined);
    if (!running) return ctx.error('VOD.10083', `asset ${id} has no audio extraction running`);
    running.deleted = true;
    running.readyAt = undefined;
    running.status = running.unpublishedStatus = 'CANCELLED';
    return ok(undefined, 204);
  },

  CreateAssetReviewTask(ctx) {
    const a = find(ctx, ctx.body.asset_id);
    if (!a) return ctx.error('VOD.10062', `asset ${ctx.body.asset_id}`);
    a.review = ctx.body.review;
    a.reviewUntil = ctx.now() + ctx.processingMs;
    return ok({ asset_id: a.asset_id, review: ctx.body.review });
  },

  ShowAssetCipher(ctx) {
    const a = find(ctx, String(ctx.query.asset_id));
    if (!a) return ctx.error('VOD.10062', `asset ${String(ctx.query.asset_id)}`);
    if (!a.encrypted) return ctx.error('VOD.10101', `asset ${a.asset_id} was not created or processed with auto_encrypt: 1`);
    // A key derived from the asset ID: the same on every call, different per asset.
    const digest = createHash('sha256').update(`simulator-key:${a.asset_id}`).digest();
    return ok({ asset_id: a.asset_id, edk: digest.toString('hex') + createHash('sha256').update(digest).digest('hex'), dk: digest.subarray(0, 16).toString('base64') });
  },

  CreatePreheatingAsset(ctx) {
    const urls: string[] = [...(Array.isArray(ctx.body.urls) ? ctx.body.urls : [])];
    if (ctx.body.asset_id !== undefined) {
      const a = find(ctx, ctx.body.asset_id);
      if (!a) return ctx.error('VOD.10062', `asset ${ctx.body.asset_id}`);
      urls.push(cdn(ctx, a, `original.${a.video_type.toLowerCase()}`));
    }
    const task: SimPreheat = { task_id: hex32(), urls, readyAt: ctx.now() + ctx.processingMs };
    ctx.state.preheats.set(task.task_id, task);
    return ok({ task_id: task.task_id }, 202);
  },

  ShowPreheatingAsset(ctx) {
    const task = ctx.state.preheats.get(String(ctx.query.task_id));
    if (!task) return ctx.error('VOD.10062', `preheating task ${String(ctx.query.task_id)}`);
    const status = ctx.now() < task.readyAt ? 'processing' : 'succeed';
    return ok({ preheating_results: task.urls.map((url) => ({ url, status })) }, 202);
  },

  CreateTemplateGroup(ctx) {
    const b = ctx.body;
    // Names are not checked for uniqueness: the page documents no error code for a duplicate.
    const group = { status: '0', auto_encrypt: 0, quality_info_list: [], watermark_template_ids: [], ...b, group_id: hex32() };
    ctx.state.templateGroups.set(group.group_id, group);
    // 204 as the page says, with the body it documents; node:http (like many clients) drops a 204's body.
    return ok({ group_id: group.group_id }, 204);
  },

  ListTemplateGroup(ctx) {
    const { page: p, size } = page(ctx.query);
    const list = [...ctx.state.templateGroups.values()].filter(
      (g) => (ctx.query.group_id === undefined || g.group_id === ctx.query.group_id) && (ctx.query.status === undefined || g.status === ctx.query.status),
    );
    return ok({ template_group_list: list.slice(p * size, (p + 1) * size), total: list.length });
  },

  UpdateTemplateGroup(ctx) {
    const g = ctx.state.templateGroups.get(ctx.body.group_id);
    if (!g) return ctx.error('VOD.10062', `template group ${ctx.body.group_id}`);
    Object.assign(g, ctx.body);
    return ok(undefined, 204);
  },

  DeleteTemplateGroup(ctx) {
    if (!ctx.state.templateGroups.delete(String(ctx.query.group_id))) return ctx.error('VOD.10062', `template group ${String(ctx.query.group_id)}`);
    return ok(undefined, 204);
  },

  CreateWatermarkTemplate(ctx) {
    const b = ctx.body;
    const id = hex32();
    const type = String(b.type).toUpperCase();
    const objectKey = `${ctx.projectId}/watermark/${id}.${type.toLowerCase()}`;
    const { md5, ...fields } = b;
    ctx.state.watermarks.set(id, { template: { watermark_type: 'IMAGE', ...fields, type, id }, created: ctx.now(), objectKey, uploaded: false });
    const upload_url = ctx.obs.presign({
      method: 'PUT',
      bucket: ctx.uploadBucket,
      key: objectKey,
      contentType: type === 'PNG' ? 'image/png' : 'image/jpeg',
      ...(md5 ? { contentMd5: md5 } : {}),
    });
    return ok({ id, upload_url });
  },

  ConfirmImageUpload(ctx) {
    const w = ctx.state.watermarks.get(ctx.body.id);
    if (!w) return ctx.error('VOD.10062', `watermark template ${ctx.body.id}`);
    w.uploaded = ctx.body.status === 'SUCCEED' && Boolean(ctx.obs.objects.get(`${ctx.uploadBucket}/${w.objectKey}`));
    return ok({ id: w.template.id, ...(w.uploaded ? { image_url: `${ctx.baseUrl}/_cdn/${w.objectKey}` } : {}) });
  },

  ListWatermarkTemplate(ctx) {
    const { page: p, size } = page(ctx.query);
    const wanted = ids(ctx.query.id);
    const list = [...ctx.state.watermarks.values()].filter((w) => !wanted.length || wanted.includes(w.template.id));
    return ok({
      templates: list.slice(p * size, (p + 1) * size).map((w) => ({
        ...w.template,
        status: w.uploaded ? 0 : 1,
        create_time: vodTime(w.created),
        ...(w.uploaded ? { image_url: `${ctx.baseUrl}/_cdn/${w.objectKey}` } : {}),
      })),
      total: list.length,
    });
  },

  UpdateWatermarkTemplate(ctx) {
    const w = ctx.state.watermarks.get(ctx.body.id);
    if (!w) return ctx.error('VOD.10062', `watermark template ${ctx.body.id}`);
    Object.assign(w.template, ctx.body);
    return ok(undefined, 204);
  },

  DeleteWatermarkTemplate(ctx) {
    if (!ctx.state.watermarks.delete(String(ctx.query.id))) return ctx.error('VOD.10062', `watermark template ${String(ctx.query.id)}`);
    return ok(undefined, 204);
  },

  CreateTakeOverTask(ctx) {
    // OBS hosting (OBS托管): every object under `object` (a key, or a prefix) of an authorised bucket becomes an asset
    // in place; the task runs for processingMs of simulated time.
    const b = ctx.body;
    if (!ctx.state.buckets.has(b.bucket)) return ctx.error('VOD.10114', `bucket ${b.bucket} is not authorised (UpdateBucketAuthorized)`);
    const suffixes: string[] = Array.isArray(b.suffix) ? b.suffix.map((x: string) => x.toLowerCase()) : [];
    const listed = ctx.obs.list(b.bucket, b.object).map((o) => o.key);
    // Only audio and video files are hosted (托管音视频文件): those whose extension is a media type.
    const keys = (listed.length ? listed : ctx.obs.get(b.bucket, b.object) ? [b.object] : []).filter(
      (k) => isMediaType(extension(k)) && (!suffixes.length || suffixes.some((x) => k.toLowerCase().endsWith(`.${x.replace(/^\./, '')}`))),
    );
    const task_id = String(ctx.state.nextTakeOverId++);
    const now = ctx.now();
    const assetIds = keys.map((key) => {
      return newAsset(ctx, {
        title: key.split('/').pop() || key,
        video_type: extension(key),
        video_name: key.split('/').pop() || key,
        origin: 'obs',
        status: 'OBS_CREATING',
        readyAt: now + ctx.processingMs,
        source: { bucket: b.bucket, location: ctx.location, object: key },
        takeOver: task_id,
        ...(b.template_group_name ? { template_group_name: b.template_group_name } : {}),
      }).asset_id;
    });
    const { workflow_name: _workflow, ...fields } = b;
    ctx.state.takeOvers.set(task_id, { task: { suffix: [], ...fields, task_id }, created: now, readyAt: now + ctx.processingMs, assetIds });
    return ok({ task_id }, 202);
  },

  ListTakeOverTask(ctx) {
    const { page: p, size } = page(ctx.query);
    const now = ctx.now();
    const list = [...ctx.state.takeOvers.values()]
      .map((t) => ({
        ...t.task,
        create_time: vodTime(t.created),
        ...(now >= t.readyAt ? { end_time: vodTime(t.readyAt) } : {}),
        status: now >= t.readyAt ? 'SUCCEED' : 'PROCESSING',
      }))
      .filter((t) => (ctx.query.task_id === undefined || t.task_id === ctx.query.task_id) && (ctx.query.status === undefined || t.status === ctx.query.status));
    return ok({ tasks: list.slice(p * size, (p + 1) * size), total: list.length });
  },

  ShowTakeOverTaskDetails(ctx) {
    const t = ctx.state.takeOvers.get(String(ctx.query.task_id));
    if (!t) return ctx.error('VOD.10062', `hosting task ${String(ctx.query.task_id)}`);
    const { page: p, size } = page(ctx.query);
    const assets = t.assetIds.map((id) => find(ctx, id)).filter((a): a is SimAsset => Boolean(a));
    return ok({
      total: assets.length,
      task_id: t.task.task_id,
      task_status: ctx.now() >= t.readyAt ? 'SUCCEED' : 'PROCESSING',
      assets: assets.slice(p * size, (p + 1) * size).map((a) => hostedAsset(ctx, a)),
    });
  },

  ShowTakeOverAssetDetails(ctx) {
    const bucket = String(ctx.query.source_bucket);
    const object = String(ctx.query.source_object);
    const a = [...ctx.state.assets.values()].find((x) => x.takeOver && !x.deleted && x.source?.bucket === bucket && x.source.object === object);
    if (!a) return ctx.error('VOD.10062', `no hosted asset of ${bucket}/${object}`);
    advance(a, ctx.now());
    return ok(hostedAsset(ctx, a));
  },

  ShowVodStatistics(ctx) {
    // Origin statistics from the state: storage is the size of the assets that exist at each sample, transcoding
    // the duration of the assets created in its interval.
    const { start, interval, samples } = window(ctx, 3600);
    const assets = [...ctx.state.assets.values()];
    return ok({
      start_time: vodTime(start),
      interval,
      sample_data: samples.map((at) => ({
        storage: Math.round((assets.filter((a) => a.created <= at + interval * 1000 && !a.deleted).reduce((n, a) => n + a.size, 0) / 1024 ** 3) * 1000) / 1000,
        transcode: assets.filter((a) => a.created >= at && a.created < at + interval * 1000).reduce((n, a) => n + a.duration, 0),
      })),
    });
  },

  ShowCdnStatistics(ctx) {
    // Synthetic CDN figures, deterministic: the same query always gets the same numbers.
    const { start, interval, samples } = window(ctx, 3600);
    const type = String(ctx.query.stat_type);
    const rate = type.endsWith('hit_rate');
    return ok({
      start_time: vodTime(start),
      interval,
      values: samples.map((at) => {
        const n = createHash('sha256').update(`${ctx.projectId}|${type}|${String(ctx.query.domain)}|${at}`).digest().readUInt32BE(0);
        return rate ? 80 + (n % 21) : n % (type === 'req_num' ? 100_000 : 50_000_000);
      }),
    });
  },
};

/**
 * The sampling window of a statistics query: start_time rounded down to the hour (default: a day before the
 * simulated now), end_time (default now), interval (default `fallback`); at most 2000 samples.
 */
function window(ctx: Context, fallback: number) {
  const parse = (t: unknown) => {
    const m = typeof t === 'string' ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(t) : null;
    return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
  };
  const interval = typeof ctx.query.interval === 'number' ? ctx.query.interval : fallback;
  const end = parse(ctx.query.end_time) ?? ctx.now();
  const start = Math.floor((parse(ctx.query.start_time) ?? end - 86_400_000) / 3_600_000) * 3_600_000;
  const count = end < start ? 0 : Math.min(2000, Math.floor((end - start) / (interval * 1000)) + 1);
  return { start, interval, samples: Array.from({ length: count }, (_, i) => start + i * interval * 1000) };
}

/** An asset as the hosting pages describe it (AssetDetails). */
function hostedAsset(ctx: Context, a: SimAsset) {
  const s = summary(ctx, a);
  return { asset_id: a.asset_id, asset_status: s.asset_status, transcode_status: s.transcode_status, base_info: baseInfo(ctx, a) };
}

/** The operations with a stateful handler (the README lists them). */
export const STATEFUL = Object.keys(handlers);

export function snapshot(state: VodState, now: number) {
  for (const a of state.assets.values()) advance(a, now);
  return {
    buckets: [...state.buckets],
    assets: [...state.assets.values()].map((a) => ({ ...a })),
    categories: [...state.categories.values()].map((c) => ({ ...c })),
    templateGroups: [...state.templateGroups.values()].map((g) => ({ ...g })),
    watermarkTemplates: [...state.watermarks.values()].map((w) => ({ ...w.template, uploaded: w.uploaded })),
    preheatingTasks: [...state.preheats.values()].map((t) => ({ ...t })),
    hostingTasks: [...state.takeOvers.values()].map((t) => ({ ...t.task, assetIds: [...t.assetIds] })),
  };
}
