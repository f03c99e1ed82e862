// uploadAsset against the fake VOD + OBS (test/helpers/fake-obs.ts), which checks every V2 signature, Content-MD5,
// ETag, the contiguity of the Complete list and the part-size limits: the object must be byte-identical to the file,
// exactly one asset must be confirmed, and no multipart upload may be left behind after an abort or a failure, under
// every fault the fake injects (dropped connection, 500, expired URL, 429 on the authority call, lost Complete answer,
// kill -9 and resume in another process, file modified during the upload).
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfirmAssetUpload,
  CreateAssetByFileUpload,
  createVodClient,
  createVodCore,
  isVodError,
  ShowAssetTempAuthority,
  uploadAsset,
  VodUploadError,
  VodValidationError,
  type UploadProgress,
  type UploadState,
} from '../../src/index.js';
import { choosePartSize } from '../../src/helpers/upload.js';
import { md5, multipartEtag, toHex } from '../../src/helpers/upload-md5.js';
import { startFakeVodObs, TOKEN, type FakeVodObs } from '../helpers/fake-obs.js';

const dir = mkdtempSync(join(tmpdir(), 'vod-upload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PART = 102_400; // OBS's minimum, so that a small file makes many parts
let fake: FakeVodObs;
afterEach(async () => {
  await fake?.close();
});

function file(name: string, size: number): { path: string; data: Buffer } {
  const data = randomBytes(size);
  const path = join(dir, name);
  writeFileSync(path, data);
  return { path, data };
}

const clientOf = (f: FakeVodObs) => createVodClient({ projectId: 'project', endpoint: f.vodUrl, credentials: { token: TOKEN } });
const fast = { retryDelayMs: 5, progressIntervalMs: 0 } as const;

/** OBS requests of a kind, and how often each part number was sent. */
const obsRequests = (f: FakeVodObs, kind: string) => f.log.filter((r) => r.host === 'obs' && r.kind === kind);
const sendsPerPart = (f: FakeVodObs) => {
  const counts: Record<number, number> = {};
  for (const r of obsRequests(f, 'part')) counts[r.partNumber!] = (counts[r.partNumber!] ?? 0) + 1;
  return counts;
};

/** The invariants of every finished upload: identical bytes, one asset confirmed once, nothing left over. */
function expectUploaded(f: FakeVodObs, assetId: string, data: Buffer) {
  const object = f.objectOf(assetId);
  expect(object, 'the object is in OBS').toBeDefined();
  expect(Buffer.compare(object!.data, data), 'byte-identical').toBe(0);
  expect([...f.assets.values()].map((a) => [a.asset_id, a.confirmations])).toEqual([[assetId, ['CREATED']]]);
  expect(f.uploads.size, 'no multipart upload left').toBe(0);
  expect(f.violations).toEqual([]);
}

describe('uploadAsset: small files (one PUT)', () => {
  it('PUTs a path with the Content-Type of its video type, then confirms CREATED', async () => {
    fake = await startFakeVodObs();
    const { path, data } = file('clip.mov', 50_000);
    const progress: UploadProgress[] = [];
    const result = await clientOf(fake).uploadAsset(path, { title: 'small', ...fast, onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ assetId: expect.stringMatching(/^[0-9a-f]{32}$/), bytes: 50_000, parts: 1 });
    expectUploaded(fake, result.assetId, data);
    const [put] = obsRequests(fake, 'put');
    expect(put).toMatchObject({ method: 'PUT', contentType: 'video/quicktime', status: 200 });
    expect(fake.assets.get(result.assetId)).toMatchObject({ video_type: 'MOV', video_name: 'clip.mov', title: 'small' });
    expect(obsRequests(fake, 'initiate')).toHaveLength(0);
    expect(progress.at(-1)).toMatchObject({ bytesSent: 50_000, bytesTotal: 50_000, partsDone: 1, partsTotal: 1, phase: 'done' });
  });

  it('takes a Blob/File (its name gives type and name) and bytes (with video_type and video_name)', async () => {
    fake = await startFakeVodObs();
    const data = randomBytes(30_000);
    const client = clientOf(fake);
    const fromFile = await client.uploadAsset(new File([data], 'song.mp3'), { title: 'file', ...fast });
    const fromBytes = await client.uploadAsset(new Uint8Array(data), { title: 'bytes', video_type: 'MP4', video_name: 'raw.mp4', ...fast });
    expect(Buffer.compare(fake.objectOf(fromFile.assetId)!.data, data)).toBe(0);
    expect(Buffer.compare(fake.objectOf(fromBytes.assetId)!.data, data)).toBe(0);
    expect(obsRequests(fake, 'put').map((r) => r.contentType)).toEqual(['audio/mpeg', 'video/mp4']);
    expect(fake.violations).toEqual([]);
  });

  it('sends Content-MD5 when video_md5 is given, and refuses a video_md5 that is not the file\'s', async () => {
    fake = await startFakeVodObs();
    const { path, data } = file('md5.mp4', 20_000);
    const video_md5 = md5(data).reduce((s, b) => s + String.fromCharCode(b), '');
    const result = await clientOf(fake).uploadAsset(path, { title: 'md5', video_md5: btoa(video_md5), ...fast });
    expectUploaded(fake, result.assetId, data);
    const wrong = await clientOf(fake).uploadAsset(path, { title: 'md5', video_md5: 'AAAAAAAAAAAAAAAAAAAAAA==', ...fast }).catch((e) => e);
    expect(wrong).toBeInstanceOf(VodUploadError);
    expect(wrong.code).toBe('INTEGRITY');
  });
});

describe('uploadAsset: multipart', () => {
  it('uploads parts in parallel, each with its own presigned URL, Content-MD5 and checked ETag; progress is monotonic', async () => {
    fake = await startFakeVodObs();
    const size = 11 * PART + 777;
    const { path, data } = file('movie.mp4', size);
    const progress: UploadProgress[] = [];
    const result = await clientOf(fake).uploadAsset(path, {
      title: 'multipart',
      partSize: PART,
      multipartThreshold: 0,
      concurrency: 3,
      ...fast,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toEqual({ assetId: expect.any(String), bytes: size, parts: 12 });
    expectUploaded(fake, result.assetId, data);
    expect(fake.objectOf(result.assetId)!.etag).toBe(multipartEtag(Array.from({ length: 12 }, (_, i) => toHex(md5(data.subarray(i * PART, (i + 1) * PART))))));
    expect(sendsPerPart(fake)).toEqual(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [i + 1, 1])));
    // Every OBS request had a URL of its own, presigned just before (one authority call per OBS request).
    const obs = fake.log.filter((r) => r.host === 'obs');
    const authority = fake.log.filter((r) => r.kind === 'authority');
    expect(authority).toHaveLength(obs.length);
    expect(obs.map((r) => r.kind).filter((k) => k !== 'part')).toEqual(['initiate', 'list', 'complete']);
    // The Content-Type sent is the one signed: video/mp4 to initiate, octet-stream for parts, XML to complete.
    expect(obs.find((r) => r.kind === 'initiate')!.contentType).toBe('video/mp4');
    expect(new Set(obs.filter((r) => r.kind === 'part').map((r) => r.contentType))).toEqual(new Set(['application/octet-stream']));
    expect(obs.find((r) => r.kind === 'complete')!.contentType).toBe('application/xml');
    // Progress: monotonic in bytes and parts, ends at the total.
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.bytesSent).toBeGreaterThanOrEqual(progress[i - 1]!.bytesSent);
      expect(progress[i]!.partsDone).toBeGreaterThanOrEqual(progress[i - 1]!.partsDone);
    }
    expect(progress.at(-1)).toMatchObject({ bytesSent: size, bytesTotal: size, partsDone: 12, partsTotal: 12 });
    expect(progress.some((p) => p.bytesSent > 0 && p.bytesSent < size)).toBe(true);
    // The VOD calls (create, authority, confirm) keep to the upload group's 1500 calls/min, 40 ms apart on average
    // (the client's pacer spaces their sending 44 ms apart). Arrival times jitter with the load of the machine, so
    // the check is over spans of four gaps: one late request can shorten one gap, not four.
    const vodTimes = fake.log.filter((r) => r.host === 'vod').map((r) => r.at);
    const spans = vodTimes.slice(4).map((t, i) => t - vodTimes[i]!);
    expect(vodTimes.length).toBeGreaterThan(10);
    expect(Math.min(...spans)).toBeGreaterThan(4 * 40 - 25);
  });

  it('works with a createVodCore client given only the three upload operations', async () => {
    fake = await startFakeVodObs();
    const data = randomBytes(3 * PART);
    const core = createVodCore({ projectId: 'project', endpoint: fake.vodUrl, credentials: { token: TOKEN }, operations: [CreateAssetByFileUpload, ShowAssetTempAuthority, ConfirmAssetUpload] });
    const result = await uploadAsset(core, new Blob([new Uint8Array(data)]), { title: 'core', video_name: 'core.mkv', partSize: PART, multipartThreshold: 0, ...fast });
    expectUploaded(fake, result.assetId, data);
    expect(result.parts).toBe(3);
    // A Blob without a name: video_type came from video_name.
    expect(fake.assets.get(result.assetId)).toMatchObject({ video_type: 'MKV', video_name: 'core.mkv' });
  });

  it('retries only the failing part after a dropped connection, a 500, an expired URL and 429s on the authority call', async () => {
    fake = await startFakeVodObs({
      faults: { dropPart: { 3: 1 }, failPart: { 2: 1 }, expirePart: new Set([5]), throttleAuthority: 2, throttleFrom: 4 },
    });
    const { path, data } = file('faults.mp4', 6 * PART + 5);
    const result = await clientOf(fake).uploadAsset(path, { title: 'faults', partSize: PART, multipartThreshold: 0, concurrency: 2, ...fast });
    expectUploaded(fake, result.assetId, data);
    expect(sendsPerPart(fake)).toEqual({ 1: 1, 2: 2, 3: 2, 4: 1, 5: 2, 6: 1, 7: 1 });
    expect(fake.log.filter((r) => r.kind === 'authority' && r.status === 429)).toHaveLength(2);
    // The expired URL was answered 403 once and never used again: the retry got a URL of its own.
    const part5 = fake.log.filter((r) => r.host === 'obs' && r.partNumber === 5);
    expect(part5.map((r) => r.status)).toEqual([403, 200]);
  });

  it('survives a lost Complete answer: the object is checked, not uploaded twice, and confirmed once', async () => {
    fake = await startFakeVodObs({ faults: { loseComplete: 1 } });
    const { path, data } = file('lost.mp4', 4 * PART);
    const result = await clientOf(fake).uploadAsset(path, { title: 'lost complete', partSize: PART, multipartThreshold: 0, ...fast });
    expectUploaded(fake, result.assetId, data);
    expect(obsRequests(fake, 'complete').length).toBe(2);
    expect(obsRequests(fake, 'get')).toHaveLength(1);
    expect(sendsPerPart(fake)).toEqual({ 1: 1, 2: 1, 3: 1, 4: 1 });
  });

  it('survives a lost ConfirmAssetUpload answer: the repeated CREATED (VOD.10083) is settled by the asset\'s status', async () => {
    fake = await startFakeVodObs({ faults: { loseConfirmCreated: 1 } });
    const { path, data } = file('lost-confirm.mp4', 2 * PART);
    const result = await clientOf(fake).uploadAsset(path, { title: 'lost confirm', partSize: PART, multipartThreshold: 0, ...fast });
    expectUploaded(fake, result.assetId, data);
    expect(fake.log.filter((r) => r.kind === 'confirm CREATED')).toHaveLength(2);
  });

  it('after a lost Complete answer, a VOD that will not presign a GET of the object still ends with one confirmation', async () => {
    fake = await startFakeVodObs({ faults: { loseComplete: 1, refuseObjectGet: true } });
    const { path, data } = file('lost2.mp4', 2 * PART);
    const result = await clientOf(fake).uploadAsset(path, { title: 'lost complete', partSize: PART, multipartThreshold: 0, ...fast });
    expectUploaded(fake, result.assetId, data);
    expect(obsRequests(fake, 'get')).toHaveLength(0);
  });

  it('refuses an unknown extension, bad options and oversized files before sending anything', async () => {
    fake = await startFakeVodObs();
    const client = clientOf(fake);
    const { path } = file('clip.webm', 1000);
    const unknown = await client.uploadAsset(path, { title: 't' }).catch((e) => e);
    expect(unknown).toBeInstanceOf(VodValidationError);
    expect(unknown.message).toMatch(/video_type: cannot be inferred from "clip.webm"/);
    const bad = await client.uploadAsset(path, { title: '', partSize: 1000, concurrency: 0, video_type: 'MP4' }).catch((e) => e);
    expect(bad).toBeInstanceOf(VodValidationError);
    expect(bad.issues.map((i: { path: string }) => i.path)).toEqual(['title', 'partSize', 'concurrency']);
    const noName = await client.uploadAsset(new Uint8Array(10), { title: 't' }).catch((e) => e);
    expect(noName.message).toMatch(/video_type: is required for a source without a file name/);
    expect(fake.log).toEqual([]);
    expect(choosePartSize(50 * 1024 ** 3)).toBe(16 * 1024 ** 2);
    expect(choosePartSize(190e9)).toBe(19_000_000);
    expect(choosePartSize(190e9, 102_400)).toBe(19_000_000);
    expect(() => choosePartSize(250e9)).toThrow(/at most 20000000 bytes and 10000/);
  });
});

describe('uploadAsset: abort and fatal errors clean up', () => {
  it('an abort aborts the multipart upload on OBS (no orphan parts), confirms CANCELLED and rejects with the reason', async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    fake = await startFakeVodObs({
      faults: { partDelayMs: 50 },
      hooks: { partStored: (n) => void (n === 2 && controller.abort(reason)) },
    });
    const { path } = file('abort.mp4', 8 * PART);
    const error = await clientOf(fake).uploadAsset(path, { title: 'abort', partSize: PART, multipartThreshold: 0, concurrency: 2, signal: controller.signal, ...fast }).catch((e) => e);
    expect(error).toBe(reason);
    expect(fake.uploads.size, 'the multipart upload was aborted').toBe(0);
    expect(obsRequests(fake, 'abort')).toHaveLength(1);
    expect([...fake.assets.values()].map((a) => a.confirmations)).toEqual([['CANCELLED']]);
    expect(obsRequests(fake, 'complete')).toHaveLength(0);
  });

  it('a fatal error (ETag that is not the part\'s MD5) aborts, confirms FAILED and rejects with VodUploadError', async () => {
    fake = await startFakeVodObs({ faults: { wrongEtag: true } });
    const { path } = file('etag.mp4', 3 * PART);
    const error = await clientOf(fake).uploadAsset(path, { title: 'etag', partSize: PART, multipartThreshold: 0, ...fast }).catch((e) => e);
    expect(error).toBeInstanceOf(VodUploadError);
    expect(isVodError(error)).toBe(true);
    expect(error.code).toBe('INTEGRITY');
    expect(error.message).toMatch(/ETag f{32}, not its MD5/);
    const [asset] = [...fake.assets.values()];
    expect(error.assetId).toBe(asset!.asset_id);
    expect(error.state).toMatchObject({ assetId: asset!.asset_id, multipart: true, phase: 'failed' });
    expect(asset!.confirmations).toEqual(['FAILED']);
    expect(fake.uploads.size).toBe(0);
  });

  it('a cleanup that fails is reported in the error, never swallowed', async () => {
    fake = await startFakeVodObs({ faults: { wrongEtag: true, failAbort: true } });
    const { path } = file('cleanup.mp4', 3 * PART);
    const error = await clientOf(fake).uploadAsset(path, { title: 'cleanup', partSize: PART, multipartThreshold: 0, maxRetries: 1, ...fast }).catch((e) => e);
    expect(error).toBeInstanceOf(VodUploadError);
    expect(error.code).toBe('CLEANUP_FAILED');
    expect(error.message).toMatch(/aborting the OBS multipart upload .* failed/);
    expect(error.cause.message).toMatch(/ETag/);
    expect(error.cleanupError).toBeDefined();
    expect(error.state.uploadId).toBe([...fake.uploads.keys()][0]);
  });

  it('a file modified during the upload is refused: nothing is completed, the upload is aborted', async () => {
    const { path } = file('changing.mp4', 6 * PART);
    fake = await startFakeVodObs({ hooks: { partStored: (n) => void (n === 1 && appendFileSync(path, 'more bytes')) } });
    const error = await clientOf(fake).uploadAsset(path, { title: 'changing', partSize: PART, multipartThreshold: 0, concurrency: 1, ...fast }).catch((e) => e);
    expect(error).toBeInstanceOf(VodUploadError);
    expect(error.code).toBe('SOURCE_CHANGED');
    expect(error.message).toMatch(/changed during the upload/);
    expect(obsRequests(fake, 'complete')).toHaveLength(0);
    expect(fake.uploads.size).toBe(0);
    expect([...fake.assets.values()].map((a) => a.confirmations)).toEqual([['FAILED']]);
  });
});

describe('uploadAsset: checkpoint and resume', () => {
  let child = '';
  beforeAll(async () => {
    child = join(dir, 'resume-child.mjs');
    await build({ entryPoints: [join(import.meta.dirname, 'resume-child.ts')], bundle: true, platform: 'node', format: 'esm', outfile: child, logLevel: 'silent' });
  });

  it('the checkpoint file is written atomically, 0600, with no URL or secret, and removed once confirmed', async () => {
    const saved: UploadState[] = [];
    fake = await startFakeVodObs({
      hooks: {
        partStored: () => {
          const text = readFileSync(checkpoint, 'utf8');
          saved.push(JSON.parse(text));
          expect(statSync(checkpoint).mode & 0o777).toBe(0o600);
          expect(text).not.toMatch(/Signature|AWSAccessKeyId|Expires|http|upload-test-token/);
        },
      },
    });
    const { path, data } = file('journal.mp4', 4 * PART);
    const checkpoint = join(dir, 'journal.checkpoint.json');
    const result = await clientOf(fake).uploadAsset(path, { title: 'journal', partSize: PART, multipartThreshold: 0, concurrency: 1, checkpoint, ...fast });
    expectUploaded(fake, result.assetId, data);
    expect(saved.length).toBe(4);
    expect(saved[0]).toMatchObject({ version: 1, assetId: result.assetId, multipart: true, partSize: PART, phase: 'uploading', uploadId: expect.any(String) });
    expect(existsSync(checkpoint)).toBe(false);
  });

  it('kill -9 after part k, then a new process finishes the same asset, sending only the missing parts', async () => {
    const parts = 12;
    const { path, data } = file('crash.mp4', parts * PART - 3);
    const checkpoint = join(dir, 'crash.checkpoint.json');
    let killed = false;
    let proc: ReturnType<typeof spawn> | undefined;
    fake = await startFakeVodObs({
      listPageSize: 4, // ListParts is paged: the resumption must follow the markers
      hooks: {
        partStored: (n) => {
          if (n === 5 && proc && !killed) {
            killed = true;
            proc.kill('SIGKILL');
          }
        },
      },
    });
    proc = spawn(process.execPath, [child, fake.vodUrl, path, checkpoint, String(PART), TOKEN], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = await new Promise<NodeJS.Signals | number | null>((resolve) => proc!.on('exit', (code, signal) => resolve(signal ?? code)));
    expect(exit).toBe('SIGKILL');
    const state = JSON.parse(readFileSync(checkpoint, 'utf8')) as UploadState;
    expect(state.phase).toBe('uploading');
    const [asset] = [...fake.assets.values()];
    expect(state.assetId).toBe(asset!.asset_id);
    const storedBefore = [...fake.uploads.values()][0]!.parts.size;
    expect(storedBefore).toBeGreaterThanOrEqual(5);
    expect(storedBefore).toBeLessThan(parts);
    const sentBefore = obsRequests(fake, 'part').length;

    const { stdout } = await promisify(execFile)(process.execPath, [child, fake.vodUrl, path, checkpoint, String(PART), TOKEN]);
    const resumed = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(resumed).toMatchObject({ ok: true, result: { assetId: asset!.asset_id, bytes: data.length, parts } });
    expectUploaded(fake, asset!.asset_id, data);
    const sentAfter = obsRequests(fake, 'part').slice(sentBefore).map((r) => r.partNumber);
    expect(sentAfter.length).toBe(parts - storedBefore);
    expect(new Set(sentAfter).size).toBe(sentAfter.length);
    expect(fake.log.filter((r) => r.kind === 'create')).toHaveLength(1);
    expect(existsSync(checkpoint)).toBe(false);
  }, 30_000);

  it('a checkpoint of another file is refused; a small file resumes through UpdateAsset with a fresh URL', async () => {
    fake = await startFakeVodObs();
    const { path, data } = file('small-resume.mp4', 40_000);
    const states: UploadState[] = [];
    const store = { load: () => states.at(-1), save: (s: UploadState) => void states.push(s) };
    // A first attempt that dies after creating the asset: the checkpoint has the asset, no URL.
    const first = await clientOf(fake).uploadAsset(path, { title: 'small', checkpoint: store, fetch: () => Promise.reject(new TypeError('network down')), maxRetries: 0, keepOnError: true, ...fast }).catch((e) => e);
    expect(first).toBeInstanceOf(VodUploadError);
    expect(first.code).toBe('NETWORK');
    expect(states.at(-1)).toMatchObject({ phase: 'created', multipart: false });
    const other = file('other.mp4', 40_000);
    const refused = await clientOf(fake).uploadAsset(other.path, { title: 'small', checkpoint: store, ...fast }).catch((e) => e);
    expect(refused.code).toBe('SOURCE_CHANGED');
    const result = await clientOf(fake).uploadAsset(path, { title: 'small', checkpoint: store, ...fast });
    expectUploaded(fake, result.assetId, data);
    expect(fake.log.filter((r) => r.kind === 'update')).toHaveLength(1);
  });

  it('a process that died after sending the Complete resumes from the object: no second completion, one confirmation', async () => {
    fake = await startFakeVodObs({ faults: { loseComplete: 1 } });
    const { path, data } = file('completing.mp4', 3 * PART);
    const states: UploadState[] = [];
    const store = { load: () => states.at(-1), save: (s: UploadState) => void states.push(s) };
    const options = { title: 'completing', partSize: PART, multipartThreshold: 0, checkpoint: store, ...fast };
    const first = await clientOf(fake).uploadAsset(path, { ...options, maxRetries: 0, keepOnError: true }).catch((e) => e);
    expect(first).toBeInstanceOf(VodUploadError);
    expect(first.state).toMatchObject({ phase: 'completing' });
    expect([...fake.assets.values()][0]!.confirmations).toEqual([]);
    const result = await clientOf(fake).uploadAsset(path, options);
    expectUploaded(fake, result.assetId, data);
    expect(obsRequests(fake, 'complete')).toHaveLength(1);
    expect(obsRequests(fake, 'part')).toHaveLength(3);
  });

  it('a confirmation that fails once the object is complete leaves the asset alone (no FAILED) for the next call', async () => {
    fake = await startFakeVodObs({ faults: { failConfirmCreated: 1 } });
    const { path, data } = file('confirm.mp4', 2 * PART);
    const states: UploadState[] = [];
    const store = { load: () => states.at(-1), save: (s: UploadState) => void states.push(s) };
    const options = { title: 'confirm', partSize: PART, multipartThreshold: 0, checkpoint: store, ...fast };
    const first = await clientOf(fake).uploadAsset(path, { ...options, maxRetries: 0 }).catch((e) => e);
    expect(first).toMatchObject({ name: 'VodUploadError', code: 'VOD_ERROR', state: { phase: 'completed' } });
    expect([...fake.assets.values()][0]!.confirmations).toEqual([]);
    const sent = fake.log.length;
    const result = await clientOf(fake).uploadAsset(path, options);
    expectUploaded(fake, result.assetId, data);
    expect(fake.log.slice(sent).map((r) => r.kind)).toEqual(['confirm CREATED']);
  });

  it('wait: true waits for the asset after confirming', async () => {
    fake = await startFakeVodObs();
    const { path } = file('wait.mp4', 1000);
    const result = await clientOf(fake).uploadAsset(path, { title: 'wait', wait: { intervalMs: 10 }, ...fast });
    expect(result.asset).toMatchObject({ asset_id: result.assetId, status: 'PUBLISHED' });
  });
});
