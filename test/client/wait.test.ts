// waitForAsset against a stateful local server that moves an asset through its states, answers one poll with 429
// and Retry-After, and drops one connection: the result, the number of polls and the spacing between them.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createVodClient,
  failedAssetStatuses,
  operationTable,
  transientAssetStatuses,
  VodApiError,
  VodNetworkError,
  VodTimeoutError,
  VodWaitTimeoutError,
  VodAssetNotFoundError,
  isVodError,
  VodValidationError,
  type WaitProgress,
} from '../../src/index.js';
import { freePort } from '../../scripts/prism.mjs';
import { spec } from '../helpers/spec.js';
import { json, startServer, type Recorded } from '../helpers/server.js';

const ASSET = 'f488337c31c8e4622f1590735b134c65';
const PROJECT = '0123456789abcdef';
const INFO_PATH = `/v1.0/${PROJECT}/asset/info`;
// The query group's per-tenant limit, from the spec: polls never start closer together than this.
const minSpacingMs = 60_000 / operationTable.ShowAssetMeta.rateLimit.perTenantPerMinute;

type Step = (res: ServerResponse, req: Recorded) => void;
const assetAnswer = (status: string, extra: object = {}): Step => (res) =>
  json(res, 200, { asset_info_array: [{ asset_id: ASSET, status, ...extra }], is_truncated: 0, total: 1 });
const throttled = (seconds: string): Step => (res) =>
  json(res, 429, { error_code: 'APIG.0308', error_msg: 'The throttling threshold has been reached.' }, { 'retry-after': seconds });
const dropped: Step = (res) => res.socket?.destroy();

// The server plays `script` one step per poll of /asset/info; polls records when each arrived.
let script: Step[] = [];
let polls: { at: number; req: Recorded }[] = [];
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer((req, res) => {
    if (!req.path.startsWith(INFO_PATH)) return json(res, 404, { error_code: 'APIG.0101', error_msg: 'not found' });
    polls.push({ at: performance.now(), req });
    const step = script[Math.min(polls.length, script.length) - 1];
    step!(res, req);
  });
});
afterAll(() => server.close());
beforeEach(() => {
  script = [];
  polls = [];
});

// When the client sent each request (what the pacer controls; arrival times at the server add network jitter).
let sent: number[] = [];
beforeEach(() => {
  sent = [];
});
const recordingFetch: typeof fetch = (input, init) => {
  sent.push(performance.now());
  return fetch(input, init);
};
const client = (extra = {}) =>
  createVodClient({ projectId: PROJECT, endpoint: server.url, credentials: { token: 't' }, fetch: recordingFetch, ...extra });
const gaps = () => polls.slice(1).map((p, i) => p.at - polls[i]!.at);
const sendGaps = () => sent.slice(1).map((at, i) => at - sent[i]!);

describe('the spec drives the wait', () => {
  it('reads the transient and failed statuses and the poll rate limit from the spec, not from code', () => {
    const assetStatus = spec.components.schemas.AssetStatus;
    expect(transientAssetStatuses).toEqual(assetStatus['x-transient-values']);
    expect(transientAssetStatuses).toContain('OBS_CREATING');
    for (const status of transientAssetStatuses) expect(assetStatus.enum).toContain(status);
    for (const final of ['OBS_CREATE_SUCCESS', 'OBS_CREATE_FAILED', 'PUBLISHED']) expect(transientAssetStatuses).not.toContain(final);
    expect(failedAssetStatuses).toEqual(assetStatus['x-failure-values']);
    expect(failedAssetStatuses).toContain('OBS_CREATE_FAILED');
    for (const status of failedAssetStatuses) {
      expect(assetStatus.enum).toContain(status);
      expect(transientAssetStatuses).not.toContain(status);
    }
    const limit = spec.paths['/v1.0/{project_id}/asset/info'].get['x-rate-limit'];
    expect(operationTable.ShowAssetMeta.rateLimit).toEqual(limit);
  });
});

describe('waitForAsset', () => {
  it('polls through OBS_CREATING, a 429 with Retry-After and a dropped connection, and resolves with the final AssetInfo', async () => {
    script = [
      assetAnswer('OBS_CREATING'),
      throttled('1'),
      dropped,
      assetAnswer('OBS_CREATING'),
      assetAnswer('OBS_CREATE_SUCCESS', { description: 'transferred' }),
    ];
    const progress: WaitProgress[] = [];
    // retryThrottled of the client does not apply to the polls: waitForAsset waits out (and counts) a 429 itself.
    const asset = await client({ retryThrottled: 3 }).waitForAsset(ASSET, {
      intervalMs: 60,
      maxIntervalMs: 150,
      backoff: 2,
      onPoll: (p) => progress.push(p),
    });
    expect(asset).toEqual({ asset_id: ASSET, status: 'OBS_CREATE_SUCCESS', description: 'transferred' });
    expect(polls).toHaveLength(5);
    for (const { req } of polls) {
      expect(req.method).toBe('GET');
      expect(req.path).toBe(`${INFO_PATH}?asset_id=${ASSET}`);
    }
    const [afterFirst, afterThrottle, afterDrop, afterSecond] = gaps() as [number, number, number, number];
    // Backoff: 60 ms after the first poll, then 120 and 150 (the cap) after the failed and the transient poll.
    expect(afterFirst).toBeGreaterThanOrEqual(55);
    // The 429 asked for 1 s: the next poll waited it out.
    expect(afterThrottle).toBeGreaterThanOrEqual(990);
    expect(afterThrottle).toBeLessThan(1600);
    expect(afterDrop).toBeGreaterThanOrEqual(115);
    expect(afterSecond).toBeGreaterThanOrEqual(145);
    expect(progress.map((p) => [p.attempt, p.outcome, p.httpStatus ?? p.error?.name])).toEqual([
      [1, 'in-progress', 200],
      [2, 'rate-limited', 429],
      [3, 'failed', 'VodNetworkError'],
      [4, 'in-progress', 200],
      [5, 'done', 200],
    ]);
    expect(progress[1]!.nextPollInMs).toBe(1000);
  });

  it('resolves with a failed status as a result, not an exception', async () => {
    script = [assetAnswer('OBS_CREATING'), assetAnswer('OBS_CREATE_FAILED', { description: 'source object not found' })];
    const asset = await client().waitForAsset(ASSET, { intervalMs: 10 });
    expect(asset.status).toBe('OBS_CREATE_FAILED');
    expect(asset.description).toBe('source object not found');
    expect(polls).toHaveLength(2);
  });

  it('never polls faster than the query group allows, however short the interval', async () => {
    script = [...Array(5).fill(assetAnswer('TRANSCODING')), assetAnswer('TRANSCODE_SUCCEED')];
    await client().waitForAsset(ASSET, { intervalMs: 0, maxIntervalMs: 0 });
    expect(polls).toHaveLength(6);
    expect(sent).toHaveLength(6);
    for (const gap of sendGaps()) expect(gap).toBeGreaterThanOrEqual(minSpacingMs);
  });

  it('spaces the polls of concurrent waits of one client together', async () => {
    script = [...Array(7).fill(assetAnswer('OBS_CREATING')), assetAnswer('OBS_CREATE_SUCCESS')];
    const vod = client();
    const options = { intervalMs: 0, maxIntervalMs: 0, transientStatuses: ['OBS_CREATING'] };
    await Promise.all([vod.waitForAsset(ASSET, options), vod.waitForAsset(ASSET, options)]);
    expect(polls.length).toBeGreaterThanOrEqual(8);
    for (const gap of sendGaps()) expect(gap).toBeGreaterThanOrEqual(minSpacingMs);
  });

  it('gives up after timeoutMs with VodWaitTimeoutError (not a network error) carrying the last status and the number of polls', async () => {
    script = [assetAnswer('OBS_CREATING')];
    const started = performance.now();
    const error = await client()
      .waitForAsset(ASSET, { timeoutMs: 400, intervalMs: 100, backoff: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VodWaitTimeoutError);
    expect(error).not.toBeInstanceOf(VodNetworkError);
    expect(isVodError(error)).toBe(true);
    const timeout = error as VodWaitTimeoutError;
    expect(timeout.name).toBe('VodWaitTimeoutError');
    expect(timeout.assetId).toBe(ASSET);
    expect(timeout.timeoutMs).toBe(400);
    expect(timeout.message).toMatch(/timed out after 400 ms .*last status OBS_CREATING/);
    expect(timeout.asset).toMatchObject({ asset_id: ASSET, status: 'OBS_CREATING' });
    // The polls answered before the deadline (one more may have been in flight when it came).
    expect(timeout.polls).toBeGreaterThanOrEqual(sent.length - 1);
    expect(timeout.polls).toBeLessThanOrEqual(sent.length);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(performance.now() - started).toBeLessThan(1000);
    // Nothing more is sent after the timeout (counted where the client sends: a request sent just before the
    // deadline may still reach the server after it).
    const count = sent.length;
    await new Promise((r) => setTimeout(r, 250));
    expect(sent).toHaveLength(count);
  });

  it('stops at once when the signal aborts, rejecting with its reason and sending nothing more', async () => {
    script = [assetAnswer('OBS_CREATING')];
    const controller = new AbortController();
    const pending = client().waitForAsset(ASSET, { signal: controller.signal, intervalMs: 50, backoff: 1 });
    setTimeout(() => controller.abort(), 180);
    const error = await pending.catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    const count = sent.length;
    expect(count).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 150));
    expect(sent).toHaveLength(count);
    const already = AbortSignal.abort(new Error('cancelled by the user'));
    await expect(client().waitForAsset(ASSET, { signal: already })).rejects.toThrow('cancelled by the user');
    expect(sent).toHaveLength(count);
  });

  it('retries network failures a bounded number of times, then rejects with the VodNetworkError', async () => {
    const port = await freePort();
    const vod = createVodClient({ projectId: PROJECT, endpoint: `http://127.0.0.1:${port}`, credentials: { token: 't' } });
    const failures: WaitProgress[] = [];
    const error = await vod
      .waitForAsset(ASSET, { intervalMs: 5, maxRetries: 2, onPoll: (p) => failures.push(p) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VodNetworkError);
    expect(failures.map((p) => p.outcome)).toEqual(['failed', 'failed']); // 3 attempts: the first and 2 retries
  });

  it('retries a 5xx a bounded number of times and rejects with VodApiError; a 4xx at once', async () => {
    script = [(res) => json(res, 500, { error_code: 'VOD.10051', error_msg: 'Internal system error.' })];
    const error = await client().waitForAsset(ASSET, { intervalMs: 5, maxRetries: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VodApiError);
    expect(error).toMatchObject({ status: 500, error: { error_code: 'VOD.10051' } });
    expect(polls).toHaveLength(3);

    polls = [];
    script = [(res) => json(res, 403, { error_code: 'VOD.10074', error_msg: 'No permission for this operation.' })];
    const denied = await client().waitForAsset(ASSET, { intervalMs: 5 }).catch((e: unknown) => e);
    expect(denied).toMatchObject({ name: 'VodApiError', status: 403, error: { error_code: 'VOD.10074' } });
    expect(polls).toHaveLength(1);
  });

  it('gives an asset that the answer does not list a few more polls, then rejects with VodAssetNotFoundError', async () => {
    script = [(res) => json(res, 200, { asset_info_array: [], is_truncated: 0, total: 0 })];
    const outcomes: string[] = [];
    const error = await client()
      .waitForAsset(ASSET, { intervalMs: 5, maxRetries: 2, onPoll: (p) => outcomes.push(p.outcome) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VodAssetNotFoundError);
    expect(error).toMatchObject({ assetId: ASSET, reason: 'not-listed', polls: 3 });
    expect((error as Error).message).toMatch(/does not exist: ShowAssetMeta did not list it in 3 polls/);
    expect(outcomes).toEqual(['not-listed', 'not-listed', 'not-found']);
    expect(polls).toHaveLength(3);
    // Listed late: the wait goes on as usual.
    polls = [];
    script = [(res) => json(res, 200, { asset_info_array: [] }), assetAnswer('OBS_CREATING'), assetAnswer('OBS_CREATE_SUCCESS')];
    expect((await client().waitForAsset(ASSET, { intervalMs: 5 })).status).toBe('OBS_CREATE_SUCCESS');
    expect(polls).toHaveLength(3);
  });

  it('rejects at once with VodAssetNotFoundError when ShowAssetMeta reports NO_ASSET (该媒资不存在)', async () => {
    script = [assetAnswer('NO_ASSET')];
    const outcomes: string[] = [];
    const error = await client().waitForAsset(ASSET, { intervalMs: 5, onPoll: (p) => outcomes.push(p.outcome) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VodAssetNotFoundError);
    expect(error).toMatchObject({ assetId: ASSET, reason: 'NO_ASSET', name: 'VodAssetNotFoundError' });
    expect(outcomes).toEqual(['not-found']);
    expect(polls).toHaveLength(1);
  });

  it('bounds 429s and 503s that give no Retry-After like failures', async () => {
    script = [(res) => json(res, 503, { error_code: 'APIG.0613', error_msg: 'IAM unavailable.' })];
    const error = await client().waitForAsset(ASSET, { intervalMs: 5, maxRetries: 2 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'VodApiError', status: 503 });
    expect(polls).toHaveLength(3);
    polls = [];
    script = [(res) => json(res, 429, { error_code: 'APIG.0308', error_msg: 'The throttling threshold has been reached.' })];
    const throttled = await client().waitForAsset(ASSET, { intervalMs: 5, maxRetries: 1 }).catch((e: unknown) => e);
    expect(throttled).toMatchObject({ name: 'VodApiError', status: 429 });
    expect(polls).toHaveLength(2);
  });

  it('refuses bad arguments before sending anything', async () => {
    const vod = client();
    await expect(vod.waitForAsset('')).rejects.toThrow(VodValidationError);
    await expect(vod.waitForAsset(ASSET, { timeoutMs: -1 })).rejects.toThrow(/timeoutMs: must be a number from 0 to 2147483647/);
    await expect(vod.waitForAsset(ASSET, { timeoutMs: 2 ** 31 })).rejects.toThrow(/timeoutMs: must be a number from 0 to 2147483647/);
    await expect(vod.waitForAsset(ASSET, { transientStatuses: [1 as never] })).rejects.toThrow(/transientStatuses: must be an array of status strings/);
    await expect(vod.waitForAsset(ASSET, { backoff: 0.5 })).rejects.toThrow(/backoff: must be a finite number >= 1/);
    expect(polls).toHaveLength(0);
  });
});
