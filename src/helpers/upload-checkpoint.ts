// Where an upload journals its state so that another process can finish it: a file (Node, Deno, Bun) written
// atomically (a temporary file, fsync, rename: a kill -9 leaves the old state or the new one, never half of one) and
// readable by its owner only (mode 0600), or any object with load()/save() (localStorage, IndexedDB, a database).
// The state holds IDs, sizes and MD5s only: no credential and no presigned URL (they expire; new ones are fetched).
import type { SourceFingerprint } from './upload-source.js';

export interface UploadState {
  readonly version: 1;
  /** The file the state belongs to: a resumption with another file is refused. */
  readonly source: SourceFingerprint;
  readonly assetId: string;
  readonly videoType: string;
  readonly multipart: boolean;
  readonly partSize: number;
  /** OBS bucket and object key of the video (`target` of CreateAssetByFileUpload); multipart only. */
  readonly bucket?: string;
  readonly objectKey?: string;
  /** The OBS multipart upload, once initiated. */
  readonly uploadId?: string;
  /** Parts that OBS acknowledged: part number → hex MD5 (= its ETag). */
  readonly parts: Readonly<Record<string, string>>;
  /**
   * created: the asset exists, nothing is in OBS yet; uploading: parts are being sent (uploadId set); completing: the
   * Complete request may have been sent; completed: the object is in OBS; confirmed: ConfirmAssetUpload CREATED was
   * answered; cancelled/failed: the upload was given up and cleaned up (a new call starts a new asset).
   */
  readonly phase: 'created' | 'uploading' | 'completing' | 'completed' | 'confirmed' | 'cancelled' | 'failed';
}

export interface CheckpointStore {
  /** The saved state, or undefined (nothing saved yet). */
  load(): UploadState | undefined | Promise<UploadState | undefined>;
  save(state: UploadState): void | Promise<void>;
  /** Called once the upload is confirmed (optional): the state is no longer needed. */
  clear?(): void | Promise<void>;
}

interface NodeFs {
  promises: {
    readFile(path: string, encoding: 'utf8'): Promise<string>;
    open(path: string, flags: string, mode: number): Promise<{ writeFile(data: string): Promise<void>; sync(): Promise<void>; close(): Promise<void> }>;
    rename(from: string, to: string): Promise<void>;
    rm(path: string, options: { force: boolean }): Promise<void>;
    chmod(path: string, mode: number): Promise<void>;
  };
}

/** A checkpoint file at `path`: JSON, replaced atomically on every save, mode 0600. */
export function fileCheckpoint(path: string): CheckpointStore {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; pid?: number } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as NodeFs | undefined;
  if (!fs?.promises) {
    throw new TypeError('checkpoint: a file path needs Node, Deno or Bun (node:fs); elsewhere pass { load, save }');
  }
  const { promises: fsp } = fs;
  let counter = 0;
  return {
    async load() {
      let text: string;
      try {
        text = await fsp.readFile(path, 'utf8');
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return undefined;
        throw error;
      }
      try {
        return JSON.parse(text) as UploadState;
      } catch {
        throw new TypeError(`checkpoint: ${path} is not an upload checkpoint (not JSON)`);
      }
    },
    async save(state) {
      // A new temporary file beside the target (same file system, so rename is atomic), created 0600 and exclusive.
      const temp = `${path}.${proc?.pid ?? 0}.${++counter}.tmp`;
      const handle = await fsp.open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(state)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await fsp.rename(temp, path);
      } catch (error) {
        await fsp.rm(temp, { force: true });
        throw error;
      }
    },
    async clear() {
      await fsp.rm(path, { force: true });
    },
  };
}

/** Whether `value` looks like a state this version wrote (a foreign or damaged checkpoint is refused, not guessed at). */
export function isUploadState(value: unknown): value is UploadState {
  const s = value as UploadState;
  return (
    typeof s === 'object' &&
    s !== null &&
    s.version === 1 &&
    typeof s.assetId === 'string' &&
    typeof s.videoType === 'string' &&
    typeof s.multipart === 'boolean' &&
    Number.isInteger(s.partSize) &&
    typeof s.source === 'object' &&
    s.source !== null &&
    typeof s.parts === 'object' &&
    s.parts !== null &&
    typeof s.phase === 'string'
  );
}
