// uploadAsset: a local file (or Blob, or bytes) becomes a VOD asset. CreateAssetByFileUpload, then either one PUT to
// the presigned video_upload_url (up to multipartThreshold) or an OBS multipart upload in which every OBS request
// gets its own presigned URL from ShowAssetTempAuthority just before it is sent, then ConfirmAssetUpload CREATED.
// The protocol and the defects of Huawei's walkthrough it avoids: spec/paths/asset_authority_v1.1.yaml and
// ../shared/reference/upload-facts.md. What this adds to it, and why:
// - bounded memory: one part per slot (concurrency × partSize), read from a path into a buffer reused by the slot;
// - integrity: every part carries Content-MD5 (signed as content_md5), its ETag must equal its MD5, the Complete list
//   is built locally (1..N, contiguous) and cross-checked with ListParts (sizes and ETags), and the object's ETag
//   must be MD5(part digests)-N: a missing or damaged part can never be completed silently;
// - signatures: the Content-Type sent is always the one signed (the walkthrough signs one and sends another);
// - faults: a part that fails on the network, with a 5xx, 408, 429 or an expired URL is sent again with backoff and a
//   fresh URL (only that part); any other answer is fatal; the VOD calls share the client's upload-group pacer;
// - resume: with `checkpoint`, the state (IDs and MD5s, never a URL or a secret) is journaled before each step, so a
//   process killed at any moment is finished by the next call with the same file: same asset, ListParts reconciles,
//   only missing parts are sent;
// - give up cleanly: on abort or a fatal error the multipart upload is aborted on OBS (no billable orphan parts) and
//   the asset confirmed CANCELLED/FAILED; a cleanup that fails is reported in the error, never swallowed.
import type { components } from '../../generated/types.js';
import { coreOf, operationOf, type VodCore } from '../core.js';
import { VodApiError, VodNetworkError, VodUploadError, VodValidationError, type ValidationIssue } from '../errors.js';
import type { OperationDef } from '../internal/operation-def.js';
import type { OperationBody } from '../operation-types.js';
import { sleep } from '../internal/pace.js';
import { fileCheckpoint, isUploadState, type CheckpointStore, type UploadState } from './upload-checkpoint.js';
import { createMd5, multipartEtag, toBase64, toHex } from './upload-md5.js';
import { describeSource, openSource, SourceChangedError, type SourceFingerprint, type UploadSource } from './upload-source.js';
import { bareEtag, completeBody, parseInitiate, parseListParts, parseObsError, xmlText, type ListedPart } from './upload-xml.js';
import { waitForAsset, type AssetInfo, type WaitForAssetOptions } from './wait.js';

export type { CheckpointStore, UploadState } from './upload-checkpoint.js';
export type { SourceFingerprint } from './upload-source.js';

type CreateBody = OperationBody<'CreateAssetByFileUpload'>;
export type VideoType = CreateBody['video_type'];

export type UploadSourceInput = string | URL | Blob | Uint8Array;

export interface UploadProgress {
  /** Bytes handed to the network so far (monotonic; a part sent again is not counted twice). */
  readonly bytesSent: number;
  readonly bytesTotal: number;
  /** Parts acknowledged by OBS (a small file is one part). */
  readonly partsDone: number;
  readonly partsTotal: number;
  /** What the upload is doing. */
  readonly phase: 'creating' | 'uploading' | 'completing' | 'confirming' | 'waiting' | 'done';
}

/** The fields of CreateAssetByFileUpload's body besides the three uploadAsset fills in (they may still be given). */
type AssetFields = Omit<CreateBody, 'title' | 'video_type' | 'video_name'>;

export interface UploadAssetOptions extends AssetFields {
  /** The asset's title (媒资标题, required, at most 128 bytes). */
  title: string;
  /** The format (MP4, MOV, …, MP3, …); default: from the file name's extension (refused before sending when unknown). */
  video_type?: VideoType;
  /** The file name VOD records (default: the file's base name; required for bytes without video_type). */
  video_name?: string;
  /**
   * Bytes per part of a multipart upload, 102 400 (OBS's 100 KB minimum) to 20 000 000 (the pages' 20 MB limit);
   * default max(16 MiB, size / 10 000). Grown as needed so that a file takes at most 10 000 parts.
   */
  partSize?: number;
  /** Files of more bytes than this are uploaded in parts; others with one PUT (default 20 MiB; at most 20 MiB). */
  multipartThreshold?: number;
  /** Parts in flight at once (default 4, 1 to 64). Memory held: about concurrency × partSize. */
  concurrency?: number;
  /** Progress, at most every progressIntervalMs and once at the end; what it throws is ignored. */
  onProgress?: (progress: UploadProgress) => void;
  /** Minimum time between two onProgress calls (default 250 ms). */
  progressIntervalMs?: number;
  /** Abort: the multipart upload is aborted on OBS, the asset confirmed CANCELLED, and the call rejects with the reason. */
  signal?: AbortSignal;
  /**
   * Journal of the upload's state for a resumption by a later call (another process after a crash): a file path
   * (Node, Deno, Bun; written atomically, mode 0600) or an object with load()/save(state) (and optionally clear()).
   * A call that finds a state for the same file finishes that upload (same asset) instead of starting another.
   */
  checkpoint?: string | CheckpointStore;
  /** After confirming, wait for the asset (waitForAsset; needs ShowAssetMeta) and resolve with it as `asset`. */
  wait?: boolean | WaitForAssetOptions;
  /**
   * The fetch for the OBS requests (default globalThis.fetch). OBS is another host and its presigned URLs carry their
   * own authorisation: these requests never go through the VOD client's transport or credentials.
   */
  fetch?: typeof fetch;
  /** Attempts of one request after the first (network error, 5xx, 408, 429, expired URL) before it is fatal (default 5). */
  maxRetries?: number;
  /** The first pause before a retry (default 500 ms); it doubles each time (with jitter), up to 20 s. */
  retryDelayMs?: number;
  /** An OBS request without an answer after this long is a network error, and retried (default 300 000 ms; 0 = never). */
  requestTimeoutMs?: number;
  /**
   * On a fatal error, keep the multipart upload and the asset for a later resumption (with the same checkpoint)
   * instead of aborting and confirming FAILED (default false). An abort through `signal` always cleans up.
   */
  keepOnError?: boolean;
}

export interface UploadAssetResult {
  readonly assetId: string;
  readonly bytes: number;
  /** Parts of the multipart upload (1 for a single PUT). */
  readonly parts: number;
  /** The asset once waited for (with `wait`). */
  readonly asset?: AssetInfo;
}

const MiB = 1024 * 1024;
export const MIN_PART_SIZE = 102_400;
export const MAX_PART_SIZE = 20_000_000;
export const MAX_PARTS = 10_000;
const DEFAULT_PART_SIZE = 16 * MiB;
const DEFAULT_THRESHOLD = 20 * MiB;
const OWN_OPTIONS = new Set([
  'partSize', 'multipartThreshold', 'concurrency', 'onProgress', 'progressIntervalMs', 'signal', 'checkpoint', 'wait',
  'fetch', 'maxRetries', 'retryDelayMs', 'requestTimeoutMs', 'keepOnError',
]);

// video_type by file extension (the spec's video_type enum; .m3u8 is HLS).
const TYPE_BY_EXTENSION: Record<string, VideoType> = {
  mp4: 'MP4', ts: 'TS', mov: 'MOV', mxf: 'MXF', mpg: 'MPG', flv: 'FLV', wmv: 'WMV', avi: 'AVI', m4v: 'M4V', f4v: 'F4V',
  mpeg: 'MPEG', '3gp': '3GP', asf: 'ASF', mkv: 'MKV', m3u8: 'HLS', mp3: 'MP3', ogg: 'OGG', wav: 'WAV', wma: 'WMA',
  ape: 'APE', flac: 'FLAC', aac: 'AAC', ac3: 'AC3', mmf: 'MMF', amr: 'AMR', m4a: 'M4A', m4r: 'M4R', wv: 'WV', mp2: 'MP2',
};

/**
 * The Content-Type of each video_type: 示例1 表1 for video (HLS's M3U8 is application/octet-stream there); the table
 * has no audio, so audio types take their registered (or customary) MIME types.
 */
export const CONTENT_TYPES: Readonly<Record<VideoType, string>> = {
  MP4: 'video/mp4', MOV: 'video/quicktime', MXF: 'application/mxf', TS: 'video/mp2t', MPG: 'video/mpeg',
  MPEG: 'video/mpeg', FLV: 'video/flv', WMV: 'video/x-ms-wmv', AVI: 'video/x-msvideo', M4V: 'video/m4v',
  F4V: 'application/f4v', HLS: 'application/octet-stream', '3GP': 'video/3gpp', ASF: 'video/x-ms-asf',
  MKV: 'video/x-matroska', MP3: 'audio/mpeg', OGG: 'audio/ogg', WAV: 'audio/wav', WMA: 'audio/x-ms-wma',
  APE: 'audio/ape', FLAC: 'audio/flac', AAC: 'audio/aac', AC3: 'audio/ac3', MMF: 'application/vnd.smaf',
  AMR: 'audio/amr', M4A: 'audio/mp4', M4R: 'audio/mp4', WV: 'audio/wavpack', MP2: 'audio/mpeg',
};

/** The Content-Type a part is signed with and sent with (OBS's 上传段: the bytes of a part are not a video). */
const PART_CONTENT_TYPE = 'application/octet-stream';
const XML_CONTENT_TYPE = 'application/xml';

/** The video_type of a file name by its extension, or undefined. */
export function videoTypeOf(name: string): VideoType | undefined {
  const match = /\.([A-Za-z0-9]+)$/.exec(name);
  return match ? TYPE_BY_EXTENSION[match[1]!.toLowerCase()] : undefined;
}

/**
 * The part size for a file of `size` bytes: the requested one (default max(16 MiB, size / 10 000)), grown so that
 * the file takes at most 10 000 parts. Throws when that would exceed 20 000 000 bytes (files over 200 GB).
 */
export function choosePartSize(size: number, requested?: number): number {
  const least = Math.ceil(size / MAX_PARTS);
  const partSize = Math.max(requested ?? DEFAULT_PART_SIZE, least);
  if (partSize > MAX_PART_SIZE) {
    throw new VodValidationError('uploadAsset', [
      { path: 'source', rule: `${size} bytes would need parts of ${least} bytes; parts are at most ${MAX_PART_SIZE} bytes and 10000 (at most 200 GB)` },
    ], 'options');
  }
  return partSize;
}

function checkOptions(source: unknown, options: UploadAssetOptions): void {
  const issues: ValidationIssue[] = [];
  if (!describeSource(source)) issues.push({ path: 'source', rule: 'must be a file path, a Blob/File or a Uint8Array' });
  if (typeof options !== 'object' || options === null) {
    throw new VodValidationError('uploadAsset', [{ path: 'options', rule: 'must be an object with at least title' }], 'options');
  }
  if (typeof options.title !== 'string' || !options.title) issues.push({ path: 'title', rule: 'is required (a non-empty string)' });
  const int = (key: keyof UploadAssetOptions, min: number, max: number) => {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) {
      issues.push({ path: key, rule: `must be a whole number from ${min} to ${max}` });
    }
  };
  int('partSize', MIN_PART_SIZE, MAX_PART_SIZE);
  int('multipartThreshold', 0, DEFAULT_THRESHOLD);
  int('concurrency', 1, 64);
  int('progressIntervalMs', 0, 3_600_000);
  int('maxRetries', 0, 100);
  int('retryDelayMs', 0, 600_000);
  int('requestTimeoutMs', 0, 2 ** 31 - 1);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') issues.push({ path: 'onProgress', rule: 'must be a function' });
  if (options.fetch !== undefined && typeof options.fetch !== 'function') issues.push({ path: 'fetch', rule: 'must be a fetch function' });
  if (options.signal !== undefined && !(typeof options.signal === 'object' && options.signal !== null && 'aborted' in options.signal)) {
    issues.push({ path: 'signal', rule: 'must be an AbortSignal' });
  }
  const cp = options.checkpoint;
  if (cp !== undefined && typeof cp !== 'string' && !(typeof cp === 'object' && cp !== null && typeof cp.load === 'function' && typeof cp.save === 'function')) {
    issues.push({ path: 'checkpoint', rule: 'must be a file path or an object with load() and save(state)' });
  }
  if (options.video_type !== undefined && !(options.video_type in CONTENT_TYPES)) {
    issues.push({ path: 'video_type', rule: `must be one of ${Object.keys(CONTENT_TYPES).join(', ')}` });
  }
  if (issues.length) throw new VodValidationError('uploadAsset', issues, 'options');
}

/** Something an OBS request answered that ends the upload (not retried). */
class ObsError extends Error {
  override readonly name = 'ObsError';
  constructor(
    readonly step: string,
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(`OBS ${step} answered ${status}${code ? ` ${code}` : ''}: ${message}`);
  }
}

/** An integrity check failed (ETag, part list, object ETag). */
class IntegrityError extends Error {
  override readonly name = 'IntegrityError';
}

/** A retryable failure of one request (network, 5xx, 408, 429, expired signature). */
class Retryable extends Error {
  override readonly name = 'Retryable';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
    /** The presigned URL expired (403): the retry must use a new one. */
    readonly expired = false,
  ) {
    super(message, options);
  }
}

const isNodeRuntime = (): boolean => {
  const g = globalThis as { process?: { versions?: { node?: string } }; Deno?: unknown; Bun?: unknown };
  return typeof g.process?.versions?.node === 'string' && !g.Deno && !g.Bun;
};

/**
 * Uploads `source` as a new VOD asset (or finishes the upload a checkpoint describes) and resolves with its ID once
 * ConfirmAssetUpload CREATED was answered (and the asset waited for, with `wait`).
 *
 * `client` is any client made by createVodClient, or by createVodCore with CreateAssetByFileUpload,
 * ShowAssetTempAuthority and ConfirmAssetUpload (and ShowAssetMeta for `wait`; UpdateAsset lets a small file's upload
 * resume with a fresh URL).
 */
export async function uploadAsset(client: VodCore, source: UploadSourceInput, options: UploadAssetOptions): Promise<UploadAssetResult> {
  const createDef = operationOf(client, 'createAssetByFileUpload', 'uploadAsset');
  const authorityDef = operationOf(client, 'showAssetTempAuthority', 'uploadAsset');
  const confirmDef = operationOf(client, 'confirmAssetUpload', 'uploadAsset');
  const internals = coreOf(client, 'uploadAsset');
  if (options?.wait) operationOf(client, 'showAssetMeta', 'uploadAsset');
  checkOptions(source, options);
  if (options.signal?.aborted) throw options.signal.reason;

  const src = await openSource(source);
  try {
    const upload = new Upload(client, internals.call, { createDef, authorityDef, confirmDef, updateDef: internals.operations.get('updateAsset') }, src, options);
    return await upload.run();
  } finally {
    await src.close();
  }
}

interface Defs {
  createDef: OperationDef;
  authorityDef: OperationDef;
  confirmDef: OperationDef;
  updateDef: OperationDef | undefined;
}

type Call = ReturnType<typeof coreOf>['call'];

class Upload {
  private readonly controller = new AbortController();
  private readonly signal = this.controller.signal;
  private readonly fetchObs: typeof fetch;
  private readonly streamBodies: boolean;
  private readonly maxRetries: number;
  private readonly retryDelayMs: number;
  private readonly requestTimeoutMs: number;
  private readonly store: CheckpointStore | undefined;
  private state: UploadState | undefined;
  private partsTotal = 1;
  private bytesTotal: number;
  // Progress: bytes of acknowledged parts, bytes in flight per part, the last report.
  private committed = 0;
  private readonly inflight = new Map<number, number>();
  private lastReport = { bytesSent: 0, at: -Infinity };
  private phase: UploadProgress['phase'] = 'creating';
  // Checkpoint writes, one at a time; a state that changes meanwhile is written once after.
  private saving: Promise<void> = Promise.resolve();
  private saveQueued = false;
  private saveError: unknown;

  constructor(
    private readonly client: VodCore,
    private readonly call: Call,
    private readonly defs: Defs,
    private readonly src: UploadSource,
    private readonly options: UploadAssetOptions,
  ) {
    this.fetchObs = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    // Node's fetch takes a stream body with a Content-Length, so the bytes can be counted as they leave (progress
    // within a part); elsewhere a part is sent as bytes and counted when it is acknowledged.
    this.streamBodies = options.fetch === undefined && isNodeRuntime();
    this.maxRetries = options.maxRetries ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 300_000;
    this.store = typeof options.checkpoint === 'string' ? fileCheckpoint(options.checkpoint) : options.checkpoint;
    this.bytesTotal = src.size;
  }

  async run(): Promise<UploadAssetResult> {
    const { signal: outer } = this.options;
    const follow = () => this.controller.abort(outer?.reason);
    outer?.addEventListener('abort', follow, { once: true });
    try {
      return await this.runInner();
    } finally {
      outer?.removeEventListener('abort', follow);
    }
  }

  private async runInner(): Promise<UploadAssetResult> {
    const { options, src } = this;
    const fingerprint = await src.fingerprint();
    const loaded = await this.loadState(fingerprint);
    const videoName = options.video_name ?? src.name;
    const videoType = (loaded?.videoType as VideoType | undefined) ?? options.video_type ?? (videoName ? videoTypeOf(videoName) : undefined);
    if (!videoType) {
      throw new VodValidationError('uploadAsset', [
        {
          path: 'video_type',
          rule: videoName
            ? `cannot be inferred from "${videoName}" (known extensions: ${Object.keys(TYPE_BY_EXTENSION).join(', ')}); pass video_type`
            : 'is required for a source without a file name (pass video_type and video_name)',
        },
      ], 'options');
    }
    if (!videoName) {
      throw new VodValidationError('uploadAsset', [{ path: 'video_name', rule: 'is required for a source without a file name' }], 'options');
    }
    const threshold = options.multipartThreshold ?? DEFAULT_THRESHOLD;
    const multipart = loaded ? loaded.multipart : src.size > threshold;
    const partSize = loaded ? loaded.partSize : multipart ? choosePartSize(src.size, options.partSize) : Math.max(src.size, 1);
    this.partsTotal = multipart ? Math.ceil(src.size / partSize) : 1;
    this.state = loaded;
    if (loaded) this.committed = loaded.phase === 'completed' || loaded.phase === 'confirmed' ? src.size : 0;

    try {
      if (!this.state) await this.create(fingerprint, videoName, videoType, multipart, partSize);
      const state = this.state!;
      if (state.phase !== 'completed' && state.phase !== 'confirmed') {
        if (multipart) await this.multipart(videoType);
        else await this.single(videoType, videoName);
      }
      if (this.state!.phase !== 'confirmed') {
        this.phase = 'confirming';
        this.committed = src.size;
        this.report(true);
        await this.confirm('CREATED');
        this.update({ phase: 'confirmed' });
        await this.saveNow();
      }
    } catch (error) {
      throw await this.giveUp(error);
    }
    const { assetId } = this.state!;
    await this.store?.clear?.();
    let asset: AssetInfo | undefined;
    if (options.wait) {
      this.phase = 'waiting';
      this.report(true);
      const waitOptions = typeof options.wait === 'object' ? options.wait : {};
      const signal = waitOptions.signal ?? options.signal;
      asset = await waitForAsset(this.client, assetId, { ...waitOptions, ...(signal ? { signal } : {}) });
    }
    this.phase = 'done';
    this.report(true);
    return { assetId, bytes: src.size, parts: this.partsTotal, ...(asset ? { asset } : {}) };
  }

  private async create(fingerprint: SourceFingerprint, videoName: string, videoType: VideoType, multipart: boolean, partSize: number): Promise<void> {
    this.report(true);
    const body = this.createBody(videoName, videoType);
    // Not idempotent (a second call makes a second asset): only a 429, refused before any processing, is repeated.
    const created = (await this.vod(this.defs.createDef, body, 'throttled-only')) as components['schemas']['CreateAssetByFileUploadResponse'];
    if (!created?.asset_id) throw new VodUploadError('CreateAssetByFileUpload answered no asset_id', 'VOD_ERROR', undefined, undefined);
    this.state = {
      version: 1,
      source: fingerprint,
      assetId: created.asset_id,
      videoType,
      multipart,
      partSize,
      ...(multipart ? { bucket: created.target?.bucket, objectKey: created.target?.object } : {}),
      parts: {},
      phase: 'created',
    };
    if (multipart && !(created.target?.bucket && created.target.object)) {
      throw this.fail('VOD_ERROR', `CreateAssetByFileUpload answered no target bucket/object for asset ${created.asset_id}`);
    }
    // Journaled before anything goes to OBS: a process killed from here on resumes this asset.
    await this.saveNow();
    this.pendingUrl = created.video_upload_url;
  }

  /** The video_upload_url of a fresh CreateAssetByFileUpload (a resumption gets a new one from UpdateAsset). */
  private pendingUrl: string | undefined;

  private createBody(videoName: string, videoType: VideoType): CreateBody {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.options)) if (!OWN_OPTIONS.has(key) && value !== undefined) fields[key] = value;
    return { ...fields, video_name: videoName, video_type: videoType } as CreateBody;
  }

  private async loadState(fingerprint: SourceFingerprint): Promise<UploadState | undefined> {
    if (!this.store) return undefined;
    let loaded: unknown;
    try {
      loaded = await this.store.load();
    } catch (error) {
      throw new VodUploadError(`checkpoint: could not be read: ${(error as Error)?.message ?? error}`, 'CHECKPOINT', undefined, undefined, { cause: error });
    }
    if (loaded === undefined || loaded === null) return undefined;
    if (!isUploadState(loaded)) {
      throw new VodUploadError('checkpoint: not an uploadAsset state (written by something else, or damaged); remove it to start anew', 'CHECKPOINT', undefined, loaded);
    }
    // A state that was given up (cleaned up) is history: this call starts a new upload and overwrites it.
    if (loaded.phase === 'cancelled' || loaded.phase === 'failed') return undefined;
    const s = loaded.source;
    const same = s.size === fingerprint.size && s.head === fingerprint.head && s.tail === fingerprint.tail &&
      (s.mtimeMs === undefined || fingerprint.mtimeMs === undefined || s.mtimeMs === fingerprint.mtimeMs);
    if (!same) {
      throw new VodUploadError(
        `checkpoint: it belongs to another file or the file changed since (asset ${loaded.assetId}: ${s.size} bytes, this source ${fingerprint.size}); pass the same file, or remove the checkpoint to upload as a new asset`,
        'SOURCE_CHANGED',
        loaded.assetId,
        loaded,
      );
    }
    return loaded;
  }

  // ---------------------------------------------------------------- state, checkpoint, progress

  private update(change: Partial<UploadState>): void {
    this.state = { ...this.state!, ...change };
  }

  /** Writes the state now and waits for it (before a step whose effect a resumption must know about). */
  private async saveNow(): Promise<void> {
    this.queueSave();
    await this.saving;
    if (this.saveError !== undefined) throw this.checkpointError();
  }

  /** Writes the state soon (after each part): coalesced, so a slow store never holds up the parts. */
  private queueSave(): void {
    if (!this.store) return;
    if (this.saveQueued) return;
    this.saveQueued = true;
    this.saving = this.saving.then(async () => {
      this.saveQueued = false;
      try {
        await this.store!.save(this.state!);
      } catch (error) {
        this.saveError ??= error;
      }
    });
  }

  private checkpointError(): VodUploadError {
    return new VodUploadError(
      `checkpoint: could not be saved: ${(this.saveError as Error)?.message ?? this.saveError}`,
      'CHECKPOINT',
      this.state?.assetId,
      this.state,
      { cause: this.saveError },
    );
  }

  private report(force = false): void {
    const { onProgress, progressIntervalMs = 250 } = this.options;
    if (!onProgress) return;
    let sent = this.committed;
    for (const bytes of this.inflight.values()) sent += bytes;
    const bytesSent = Math.min(this.bytesTotal, Math.max(this.lastReport.bytesSent, sent));
    const now = Date.now();
    if (!force && now - this.lastReport.at < progressIntervalMs) return;
    this.lastReport = { bytesSent, at: now };
    const partsDone = this.phase === 'done' || this.phase === 'confirming' || this.phase === 'waiting'
      ? this.partsTotal
      : Object.keys(this.state?.parts ?? {}).length;
    try {
      onProgress({ bytesSent, bytesTotal: this.bytesTotal, partsDone, partsTotal: this.partsTotal, phase: this.phase });
    } catch {
      // A progress callback must not break the upload.
    }
  }

  // ---------------------------------------------------------------- VOD calls

  /**
   * One VOD call through the client's core, paced by the upload group's pacer (shared by everything the client does).
   * `safe`: repeated after a network error, a 5xx or a 429 (ShowAssetTempAuthority and ConfirmAssetUpload);
   * `throttled-only`: only after a 429 (CreateAssetByFileUpload, which is not idempotent).
   */
  private async vod(def: OperationDef, input: unknown, retry: 'safe' | 'throttled-only', signal: AbortSignal | undefined = this.signal): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      let result;
      try {
        result = await this.call(def, input, { paced: true, retryThrottled: 0, ...(signal ? { signal } : {}) });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (retry === 'safe' && error instanceof VodNetworkError && attempt < this.maxRetries) {
          await this.backoff(attempt, undefined, signal);
          continue;
        }
        throw error;
      }
      const { status } = result.response;
      if (result.error === undefined) return result.data;
      const apiError = new VodApiError(def.id, status, result.error, result.response.headers);
      const again = status === 429 || (retry === 'safe' && status >= 500);
      if (!again || attempt >= this.maxRetries) throw apiError;
      await this.backoff(attempt, result.retryAfterSeconds !== undefined ? result.retryAfterSeconds * 1000 : undefined, signal);
    }
  }

  private backoff(attempt: number, retryAfterMs: number | undefined, signal: AbortSignal | undefined = this.signal): Promise<void> {
    const ms = retryAfterMs ?? Math.min(20_000, this.retryDelayMs * 2 ** attempt) * (0.5 + Math.random());
    return sleep(ms, signal);
  }

  /** A fresh presigned URL for one OBS request (fetched just before each request and each retry of it). */
  private async presign(query: Record<string, unknown>, signal: AbortSignal | undefined = this.signal): Promise<string> {
    const { bucket, objectKey } = this.state!;
    const data = (await this.vod(this.defs.authorityDef, { ...query, bucket, object_key: objectKey }, 'safe', signal)) as { sign_str?: string };
    if (!data?.sign_str) throw new VodUploadError('ShowAssetTempAuthority answered no sign_str', 'VOD_ERROR', this.state?.assetId, this.state);
    return data.sign_str;
  }

  private async confirm(status: 'CREATED' | 'FAILED' | 'CANCELLED', signal: AbortSignal | undefined = this.signal): Promise<void> {
    try {
      await this.vod(this.defs.confirmDef, { asset_id: this.state!.assetId, status }, 'safe', signal);
    } catch (error) {
      // A CREATED that VOD accepted but whose answer was lost (a dropped connection, or a kill -9 before the
      // checkpoint said `confirmed`) is answered VOD.10083 (当前媒资或资源状态不支持该操作) when it is sent again. Whether
      // it took is the asset's status: no longer UNCREATED means confirmed.
      if (status === 'CREATED' && error instanceof VodApiError && error.code === 'VOD.10083' && (await this.confirmedAlready(signal))) return;
      throw error;
    }
  }

  /** Whether the asset left UNCREATED, asked with ShowAssetMeta when the client offers it (undefined: unknown). */
  private async confirmedAlready(signal: AbortSignal | undefined): Promise<boolean> {
    const showDef = coreOf(this.client, 'uploadAsset').operations.get('showAssetMeta');
    if (!showDef) return false;
    const data = (await this.vod(showDef, { asset_id: [this.state!.assetId] }, 'safe', signal)) as {
      asset_info_array?: { asset_id?: string; status?: string }[];
    };
    const status = data?.asset_info_array?.find((a) => a.asset_id === this.state!.assetId)?.status;
    return status !== undefined && !['UNCREATED', 'NO_ASSET', 'CANCELLED', 'UPLOAD_FAILED', 'DELETED'].includes(status);
  }

  // ---------------------------------------------------------------- OBS requests

  /**
   * One OBS request, with its own timeout; classifies the answer: 2xx is returned, a network error, 5xx, 408, 429 or
   * an expired signature throws Retryable, anything else ObsError (with OBS's error code and, for a signature that
   * does not match, the StringToSign OBS computed, which shows what was signed).
   */
  private async obs(step: string, url: string, init: RequestInit, signal: AbortSignal | undefined = this.signal): Promise<Response> {
    const timeout = new AbortController();
    const follow = () => timeout.abort(signal?.reason);
    if (signal?.aborted) throw signal.reason;
    signal?.addEventListener('abort', follow, { once: true });
    const timer = this.requestTimeoutMs ? setTimeout(() => timeout.abort(new Retryable(`OBS ${step} timed out after ${this.requestTimeoutMs} ms`)), this.requestTimeoutMs) : undefined;
    try {
      let response: Response;
      try {
        response = await this.fetchObs(url, { ...init, signal: timeout.signal, redirect: 'error' });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (timeout.signal.aborted) throw timeout.signal.reason;
        throw new Retryable(`OBS ${step} failed on the network: ${(error as Error)?.message ?? error}`, undefined, { cause: error });
      }
      if (response.ok) return response;
      const text = await response.text().catch(() => '');
      const { code, message } = parseObsError(text);
      const retryAfter = Number(response.headers.get('retry-after'));
      const expired = response.status === 403 && /expired/i.test(`${code} ${message}`);
      if (response.status >= 500 || response.status === 408 || response.status === 429 || expired || code === 'RequestTimeout') {
        throw new Retryable(
          `OBS ${step} answered ${response.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`,
          Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
          undefined,
          expired,
        );
      }
      const toSign = xmlText(text, 'StringToSign');
      throw new ObsError(step, response.status, code, `${message ?? (text.slice(0, 200) || response.statusText)}${toSign ? ` (OBS signed ${JSON.stringify(toSign)})` : ''}`);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', follow);
    }
  }

  /** `attemptOnce` again after each Retryable, with backoff, up to maxRetries; each attempt gets a fresh URL. */
  private async withRetries<T>(attemptOnce: () => Promise<T>, signal: AbortSignal | undefined = this.signal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await attemptOnce();
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (!(error instanceof Retryable) || attempt >= this.maxRetries) throw error;
        await this.backoff(attempt, error.retryAfterMs, signal);
      }
    }
  }

  /** A request body for `bytes`: on Node a stream that counts what leaves (progress), elsewhere the bytes. */
  private body(bytes: Uint8Array, partNumber: number): { body: BodyInit; extra: RequestInit } {
    this.inflight.set(partNumber, 0);
    if (!this.streamBodies || bytes.length === 0) return { body: bytes as BodyInit, extra: {} };
    let offset = 0;
    const chunk = 256 * 1024;
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        if (offset >= bytes.length) return controller.close();
        const piece = bytes.subarray(offset, Math.min(bytes.length, offset + chunk));
        offset += piece.length;
        this.inflight.set(partNumber, offset);
        this.report();
        controller.enqueue(piece);
      },
    });
    return { body: stream, extra: { duplex: 'half', headers: { 'content-length': String(bytes.length) } } as RequestInit };
  }

  // ---------------------------------------------------------------- small file: one PUT

  private async single(videoType: VideoType, videoName: string): Promise<void> {
    const { src } = this;
    this.phase = 'uploading';
    const bytes = await src.read(0, src.size);
    const digest = md5Of(bytes);
    const given = this.options.video_md5;
    if (given !== undefined && given !== toBase64(digest)) {
      throw new IntegrityError(`video_md5 ${given} is not the MD5 of the file (${toBase64(digest)})`);
    }
    const headers: Record<string, string> = { 'content-type': CONTENT_TYPES[videoType] };
    // Content-MD5 only when video_md5 was given: then VOD signed it into the URL and OBS checks it.
    if (given !== undefined) headers['content-md5'] = given;
    let url = this.pendingUrl;
    this.pendingUrl = undefined;
    let response: Response | undefined;
    await this.withRetries(async () => {
      // The URL of the creation serves until it has expired (never again after a 403); a resumption, which has no
      // URL (the checkpoint keeps none), and a retry after an expired one take a fresh URL from UpdateAsset.
      url ??= await this.freshVideoUrl(videoType, videoName);
      const { body, extra } = this.body(bytes, 1);
      try {
        response = await this.obs('PUT object', url, { method: 'PUT', ...extra, headers: { ...headers, ...(extra.headers as Record<string, string>) }, body });
      } catch (error) {
        if (error instanceof Retryable && error.expired) url = undefined;
        throw error;
      } finally {
        this.inflight.delete(1);
      }
    });
    const etag = bareEtag(response!.headers.get('etag'));
    // A browser reads ETag only when OBS's CORS rule exposes it; when it is readable it must be the file's MD5.
    if (etag && etag !== toHex(digest)) throw new IntegrityError(`OBS stored the file with ETag ${etag}, not its MD5 ${toHex(digest)}`);
    this.committed = src.size;
    this.update({ parts: { 1: toHex(digest) }, phase: 'completed' });
    await this.saveNow();
  }

  private async freshVideoUrl(videoType: VideoType, videoName: string): Promise<string> {
    const def = this.defs.updateDef;
    if (!def) {
      throw new VodUploadError(
        `the presigned URL of asset ${this.state!.assetId} is gone (resumed or expired); resuming a small file's upload needs UpdateAsset (视频更新) for a new one: pass it to createVodCore`,
        'VOD_ERROR', this.state!.assetId, this.state,
      );
    }
    const answer = (await this.vod(def, { asset_id: this.state!.assetId, video_type: videoType, video_name: videoName }, 'safe')) as { video_upload_url?: string };
    if (!answer?.video_upload_url) throw new VodUploadError('UpdateAsset answered no video_upload_url', 'VOD_ERROR', this.state!.assetId, this.state);
    return answer.video_upload_url;
  }

  // ---------------------------------------------------------------- large file: OBS multipart

  private partRange(n: number): [number, number] {
    const { partSize } = this.state!;
    return [(n - 1) * partSize, Math.min(this.src.size, n * partSize)];
  }

  private async multipart(videoType: VideoType): Promise<void> {
    const contentType = CONTENT_TYPES[videoType];
    this.phase = 'uploading';
    if (this.state!.phase === 'created' || !this.state!.uploadId) await this.initiate(contentType);
    else await this.reconcile(contentType);
    if (this.state!.phase === 'completed') return;

    // Send what is missing; then cross-check with ListParts and send again whatever it does not show as ours.
    for (let round = 0; ; round++) {
      await this.sendMissingParts();
      await this.src.check();
      const listed = await this.listParts();
      if (listed === 'no-upload') throw new ObsError('ListParts', 404, 'NoSuchUpload', `the multipart upload ${this.state!.uploadId} no longer exists`);
      const wrong = this.compareWithListing(listed);
      if (!wrong.length) break;
      if (round >= 1) throw new IntegrityError(`OBS does not hold parts ${wrong.join(', ')} as sent (ListParts after a second sending)`);
      const parts = { ...this.state!.parts };
      for (const n of wrong) delete parts[n];
      this.update({ parts });
      this.committed = this.committedBytes();
    }
    await this.complete();
  }

  private async initiate(contentType: string): Promise<void> {
    const response = await this.withRetries(async () => {
      const url = await this.presign({ http_verb: 'POST', content_type: contentType });
      return this.obs('InitiateMultipartUpload', url, { method: 'POST', headers: { 'content-type': contentType } });
    });
    const { uploadId } = parseInitiate(await response.text());
    this.update({ uploadId, parts: {}, phase: 'uploading' });
    this.committed = 0;
    await this.saveNow();
  }

  /**
   * A resumption: what OBS holds decides. A listed part counts when its size is right and its ETag is the MD5 the
   * checkpoint recorded, or (a part acknowledged after the last save) the MD5 of the file's bytes; the rest is sent.
   * NoSuchUpload: after a Complete that may have gone through, the object is checked; otherwise the multipart upload
   * was lost (aborted, expired) and a new one is started for the same asset.
   */
  private async reconcile(contentType: string): Promise<void> {
    const listed = await this.listParts();
    if (listed === 'no-upload') {
      if (this.state!.phase === 'completing' && (await this.objectState()) !== 'other') {
        this.update({ phase: 'completed' });
        await this.saveNow();
        return;
      }
      await this.initiate(contentType);
      return;
    }
    const recorded = this.state!.parts;
    const parts: Record<string, string> = {};
    for (const part of listed) {
      if (part.partNumber > this.partsTotal) continue;
      const [start, end] = this.partRange(part.partNumber);
      if (part.size !== end - start) continue;
      if (recorded[part.partNumber] === part.etag) {
        parts[part.partNumber] = part.etag;
        continue;
      }
      const digest = toHex(md5Of(await this.src.read(start, end)));
      if (digest === part.etag) parts[part.partNumber] = digest;
    }
    this.update({ parts, phase: 'uploading' });
    this.committed = this.committedBytes();
    await this.saveNow();
  }

  private committedBytes(): number {
    let bytes = 0;
    for (const n of Object.keys(this.state!.parts)) {
      const [start, end] = this.partRange(Number(n));
      bytes += end - start;
    }
    return bytes;
  }

  /** Every part OBS lists for the upload (following IsTruncated), or 'no-upload' when OBS says NoSuchUpload. */
  private async listParts(signal: AbortSignal | undefined = this.signal): Promise<ListedPart[] | 'no-upload'> {
    const all: ListedPart[] = [];
    let marker: number | undefined;
    for (;;) {
      let response: Response;
      try {
        response = await this.withRetries(async () => {
          const url = await this.presign({ http_verb: 'GET', upload_id: this.state!.uploadId }, signal);
          // The marker is not a signed sub-resource, so it may be appended to the presigned URL.
          const paged = marker === undefined ? url : `${url}${url.includes('?') ? '&' : '?'}part-number-marker=${marker}`;
          return this.obs('ListParts', paged, { method: 'GET' }, signal);
        }, signal);
      } catch (error) {
        if (error instanceof ObsError && (error.code === 'NoSuchUpload' || error.status === 404)) return 'no-upload';
        throw error;
      }
      const page = parseListParts(await response.text());
      all.push(...page.parts);
      if (!page.truncated) return all;
      const next = page.nextMarker ?? page.parts.at(-1)?.partNumber;
      if (next === undefined || next === marker) throw new IntegrityError('ListParts is truncated but gives no next marker');
      marker = next;
    }
  }

  /** The part numbers that OBS does not list as ours (missing, other size, other ETag). */
  private compareWithListing(listed: ListedPart[]): number[] {
    const byNumber = new Map(listed.map((p) => [p.partNumber, p]));
    const wrong: number[] = [];
    for (let n = 1; n <= this.partsTotal; n++) {
      const part = byNumber.get(n);
      const [start, end] = this.partRange(n);
      if (!part || part.size !== end - start || part.etag !== this.state!.parts[n]) wrong.push(n);
    }
    return wrong;
  }

  private async sendMissingParts(): Promise<void> {
    const missing: number[] = [];
    for (let n = 1; n <= this.partsTotal; n++) if (!this.state!.parts[n]) missing.push(n);
    if (!missing.length) return;
    this.report(true);
    const concurrency = Math.min(this.options.concurrency ?? 4, missing.length);
    let next = 0;
    // A path is read into one buffer per slot, reused part after part: the memory held is concurrency × partSize.
    const worker = async () => {
      let buffer: Uint8Array | undefined;
      while (next < missing.length) {
        if (this.signal.aborted) throw this.signal.reason;
        const n = missing[next++]!;
        const [start, end] = this.partRange(n);
        if (this.src.kind === 'path') buffer ??= new Uint8Array(this.state!.partSize);
        const bytes = await this.src.read(start, end, buffer);
        await this.sendPart(n, bytes);
      }
    };
    const workers = Array.from({ length: concurrency }, worker);
    // The first failure stops the others (their requests are aborted), and is the one reported.
    await Promise.all(workers.map((w) => w.catch((error) => {
      if (!this.signal.aborted) this.controller.abort(error);
      throw error;
    }))).catch(() => {
      throw this.signal.reason;
    });
    if (this.saveError !== undefined) throw this.checkpointError();
  }

  private async sendPart(n: number, bytes: Uint8Array): Promise<void> {
    const digest = md5Of(bytes);
    const hex = toHex(digest);
    const contentMd5 = toBase64(digest);
    const response = await this.withRetries(async () => {
      const url = await this.presign({
        http_verb: 'PUT',
        upload_id: this.state!.uploadId,
        part_number: n,
        content_md5: contentMd5,
        content_type: PART_CONTENT_TYPE,
      });
      const { body, extra } = this.body(bytes, n);
      try {
        return await this.obs(`UploadPart ${n}`, url, {
          method: 'PUT',
          ...extra,
          headers: { 'content-type': PART_CONTENT_TYPE, 'content-md5': contentMd5, ...(extra.headers as Record<string, string>) },
          body,
        });
      } catch (error) {
        this.inflight.set(n, 0);
        throw error;
      }
    }).finally(() => this.inflight.delete(n));
    const etag = bareEtag(response.headers.get('etag'));
    if (etag && etag !== hex) throw new IntegrityError(`OBS answered part ${n} with ETag ${etag}, not its MD5 ${hex}`);
    this.update({ parts: { ...this.state!.parts, [n]: hex } });
    this.committed += bytes.length;
    this.queueSave();
    this.report();
  }

  private expectedEtag(): string {
    const digests: string[] = [];
    for (let n = 1; n <= this.partsTotal; n++) digests.push(this.state!.parts[n]!);
    return multipartEtag(digests);
  }

  private async complete(): Promise<void> {
    this.phase = 'completing';
    this.report(true);
    const list = Array.from({ length: this.partsTotal }, (_, i) => ({ partNumber: i + 1, etag: this.state!.parts[i + 1]! }));
    // Built locally, contiguous 1..N (checked, not assumed), each part's ETag its MD5.
    list.forEach((p, i) => {
      if (p.partNumber !== i + 1 || !/^[0-9a-f]{32}$/.test(p.etag)) throw new IntegrityError(`the part list has no valid part ${i + 1}`);
    });
    const xml = new TextEncoder().encode(completeBody(list));
    const expected = this.expectedEtag();
    this.update({ phase: 'completing' });
    await this.saveNow();
    let sentOnce = false;
    let response: Response | 'already-complete';
    try {
      response = await this.withRetries(async () => {
        const url = await this.presign({ http_verb: 'POST', upload_id: this.state!.uploadId, content_type: XML_CONTENT_TYPE });
        try {
          return await this.obs('CompleteMultipartUpload', url, { method: 'POST', headers: { 'content-type': XML_CONTENT_TYPE }, body: xml });
        } finally {
          sentOnce = true;
        }
      });
    } catch (error) {
      // A Complete whose answer was lost has already consumed the upload: a retry then hears NoSuchUpload. The object
      // itself is then checked (its ETag); only our process knows the upload ID, so nothing else completed it.
      if (!(sentOnce && error instanceof ObsError && error.code === 'NoSuchUpload')) throw error;
      const object = await this.objectState();
      // 'unknown' (OBS does not tell) goes ahead to the confirmation: see objectState.
      if (object === 'other') throw new IntegrityError(`the upload ${this.state!.uploadId} is gone after a Complete whose answer was lost, and the object is not the file (expected ETag ${expected})`);
      response = 'already-complete';
    }
    if (response !== 'already-complete') {
      const text = await response.text();
      // S3 and OBS may answer 200 and put an error in the body when the Complete failed after it started.
      const failure = parseObsError(text);
      if (failure.code) throw new ObsError('CompleteMultipartUpload', 200, failure.code, failure.message ?? 'error in a 200 answer');
      const etag = bareEtag(xmlText(text, 'ETag') ?? response.headers.get('etag'));
      if (etag && etag !== expected) throw new IntegrityError(`the completed object's ETag is ${etag}, not ${expected} (MD5 of the ${this.partsTotal} part MD5s)`);
    }
    this.update({ phase: 'completed' });
    await this.saveNow();
  }

  /**
   * Whether the object is in OBS as we completed it, after our Complete's answer was lost (the upload ID is gone): a
   * presigned GET of its first byte, whose ETag must be MD5(part digests)-N and whose length the file's. `unknown`
   * when OBS does not tell (the GET refused, no ETag exposed): then the upload counts as completed, since only this
   * upload (its journal) knows the upload ID, and it never aborts one it has sent the completion of.
   */
  private async objectState(): Promise<'complete' | 'other' | 'unknown'> {
    if (Object.keys(this.state!.parts).length !== this.partsTotal) return 'other';
    const expected = this.expectedEtag();
    let response: Response;
    try {
      response = await this.withRetries(async () => {
        const url = await this.presign({ http_verb: 'GET' });
        return this.obs('GET object', url, { method: 'GET', headers: { range: 'bytes=0-0' } });
      });
    } catch (error) {
      if (error instanceof ObsError) return error.code === 'NoSuchKey' ? 'other' : 'unknown';
      // VOD may refuse to presign a GET without upload_id (the pages document none): OBS cannot be asked then.
      if (error instanceof VodApiError && error.status >= 400 && error.status < 500 && error.status !== 429) return 'unknown';
      throw error;
    }
    await response.body?.cancel().catch(() => {});
    const etag = bareEtag(response.headers.get('etag'));
    const total = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
    if (total !== undefined && Number(total) !== this.src.size) return 'other';
    if (!etag) return 'unknown';
    return etag === expected ? 'complete' : 'other';
  }

  // ---------------------------------------------------------------- giving up

  private fail(code: VodUploadError['code'], message: string, cause?: unknown): VodUploadError {
    return new VodUploadError(message, code, this.state?.assetId, this.state, cause === undefined ? undefined : { cause });
  }

  /** The error to reject with, after cleaning up (unless keepOnError): abort the multipart upload, confirm the asset. */
  private async giveUp(error: unknown): Promise<unknown> {
    const aborted = this.options.signal?.aborted === true && error === this.options.signal.reason;
    // The error to reject with, carrying the state as it is after the cleanup.
    const wrapped = () => (aborted || error instanceof VodUploadError || error instanceof VodValidationError ? error : this.wrap(error));
    if (!this.state) return wrapped();
    // keepOnError, or the file is already complete in OBS and only the confirmation failed (a CREATED that went
    // through but whose answer was lost must not be followed by FAILED): the state is kept for a later call.
    if (!aborted && (this.options.keepOnError || this.state.phase === 'completed')) {
      await this.saving;
      return wrapped();
    }
    // Cleanup runs without the caller's signal (it is what the abort asks for), each step bounded by its own timeout.
    const cleanup = AbortSignal.timeout(60_000);
    const problems: string[] = [];
    let cause: unknown;
    if (this.state.multipart && this.state.uploadId && this.state.phase !== 'completed' && this.state.phase !== 'confirmed') {
      try {
        await this.withRetries(async () => {
          const url = await this.presign({ http_verb: 'DELETE', upload_id: this.state!.uploadId }, cleanup);
          try {
            await this.obs('AbortMultipartUpload', url, { method: 'DELETE' }, cleanup);
          } catch (e) {
            // Already gone (aborted before, or never there): nothing is left to bill.
            if (!(e instanceof ObsError && (e.code === 'NoSuchUpload' || e.status === 404))) throw e;
          }
        }, cleanup);
      } catch (e) {
        cause ??= e;
        problems.push(`aborting the OBS multipart upload ${this.state.uploadId} failed (its parts stay billable until aborted): ${(e as Error)?.message ?? e}`);
      }
    }
    const status = aborted ? 'CANCELLED' : 'FAILED';
    try {
      await this.confirm(status, cleanup);
    } catch (e) {
      cause ??= e;
      problems.push(`confirming asset ${this.state.assetId} ${status} failed: ${(e as Error)?.message ?? e}`);
    }
    if (!problems.length) this.update({ phase: aborted ? 'cancelled' : 'failed' });
    // The journal keeps the state: cleaned up (a new call starts anew), or not (a new call resumes and can clean up).
    this.queueSave();
    await this.saving;
    if (!problems.length) return wrapped();
    return new VodUploadError(
      `uploadAsset ${aborted ? 'was aborted' : 'failed'} (${(error as Error)?.message ?? String(error)}), and cleaning up failed: ${problems.join('; ')}`,
      'CLEANUP_FAILED',
      this.state.assetId,
      this.state,
      { cause: error, cleanupError: cause },
    );
  }

  private wrap(error: unknown): VodUploadError {
    const message = (error as Error)?.message ?? String(error);
    const code: VodUploadError['code'] =
      error instanceof SourceChangedError ? 'SOURCE_CHANGED'
        : error instanceof IntegrityError ? 'INTEGRITY'
          : error instanceof ObsError ? 'OBS_ERROR'
            : error instanceof Retryable || error instanceof VodNetworkError ? 'NETWORK'
              : error instanceof VodApiError ? 'VOD_ERROR'
                : 'OBS_ERROR';
    return this.fail(code, `uploadAsset of asset ${this.state?.assetId ?? '(not created)'} failed: ${message}`, error);
  }
}

function md5Of(bytes: Uint8Array): Uint8Array {
  const hash = createMd5();
  hash.update(bytes);
  return hash.digest();
}
