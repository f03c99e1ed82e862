// The sources uploadAsset reads: a file path (Node, Deno, Bun: node:fs, looked up at run time so that a browser bundle
// never sees it), a Blob or File (every runtime), or a Uint8Array. A source is read one part at a time, never whole
// (a path through a file handle into the caller's buffer), and tells when the file changed under the upload: its size
// or modification time differs from the start (path), or the browser refuses to read a File that changed (Blob).
import { createMd5, toHex } from './upload-md5.js';

/** What identifies the bytes of a source across processes, for a checkpoint to be resumed only with the same file. */
export interface SourceFingerprint {
  readonly size: number;
  /** Modification time in ms (a path's mtime, a File's lastModified), when the source has one. */
  readonly mtimeMs?: number;
  /** Hex MD5 of the first and the last 64 KiB (the same bytes when the source is smaller). */
  readonly head: string;
  readonly tail: string;
}

export interface UploadSource {
  readonly kind: 'path' | 'blob' | 'bytes';
  /** The file's base name (a path's last segment, a File's name), when there is one. */
  readonly name: string | undefined;
  readonly size: number;
  /**
   * The bytes [start, end): into `buffer` when given (its first end - start bytes; path sources), else a new array or
   * a view of the source's own bytes. Throws VodSourceChangedError when the source changed since it was opened.
   */
  read(start: number, end: number, buffer?: Uint8Array): Promise<Uint8Array>;
  /** Throws VodSourceChangedError if the source is no longer the one that was opened (a no-op for bytes). */
  check(): Promise<void>;
  fingerprint(): Promise<SourceFingerprint>;
  close(): Promise<void>;
}

/** The source changed while it was being uploaded (or between a checkpoint and its resumption). */
export class SourceChangedError extends Error {
  override readonly name = 'SourceChangedError';
}

const EDGE = 64 * 1024;

interface NodeStats {
  size: number;
  mtimeMs: number;
  isFile(): boolean;
}
interface NodeFileHandle {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  stat(): Promise<NodeStats>;
  close(): Promise<void>;
}
interface NodeFsPromises {
  open(path: string, flags: string): Promise<NodeFileHandle>;
}

function nodeFs(): NodeFsPromises | undefined {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    return (proc?.getBuiltinModule?.('node:fs') as { promises?: NodeFsPromises } | undefined)?.promises;
  } catch {
    return undefined;
  }
}

const isBlob = (value: unknown): value is Blob => typeof Blob !== 'undefined' && value instanceof Blob;

/** The source's kind, or a message saying what is accepted. */
export function describeSource(source: unknown): 'path' | 'blob' | 'bytes' | undefined {
  if (typeof source === 'string' || source instanceof URL) return 'path';
  if (isBlob(source)) return 'blob';
  if (source instanceof Uint8Array) return 'bytes';
  return undefined;
}

export async function openSource(source: string | URL | Blob | Uint8Array): Promise<UploadSource> {
  if (typeof source === 'string' || source instanceof URL) return openPath(source);
  if (isBlob(source)) return blobSource(source);
  if (source instanceof Uint8Array) return bytesSource(source);
  throw new TypeError('source: must be a file path (string or file: URL), a Blob/File or a Uint8Array');
}

async function edges(source: UploadSource): Promise<{ head: string; tail: string }> {
  const hex = (bytes: Uint8Array) => {
    const hash = createMd5();
    hash.update(bytes);
    return toHex(hash.digest());
  };
  const head = await source.read(0, Math.min(EDGE, source.size));
  const tail = await source.read(Math.max(0, source.size - EDGE), source.size);
  return { head: hex(head), tail: hex(tail) };
}

async function openPath(input: string | URL): Promise<UploadSource> {
  const fs = nodeFs();
  if (!fs) {
    throw new TypeError('source: a file path needs Node, Deno or Bun (node:fs); in a browser pass the File or a Blob');
  }
  let path: string;
  if (input instanceof URL) {
    if (input.protocol !== 'file:') throw new TypeError(`source: only file: URLs are files (got ${input.protocol})`);
    path = decodeURIComponent(input.pathname);
  } else path = input;
  const handle = await fs.open(path, 'r');
  let stats: NodeStats;
  try {
    stats = await handle.stat();
    if (!stats.isFile()) throw new TypeError(`source: ${path} is not a regular file`);
  } catch (error) {
    await handle.close();
    throw error;
  }
  const { size, mtimeMs } = stats;
  const check = async () => {
    const now = await handle.stat();
    if (now.size !== size || now.mtimeMs !== mtimeMs) {
      throw new SourceChangedError(
        `source: ${path} changed during the upload (size ${size} → ${now.size}, mtime ${new Date(mtimeMs).toISOString()} → ${new Date(now.mtimeMs).toISOString()})`,
      );
    }
  };
  const source: UploadSource = {
    kind: 'path',
    name: path.split(/[\\/]/).pop() || undefined,
    size,
    async read(start, end, buffer) {
      const length = end - start;
      const into = buffer ? buffer.subarray(0, length) : new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(into, done, length - done, start + done);
        if (bytesRead === 0) throw new SourceChangedError(`source: ${path} ended at byte ${start + done}, expected ${size} bytes`);
        done += bytesRead;
      }
      // Checked after the read: bytes read while the file was being written are refused, never uploaded.
      await check();
      return into;
    },
    check,
    async fingerprint() {
      return { size, mtimeMs, ...(await edges(source)) };
    },
    close: () => handle.close(),
  };
  return source;
}

function blobSource(blob: Blob): UploadSource {
  const file = blob as Blob & { name?: unknown; lastModified?: unknown };
  const name = typeof file.name === 'string' && file.name ? file.name : undefined;
  const mtimeMs = typeof file.lastModified === 'number' ? file.lastModified : undefined;
  const source: UploadSource = {
    kind: 'blob',
    name,
    size: blob.size,
    async read(start, end) {
      try {
        return new Uint8Array(await blob.slice(start, end).arrayBuffer());
      } catch (error) {
        // Browsers (and Node's file-backed Blobs) refuse to read a file that changed after it was picked.
        throw new SourceChangedError(`source: the ${name ?? 'Blob'} could not be read (changed or removed?): ${(error as Error)?.message ?? error}`, {
          cause: error,
        });
      }
    },
    check: async () => {},
    async fingerprint() {
      return { size: blob.size, ...(mtimeMs !== undefined ? { mtimeMs } : {}), ...(await edges(source)) };
    },
    close: async () => {},
  };
  return source;
}

function bytesSource(bytes: Uint8Array): UploadSource {
  const source: UploadSource = {
    kind: 'bytes',
    name: undefined,
    size: bytes.byteLength,
    read: async (start, end) => bytes.subarray(start, end),
    check: async () => {},
    async fingerprint() {
      return { size: bytes.byteLength, ...(await edges(source)) };
    },
    close: async () => {},
  };
  return source;
}
