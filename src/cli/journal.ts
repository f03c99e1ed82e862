/// <reference types="node" />
// The journal of a job: a file of JSON lines, one per event, only ever appended to. It is what makes a job
// resumable after kill -9 (or a power cut) with exactly one asset per item:
// - `job` (first line): what the job is (kind, its parameters) and its ID, which goes into every asset's description
//   as a marker ("hwvod:<job>:<item hash>") so that an asset the job created can be recognised later;
// - `intent` before a call that creates an asset, `created` (or `failed`, `absent`) after it, both fsync'd before the
//   job goes on: an intent without an outcome after a crash means "the call may or may not have created an asset",
//   and the next run finds out (reconcile: the assets created since the intent whose description has the item's
//   marker) before it sends anything again;
// - `asset` when an upload's asset exists (its checkpoint is beside the journal), `status` when a waited-for asset
//   reached a final status, `published`;
// - `sent` with the time of every request, per rate-limit group (not fsync'd: a killed process loses nothing written
//   to the kernel), so that a rerun paces its first calls with the previous run's calls in the window.
// A torn last line (a power cut mid-write) is ignored.
import { closeSync, existsSync, fsync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';

export interface JournalLine {
  t: string;
  at?: number;
  [key: string]: unknown;
}

export class Journal {
  private readonly fd: number;
  readonly lines: JournalLine[];
  readonly job: JournalLine & { id: string; kind: string; params: Record<string, unknown> };

  private constructor(readonly path: string, lines: JournalLine[], fd: number) {
    this.lines = lines;
    this.fd = fd;
    this.job = lines[0] as Journal['job'];
  }

  /**
   * Opens the journal at `path`, or starts one for a job of `kind` with `params`. A journal of another kind, or with
   * other parameters, is refused (JournalMismatch): a rerun must be the same job.
   */
  static open(path: string, kind: string, params: Record<string, unknown>): Journal {
    const lines: JournalLine[] = [];
    if (existsSync(path)) {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        throw new JournalError(`--journal: cannot read ${path}: ${(error as Error).message}`);
      }
      for (const raw of text.split('\n')) {
        if (!raw.trim()) continue;
        try {
          lines.push(JSON.parse(raw) as JournalLine);
        } catch {
          // A line cut short by a crash (only the last one can be): what it announced did not happen.
        }
      }
    }
    let fd: number;
    try {
      fd = openSync(path, 'a', 0o600);
    } catch (error) {
      throw new JournalError(`--journal: cannot open ${path}: ${(error as Error).message}`);
    }
    const journal = new Journal(path, lines, fd);
    if (!lines.length) {
      const job = { t: 'job', v: 1, kind, id: randomBytes(8).toString('hex'), params, at: Date.now() };
      lines.push(job);
      journal.write(job, true);
      (journal as { job: unknown }).job = job;
      return journal;
    }
    const first = lines[0]!;
    if (first.t !== 'job' || first.kind !== kind) {
      closeSync(fd);
      throw new JournalMismatch(`${path} is not the journal of a ${kind} job${first.t === 'job' ? ` (it is a ${String(first.kind)} job's)` : ''}`);
    }
    const before = first.params as Record<string, unknown>;
    for (const [key, value] of Object.entries(params)) {
      if (JSON.stringify(before[key]) !== JSON.stringify(value)) {
        closeSync(fd);
        throw new JournalMismatch(
          `${path} belongs to a job with ${key} ${JSON.stringify(before[key])}, not ${JSON.stringify(value)}: rerun with the same settings, or use another journal`,
        );
      }
    }
    return journal;
  }

  /** Appends `line` (with its time) at once; it is on disk once durable() resolves. */
  append(line: JournalLine, sync = true): void {
    const full = { ...line, at: line.at ?? Date.now() };
    this.lines.push(full);
    this.write(full, false);
    if (sync) this.dirty = true;
  }

  /** Appends `line` and resolves once it is on disk (fsync). */
  async appendDurable(line: JournalLine): Promise<void> {
    this.append(line);
    await this.durable();
  }

  // Group commit: one fsync (in the thread pool, not blocking the event loop) covers every line written before it
  // started, so concurrent items share it; a line written during an fsync waits for the next one.
  private dirty = false;
  private syncing: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  /** Resolves once every line appended so far is on disk. */
  durable(): Promise<void> {
    if (this.syncing) {
      // Lines written before the running fsync started are covered by it; later ones need the next.
      if (!this.dirty) return this.syncing;
      this.next ??= this.syncing.then(() => {
        this.next = undefined;
        return this.durable();
      });
      return this.next;
    }
    if (!this.dirty) return Promise.resolve();
    this.dirty = false;
    const run = new Promise<void>((resolve, reject) => fsync(this.fd, (error) => (error ? reject(error) : resolve())));
    this.syncing = run;
    const done = () => {
      if (this.syncing === run) this.syncing = undefined;
    };
    run.then(done, done);
    return run;
  }

  private write(line: JournalLine, sync: boolean): void {
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    if (sync) fsyncSync(this.fd);
  }

  /**
   * The pacing of a job's calls, for the journal: `sent` (group, time, an ID) when a call leaves, `answered` (ID,
   * time) when its answer is back. Written without fsync: a killed process loses nothing it wrote.
   */
  pacing(): { history: Map<string, number[]>; onSend: (group: string, at: number) => number; onAnswer: (id: number, at: number) => void } {
    // Each call is dated by its answer; one killed in flight by its sending plus a little (it arrived soon after).
    const sent = new Map<string, { g: string; at: number }>();
    const answered = new Map<string, number>();
    for (const line of this.lines) {
      if (line.t === 'sent' && typeof line.g === 'string' && typeof line.at === 'number') sent.set(String(line.id), { g: line.g, at: line.at });
      if (line.t === 'answered' && typeof line.at === 'number') answered.set(String(line.id), line.at);
    }
    const history = new Map<string, number[]>();
    for (const [id, { g, at }] of sent) {
      let list = history.get(g);
      if (!list) history.set(g, (list = []));
      list.push(answered.get(id) ?? at + 1000);
    }
    // IDs are unique across runs: the run's start time and a counter.
    const run = Date.now().toString(36);
    let counter = 0;
    return {
      history,
      onSend: (g, at) => {
        const id = ++counter;
        this.append({ t: 'sent', g, id: `${run}.${id}`, at }, false);
        return id;
      },
      onAnswer: (id, at) => this.append({ t: 'answered', id: `${run}.${id}`, at }, false),
    };
  }

  /** The marker of `item` that goes into its asset's description. */
  marker(item: string): string {
    return `hwvod:${this.job.id}:${itemHash(item)}`;
  }

  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

/** The journal cannot be used (unreadable, or another job's): a usage error. */
export class JournalError extends Error {
  override readonly name: string = 'JournalError';
}

export class JournalMismatch extends JournalError {
  override readonly name = 'JournalMismatch';
}

export const itemHash = (item: string): string => createHash('sha256').update(item).digest('hex').slice(0, 16);

/** The marker in a description, if any: job ID and item hash. */
export function markerIn(description: unknown): { job: string; item: string } | undefined {
  if (typeof description !== 'string') return undefined;
  const match = /hwvod:([0-9a-f]{16}):([0-9a-f]{16})/.exec(description);
  return match ? { job: match[1]!, item: match[2]! } : undefined;
}

/** The state of each item after replaying the journal. */
export interface ItemState {
  asset?: string;
  /** An intent without an outcome: the call may have created an asset. */
  pending?: number;
  /** The creation was answered with an error (no asset). */
  failed?: string;
  /** The final status once waited for. */
  status?: string;
  statusDescription?: string;
  published?: boolean;
  /** upload: the asset of an upload in progress (its checkpoint holds the rest). */
  uploading?: string;
  /** upload: an asset given up (to delete before another attempt). */
  discard?: string[];
}

export function replay(journal: Journal): Map<string, ItemState> {
  const items = new Map<string, ItemState>();
  const get = (key: unknown) => {
    const k = String(key);
    let s = items.get(k);
    if (!s) items.set(k, (s = {}));
    return s;
  };
  for (const line of journal.lines) {
    switch (line.t) {
      case 'intent': {
        const s = get(line.item);
        s.pending = line.at ?? 0;
        delete s.failed;
        break;
      }
      case 'created': {
        const s = get(line.item);
        s.asset = String(line.asset);
        delete s.pending;
        delete s.uploading;
        break;
      }
      case 'absent':
        delete get(line.item).pending;
        break;
      case 'failed': {
        const s = get(line.item);
        delete s.pending;
        s.failed = String(line.error);
        break;
      }
      case 'asset':
        get(line.item).uploading = String(line.asset);
        break;
      case 'discarded': {
        const s = get(line.item);
        if (s.uploading === line.asset) delete s.uploading;
        s.discard = (s.discard ?? []).filter((id) => id !== line.asset);
        break;
      }
      case 'abandoned': {
        const s = get(line.item);
        s.discard = [...(s.discard ?? []), String(line.asset)];
        if (s.uploading === line.asset) delete s.uploading;
        break;
      }
      case 'status': {
        const s = get(line.item);
        s.status = String(line.status);
        if (typeof line.description === 'string') s.statusDescription = line.description;
        break;
      }
      case 'published':
        for (const item of (line.items as string[]) ?? []) get(item).published = true;
        break;
    }
  }
  return items;
}
