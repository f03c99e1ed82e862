// The VOD simulator (src/simulator/): state across requests, the clock, authentication, validation, rate limits,
// faults, the OBS side and the HTTP control API. Every JSON answer a test reads is also checked against the spec.
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allOperations } from '../../generated/operations/index.js';
import { createVodClient } from '../../src/index.js';
import { startVodSimulator, STATEFUL, type VodSimulator } from '../../src/simulator/index.js';
import { call, violations, type Sent } from './helpers.js';

let sim: VodSimulator;
// The clock is frozen (time scale 0): it moves only with clock.advance(), so that each step is exact.
beforeAll(async () => {
  sim = await startVodSimulator({ processingMs: 5_000, timeScale: 0 });
});
afterAll(() => sim.close());
afterEach(() => {
  sim.reset();
  sim.clock.timeScale = 0;
});

/** The answer, after checking it against the spec's declared response of that status. */
function conforming(operationId: string, x: Sent): Sent {
  expect(violations(operationId, x.status, x.json), `${operationId} ${x.status} ${x.text}`).toEqual([]);
  return x;
}

const transfer = (bucket: string, object = 'videos/launch.mp4', extra: Record<string, unknown> = {}) =>
  call(sim, 'POST', '/asset/reproduction', { body: { title: 'launch', video_type: 'MP4', input: { bucket, location: 'cn-north-4', object }, ...extra } });
const meta = async (id: string) => conforming('ShowAssetMeta', await call(sim, 'GET', '/asset/info', { query: { asset_id: id } })).json.asset_info_array[0];

describe('state: the OBS transfer flow with the validating client (AK/SK)', () => {
  it('authorise → transfer → OBS_CREATING until the clock passes processingMs → publish → unpublish → delete, each visible in the next query', async () => {
    const vod = createVodClient({ projectId: sim.projectId, endpoint: sim.url, credentials: { ak: sim.ak, sk: sim.sk }, retryThrottled: 0 } as Parameters<typeof createVodClient>[0]);
    const refused = await vod.publishAssetFromObs({ title: 't', video_type: 'MP4', input: { bucket: 'media', location: 'cn-north-4', object: 'a.mp4' } });
    expect(refused.response.status).toBe(403);
    expect(refused.error).toMatchObject({ error_code: 'VOD.10114' });

    expect((await vod.updateBucketAuthorized({ bucket: 'media', operation: '1' })).response.status).toBe(200);
    expect(sim.state.buckets).toEqual(['media']);
    const created = await vod.publishAssetFromObs({ title: '新品发布会', video_type: 'MP4', input: { bucket: 'media', location: 'cn-north-4', object: 'videos/launch.mp4' } });
    const id = created.data!.asset_id!;
    expect(id).toMatch(/^[0-9a-f]{32}$/);

    const first = await vod.showAssetMeta({ asset_id: [id] });
    expect(first.data!.asset_info_array![0]).toMatchObject({ asset_id: id, status: 'OBS_CREATING', base_info: { title: '新品发布会', video_name: 'launch.mp4' } });
    sim.clock.advance(4_999);
    expect((await meta(id)).status).toBe('OBS_CREATING');
    sim.clock.advance(1);
    expect((await meta(id)).status).toBe('OBS_CREATE_SUCCESS');

    const detail = await vod.showAssetDetail({ asset_id: id });
    expect(detail.data).toMatchObject({ asset_id: id, base_info: { title: '新品发布会', source_path: { bucket: 'media', object: 'videos/launch.mp4' } } });

    const published = await vod.publishAssets({ asset_id: [id] });
    expect(published.data!.asset_info_array![0]!.status).toBe('PUBLISHED');
    expect((await meta(id)).status).toBe('PUBLISHED');
    expect((await vod.unpublishAssets({ asset_id: [id] })).data!.asset_info_array![0]!.status).toBe('OBS_CREATE_SUCCESS');

    const deleted = await vod.deleteAssets({ asset_id: [id] });
    expect(deleted.data!.delete_result_array).toEqual([{ asset_id: id, status: 'DELETED' }]);
    expect((await meta(id)).status).toBe('DELETED');
    const gone = await vod.showAssetDetail({ asset_id: id });
    expect(gone.error).toMatchObject({ error_code: 'VOD.10062' });
    expect((await vod.listAssetList({})).data).toEqual({ total: 0, assets: [] });
  });

  it('waitForAsset polls the simulator until the transfer ends (time scale 1000: 5 simulated seconds take 5 ms)', async () => {
    sim.clock.timeScale = 1000;
    try {
      const vod = createVodClient({ projectId: sim.projectId, endpoint: sim.url, credentials: { token: sim.token } });
      await vod.updateBucketAuthorized({ bucket: 'media', operation: '1' });
      const id = (await vod.publishAssetFromObs({ title: 't', video_type: 'MP4', input: { bucket: 'media', location: 'cn-north-4', object: 'a.mp4' } })).data!.asset_id!;
      const done = await vod.waitForAsset(id, { intervalMs: 10, timeoutMs: 10_000 });
      expect(done.status).toBe('OBS_CREATE_SUCCESS');
    } finally {
      sim.clock.timeScale = 0;
    }
  });

  it('a transfer of a removed or broken object ends OBS_CREATE_FAILED with the reason; failAsset fails one on demand', async () => {
    conforming('UpdateBucketAuthorized', await call(sim, 'PUT', '/asset/authority', { body: { bucket: 'media', operation: '1' } }));
    sim.obs.remove('media', 'gone.mp4');
    sim.obs.break('media', 'broken.mp4');
    const gone = conforming('PublishAssetFromObs', await transfer('media', 'gone.mp4')).json.asset_id;
    const broken = (await transfer('media', 'broken.mp4')).json.asset_id;
    const fine = (await transfer('media', 'fine.mp4')).json.asset_id;
    sim.failAsset(fine, 'OBS_CREATE_FAILED', 'requested by the test');
    expect((await meta(gone)).status).toBe('OBS_CREATING');
    sim.clock.advance(5_000);
    expect(await meta(gone)).toMatchObject({ status: 'OBS_CREATE_FAILED', description: expect.stringContaining('does not exist') });
    expect(await meta(broken)).toMatchObject({ status: 'OBS_CREATE_FAILED', description: expect.stringContaining('cannot be read') });
    expect(await meta(fine)).toMatchObject({ status: 'OBS_CREATE_FAILED', description: 'requested by the test' });
    // A failed asset cannot be published: it keeps its status.
    const published = conforming('PublishAssets', await call(sim, 'POST', '/asset/status/publish', { body: { asset_id: [gone] } }));
    expect(published.json.asset_info_array[0].status).toBe('OBS_CREATE_FAILED');
    // Withdrawing the authorisation refuses the next transfer.
    await call(sim, 'PUT', '/asset/authority', { body: { bucket: 'media', operation: '0' } });
    expect(conforming('PublishAssetFromObs', await transfer('media')).json.error_code).toBe('VOD.10114');
  });

  it('ListAssetList pages by page (from 0) and size, newest first, with the total; ShowAssetMeta marks is_truncated', async () => {
    await call(sim, 'PUT', '/asset/authority', { body: { bucket: 'media', operation: '1' } });
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      ids.push((await transfer('media', `v${n}.mp4`)).json.asset_id);
      sim.clock.advance(1_000);
    }
    const page0 = conforming('ListAssetList', await call(sim, 'GET', '/asset/list', { query: { size: '2' } })).json;
    const page1 = conforming('ListAssetList', await call(sim, 'GET', '/asset/list', { query: { size: '2', page: '1' } })).json;
    expect(page0.total).toBe(3);
    expect(page0.assets.map((a: { asset_id: string }) => a.asset_id)).toEqual([ids[2], ids[1]]);
    expect(page1.assets.map((a: { asset_id: string }) => a.asset_id)).toEqual([ids[0]]);
    const asc = (await call(sim, 'GET', '/asset/list', { query: { order: 'asc', size: '1' } })).json;
    expect(asc.assets[0].asset_id).toBe(ids[0]);
    const info = conforming('ShowAssetMeta', await call(sim, 'GET', '/asset/info', { query: { size: '2' } })).json;
    expect(info).toMatchObject({ is_truncated: 1, total: 3 });
    expect(info.asset_info_array).toHaveLength(2);
    // Status filters use each page's vocabulary: CREATING until processed, then CREATED (ListAssetList).
    sim.clock.advance(2_000); // the first transfer (5 s) has ended, the two later ones have not
    expect((await call(sim, 'GET', '/asset/list', { query: { status: 'CREATING' } })).json.total).toBe(2);
    expect((await call(sim, 'GET', '/asset/list', { query: { status: 'CREATED' } })).json.assets[0].asset_id).toBe(ids[0]);
  });

  it('UpdateAssetMeta changes what the next queries return; an unknown asset is VOD.10062 with the status its page shows (400)', async () => {
    await call(sim, 'PUT', '/asset/authority', { body: { bucket: 'media', operation: '1' } });
    const id = (await transfer('media')).json.asset_id;
    const updated = await call(sim, 'PUT', '/asset/info', { body: { asset_id: id, title: 'renamed', description: 'd', tags: 'a,b' } });
    expect(updated.status).toBe(204);
    expect(updated.text).toBe('');
    expect((await meta(id)).base_info).toMatchObject({ title: 'renamed', description: 'd', tags: 'a,b' });
    const unknown = conforming('UpdateAssetMeta', await call(sim, 'PUT', '/asset/info', { body: { asset_id: 'f'.repeat(32), title: 'x' } }));
    expect(unknown.status).toBe(400);
    expect(unknown.json.error_code).toBe('VOD.10062');
    // Where the page shows no status for the code, the error-code catalogue's usual one (403 for VOD.10062).
    const category = conforming('DeleteAssetCategory', await call(sim, 'DELETE', '/asset/category', { query: { id: '12345' } }));
    expect([category.status, category.json.error_code]).toEqual([403, 'VOD.10062']);
  });

  it('categories: create (levels 1 and 2), update, list as a tree (IDs as strings), delete with the subtree; assets fall back to -1', async () => {
    const top = conforming('CreateAssetCategory', await call(sim, 'POST', '/asset/category', { body: { name: '电影' } })).json;
    expect(top).toMatchObject({ name: '电影', parent_id: 0, level: 1, projectId: sim.projectId });
    const child = conforming('CreateAssetCategory', await call(sim, 'POST', '/asset/category', { body: { name: '动作', parent_id: top.id } })).json;
    expect(child).toMatchObject({ parent_id: top.id, level: 2 });
    expect(conforming('UpdateAssetCategory', await call(sim, 'PUT', '/asset/category', { body: { id: top.id, name: 'film' } })).json.name).toBe('film');
    const tree = conforming('ListAssetCategory', await call(sim, 'GET', '/asset/category', { query: { id: '0' } })).json;
    expect(tree).toEqual([{ id: String(top.id), name: 'film', children: [{ id: String(child.id), name: '动作', children: [] }] }]);

    await call(sim, 'PUT', '/asset/authority', { body: { bucket: 'media', operation: '1' } });
    const id = (await transfer('media', 'a.mp4', { category_id: child.id })).json.asset_id;
    expect((await meta(id)).base_info).toMatchObject({ category_id: child.id, category_name: '动作' });
    expect((await call(sim, 'DELETE', '/asset/category', { query: { id: String(top.id) } })).status).toBe(204);
    expect((await call(sim, 'GET', '/asset/category', { query: { id: '0' } })).json).toEqual([]);
    expect((await meta(id)).base_info).toMatchObject({ category_id: -1, category_name: '其他' });
    const missing = conforming('DeleteAssetCategory', await call(sim, 'DELETE', '/asset/category', { query: { id: String(child.id) } }));
    expect(missing.json.error_code).toBe('VOD.10062');
  });
});

describe('authentication, as the gateway', () => {
  const list = (auth: Parameters<typeof call>[3] extends infer O ? (O extends { auth?: infer A } ? A : never) : never) =>
    call(sim, 'GET', '/asset/list', { auth });

  it('accepts the one token and correctly signed AK/SK requests (X-Sdk-Date up to 15 minutes off)', async () => {
    expect((await list('token')).status).toBe(200);
    expect((await list('aksk')).status).toBe(200);
    expect((await list({ ak: sim.ak, sk: sim.sk, date: new Date(Date.now() - 10 * 60_000) })).status).toBe(200);
  });

  it.each([
    ['no credentials', 'none' as const, /no credentials/],
    ['a wrong token', { token: 'not-the-token' }, /X-Auth-Token is not valid/],
    ['a signature with another SK', { ak: 'x', sk: 'y' }, /access key does not exist/],
    ['a 16-minute-old X-Sdk-Date', { ak: 'AK', sk: 'SK', date: new Date(Date.now() - 16 * 60_000) }, /15 minutes/],
  ])('refuses %s with 401 APIG.0301', async (_, auth, message) => {
    const pair = typeof auth === 'object' && 'ak' in auth ? { ...auth, ak: auth.ak === 'x' ? 'OTHERAK' : sim.ak, sk: auth.sk === 'y' ? 'other' : sim.sk } : auth;
    const x = conforming('ListAssetList', await list(pair));
    expect(x.status).toBe(401);
    expect(x.json).toMatchObject({ error_code: 'APIG.0301', error_msg: expect.stringMatching(message), request_id: expect.any(String) });
  });

  it('verifies the signature: a wrong SK, a changed body, a changed query are refused', async () => {
    expect((await list({ ak: sim.ak, sk: `${sim.sk}x` })).json.error_msg).toMatch(/verify aksk signature fail/);
    // Sign one body, send another.
    const url = `${sim.url}/v1.0/${sim.projectId}/asset/category`;
    const headers = new Headers({ 'content-type': 'application/json' });
    const { signHeaders } = await import('../../src/signer.js');
    await signHeaders({ method: 'POST', url, headers, body: '{"name":"a"}' }, { ak: sim.ak, sk: sim.sk });
    const changed = await fetch(url, { method: 'POST', headers, body: '{"name":"b"}' });
    expect(changed.status).toBe(401);
    const same = await fetch(url, { method: 'POST', headers, body: '{"name":"a"}' });
    expect(same.status).toBe(200);
    const query = new Headers();
    await signHeaders({ method: 'GET', url: `${sim.url}/v1.0/${sim.projectId}/asset/list?size=1`, headers: query }, { ak: sim.ak, sk: sim.sk });
    expect((await fetch(`${sim.url}/v1.0/${sim.projectId}/asset/list?size=2`, { headers: query })).status).toBe(401);
  });

  it('an operation whose security is the token only refuses AK/SK; another project is 403 APIG.0310', async () => {
    const path = `/v1.0/${sim.domainId}/vod/statistics/summary`;
    const query = { interval: '3600' };
    const token = await call(sim, 'GET', path, { query, auth: 'token' });
    const aksk = await call(sim, 'GET', path, { query, auth: 'aksk' });
    expect(aksk.status).toBe(401);
    expect(aksk.json.error_msg).toMatch(/accepts only an IAM token/);
    expect(token.status).not.toBe(401);
    const other = await call(sim, 'GET', '/v1.0/ffffffffffffffffffffffffffffffff/asset/list');
    expect(other.status).toBe(403);
    expect(other.json.error_code).toBe('APIG.0310');
  });

  it('an unknown path is 404 APIG.0101', async () => {
    const x = await call(sim, 'GET', '/asset/nothing-here');
    expect(x.status).toBe(404);
    expect(x.json.error_code).toBe('APIG.0101');
  });
});

describe('validation with the spec\'s generated validators', () => {
  it('answers 400 VOD.10053 naming the field and the rule (byte limits included)', async () => {
    const long = conforming('PublishAssetFromObs', await call(sim, 'POST', '/asset/reproduction', {
      body: { title: '视'.repeat(43), video_type: 'MP4', input: { bucket: 'b', location: 'cn-north-4', object: 'o' } },
    }));
    expect(long.status).toBe(400);
    expect(long.json.error_code).toBe('VOD.10053');
    expect(long.json.error_msg).toMatch(/illegal field: title/);
    expect(long.json.error_msg).toMatch(/128/);
    const missing = await call(sim, 'POST', '/asset/reproduction', { body: { title: 't', video_type: 'MP4' } });
    expect(missing.json.error_msg).toMatch(/illegal field: input; it is required/);
    const query = await call(sim, 'GET', '/asset/list', { query: { size: '101' } });
    expect(query.status).toBe(400);
    expect(query.json.error_msg).toMatch(/illegal field: size/);
    const unknown = await call(sim, 'GET', '/asset/list', { query: { sizes: '1' } });
    expect(unknown.json.error_msg).toMatch(/sizes; it is not a known query parameter/);
    const notJson = await call(sim, 'POST', '/asset/category', { raw: '{"name":' });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error_msg).toMatch(/not JSON/);
  });

  it('answers every operation without a stateful handler with its spec example, valid against the spec', async () => {
    expect(STATEFUL).toEqual(expect.arrayContaining(['PublishAssetFromObs', 'ShowAssetMeta', 'CreateAssetByFileUpload', 'ShowAssetTempAuthority', 'ConfirmAssetUpload', 'CreateAssetCategory']));
    expect(STATEFUL).not.toContain('ShowStorageModeType');
    const stateless = conforming('ShowStorageModeType', await call(sim, 'GET', '/v1/' + sim.projectId + '/asset/storage-mode-type'));
    expect(stateless.status).toBe(200);
    expect(stateless.json).toBeTypeOf('object');
    expect(allOperations.length).toBe(83);
  });
});

describe('rate limits (x-rate-limit per tenant and group) and the time scale', () => {
  // The group with the smallest per-tenant limit, from the generated operation modules.
  const tightest = [...allOperations].filter((o) => o.rateLimit && 'body' in o && o.body).sort((a, b) => a.rateLimit!.perTenantPerMinute - b.rateLimit!.perTenantPerMinute)[0]!;

  it(`answers 429 APIG.0308 with Retry-After past ${tightest.rateLimit!.perTenantPerMinute}/min (${tightest.id}), again after a simulated minute`, async () => {
    const limit = tightest.rateLimit!.perTenantPerMinute;
    const send = () => call(sim, tightest.method, tightest.path.replace(/^\/v[^/]+\/\{project_id\}/, ''), { raw: '{}' });
    for (let i = 0; i < limit; i++) expect((await send()).status).toBe(400);
    const throttled = conforming(tightest.id, await send());
    expect(throttled.status).toBe(429);
    expect(throttled.json.error_code).toBe('APIG.0308');
    const retryAfter = Number(throttled.headers.get('retry-after'));
    expect(retryAfter).toBe(60); // frozen clock: simulated seconds until the window has room
    // Another group is not affected.
    expect((await call(sim, 'GET', '/asset/list')).status).toBe(200);
    sim.clock.advance(60_000);
    expect((await send()).status).toBe(400);
  });

  it('with time scale 60 the window is one real second and Retry-After says so', async () => {
    sim.clock.timeScale = 60;
    try {
      const limit = tightest.rateLimit!.perTenantPerMinute;
      const send = () => call(sim, tightest.method, tightest.path.replace(/^\/v[^/]+\/\{project_id\}/, ''), { raw: '{}' });
      for (let i = 0; i < limit; i++) await send();
      const throttled = await send();
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('1');
      await new Promise((r) => setTimeout(r, 1_100));
      expect((await send()).status).toBe(400);
    } finally {
      sim.clock.timeScale = 0;
    }
  });
});

describe('faults on demand', () => {
  it('drops the connection of the n-th request of an operation, once', async () => {
    sim.setFault({ operation: 'ListAssetList', nth: 2, kind: 'drop' });
    expect((await call(sim, 'GET', '/asset/list')).status).toBe(200);
    await expect(call(sim, 'GET', '/asset/list')).rejects.toThrow(/fetch failed/);
    expect((await call(sim, 'GET', '/asset/list')).status).toBe(200);
    expect(sim.faults).toEqual([]);
  });

  it('answers 5xx or 429, adds latency, for one operation only, as often as asked', async () => {
    sim.setFault({ operation: 'ShowAssetMeta', kind: 'error', status: 503, times: 2 });
    expect((await call(sim, 'GET', '/asset/info')).status).toBe(503);
    const second = await call(sim, 'GET', '/asset/info');
    expect(second.json).toMatchObject({ error_code: 'APIG.0613' });
    expect((await call(sim, 'GET', '/asset/info')).status).toBe(200);
    expect((await call(sim, 'GET', '/asset/list')).status).toBe(200);

    sim.setFault({ operation: 'ListAssetList', kind: 'throttle', retryAfter: 7 });
    const throttled = conforming('ListAssetList', await call(sim, 'GET', '/asset/list'));
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '7']);
    sim.clearFaults();

    sim.setFault({ kind: 'latency', latencyMs: 300, nth: 1 });
    const started = Date.now();
    expect((await call(sim, 'GET', '/asset/list')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('refuses a fault it cannot apply, naming the field', () => {
    expect(() => sim.setFault({ kind: 'explode' as 'drop' })).toThrow(/fault.kind must be one of/);
    expect(() => sim.setFault({ kind: 'drop', operation: 'NoSuchOperation' })).toThrow(/fault.operation must be an operationId/);
    expect(() => sim.setFault({ kind: 'drop', nth: 0 })).toThrow(/fault.nth/);
  });
});

describe('upload: presigned OBS URLs and multipart', () => {
  const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('base64');

  it('PUT to video_upload_url: method, Content-Type and Content-MD5 as signed; ConfirmAssetUpload → CREATED', async () => {
    const video = Buffer.from('a small video');
    const created = conforming('CreateAssetByFileUpload', await call(sim, 'POST', '/asset', {
      body: { title: 'up', video_name: 'up.mp4', video_type: 'MP4', video_md5: md5(video) },
    })).json;
    expect(created.target).toMatchObject({ bucket: sim.uploadBucket, location: sim.location });
    expect((await meta(created.asset_id)).status).toBe('CREATING');
    const put = (headers: Record<string, string>, body = video, method = 'PUT') => fetch(created.video_upload_url, { method, headers, body });
    const wrongType = await put({ 'content-type': 'application/octet-stream', 'content-md5': md5(video) });
    expect(wrongType.status).toBe(403);
    expect(await wrongType.text()).toMatch(/<Code>SignatureDoesNotMatch<\/Code>/);
    expect((await put({ 'content-type': 'video/mp4' })).status).toBe(403); // the signed Content-MD5 is missing
    const otherBytes = await put({ 'content-type': 'video/mp4', 'content-md5': md5(video) }, Buffer.from('other bytes'));
    expect(await otherBytes.text()).toMatch(/<Code>BadDigest<\/Code>/);
    const ok = await put({ 'content-type': 'video/mp4', 'content-md5': md5(video) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe(`"${createHash('md5').update(video).digest('hex')}"`);
    expect(sim.obs.list(sim.uploadBucket)).toEqual([{ key: created.target.object, object: expect.objectContaining({ size: video.length }) }]);

    conforming('ConfirmAssetUpload', await call(sim, 'POST', '/asset/status/uploaded', { body: { asset_id: created.asset_id, status: 'CREATED' } }));
    expect(await meta(created.asset_id)).toMatchObject({ status: 'CREATED' });
    // A presigned URL expires with the simulated clock.
    sim.clock.advance(3_601_000);
    const expired = await put({ 'content-type': 'video/mp4', 'content-md5': md5(video) });
    expect([expired.status, await expired.text()]).toEqual([403, expect.stringMatching(/Request has expired/)]);
  });

  it('CheckMd5Duplication finds an uploaded asset by its video_md5 and size; UpdateAsset replaces the video (CREATING until confirmed)', async () => {
    const video = Buffer.from('the same video');
    const created = (await call(sim, 'POST', '/asset', { body: { title: 'dup', video_name: 'dup.mp4', video_type: 'MP4', video_md5: md5(video) } })).json;
    const check = async () =>
      conforming('CheckMd5Duplication', await call(sim, 'GET', '/asset/duplication', { query: { md5: md5(video), size: String(video.length) } })).json;
    expect(await check()).toEqual({ is_duplicated: 0, asset_ids: [] });
    await fetch(created.video_upload_url, { method: 'PUT', headers: { 'content-type': 'video/mp4', 'content-md5': md5(video) }, body: new Uint8Array(video) });
    await call(sim, 'POST', '/asset/status/uploaded', { body: { asset_id: created.asset_id, status: 'CREATED' } });
    expect(await check()).toEqual({ is_duplicated: 1, asset_ids: [created.asset_id] });

    const replaced = conforming('UpdateAsset', await call(sim, 'PUT', '/asset', { body: { asset_id: created.asset_id, video_type: 'MOV', video_name: 'dup.mov', cover_type: 'PNG' } })).json;
    expect(replaced).toMatchObject({ asset_id: created.asset_id, video_upload_url: expect.stringContaining('.mov?'), cover_upload_url: expect.stringContaining('Cover0.png') });
    expect((await meta(created.asset_id)).status).toBe('CREATING');
    expect((await fetch(replaced.video_upload_url, { method: 'PUT', headers: { 'content-type': 'video/quicktime' }, body: new Uint8Array(video) })).status).toBe(200);
    await call(sim, 'POST', '/asset/status/uploaded', { body: { asset_id: created.asset_id, status: 'CREATED' } });
    expect(await meta(created.asset_id)).toMatchObject({ status: 'CREATED', base_info: { video_type: 'MOV', video_name: 'dup.mov' } });
  });

  it('confirming without an upload ends UPLOAD_FAILED; the expire-presigned fault expires the next OBS request', async () => {
    const created = (await call(sim, 'POST', '/asset', { body: { title: 'up', video_name: 'up.mp4', video_type: 'MOV' } })).json;
    sim.setFault({ kind: 'expire-presigned', operation: 'OBS' });
    const expired = await fetch(created.video_upload_url, { method: 'PUT', headers: { 'content-type': 'video/quicktime' }, body: 'x' });
    expect(await expired.text()).toMatch(/Request has expired/);
    sim.clearFaults();
    await call(sim, 'POST', '/asset/status/uploaded', { body: { asset_id: created.asset_id, status: 'CREATED' } });
    expect(await meta(created.asset_id)).toMatchObject({ status: 'UPLOAD_FAILED', description: expect.stringContaining('not uploaded') });
  });

  it('multipart: initiate, parts (100 KB minimum but the last), ListParts, complete with the ETags, abort', async () => {
    const created = (await call(sim, 'POST', '/asset', { body: { title: 'big', video_name: 'big.mp4', video_type: 'MP4' } })).json;
    const { bucket, object } = created.target;
    const sign = async (query: Record<string, string>) =>
      conforming('ShowAssetTempAuthority', await call(sim, 'GET', `/v1.1/${sim.projectId}/asset/authority`, { query: { bucket, object_key: object, ...query } })).json.sign_str as string;

    const initiate = await fetch(await sign({ http_verb: 'POST', content_type: 'video/mp4' }), { method: 'POST', headers: { 'content-type': 'video/mp4' } });
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await initiate.text())![1]!;
    const part1 = Buffer.alloc(100 * 1024, 1);
    const part2 = Buffer.from('the end');
    const putPart = async (n: number, bytes: Buffer) => {
      const url = await sign({ http_verb: 'PUT', upload_id: uploadId, part_number: String(n), content_md5: md5(bytes), content_type: 'video/mp4' });
      const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'video/mp4', 'content-md5': md5(bytes) }, body: new Uint8Array(bytes) });
      expect(res.status).toBe(200);
      return res.headers.get('etag')!;
    };
    const etag1 = await putPart(1, part1);
    const etag2 = await putPart(2, part2);
    const listed = await (await fetch(await sign({ http_verb: 'GET', upload_id: uploadId }))).text();
    expect([...listed.matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => m[1])).toEqual(['1', '2']);
    expect(listed).toContain(`<ETag>${etag2}</ETag>`);

    const complete = async (parts: [number, string][]) =>
      fetch(await sign({ http_verb: 'POST', upload_id: uploadId, content_type: 'application/xml' }), {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: `<CompleteMultipartUpload>${parts.map(([n, e]) => `<Part><PartNumber>${n}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`,
      });
    expect(await (await complete([[1, etag1], [2, '"0000"']])).text()).toMatch(/<Code>InvalidPart<\/Code>/);
    expect(await (await complete([[2, etag2], [1, etag1]])).text()).toMatch(/<Code>InvalidPartOrder<\/Code>/);
    const done = await complete([[1, etag1], [2, etag2]]);
    expect(done.status).toBe(200);
    expect(await done.text()).toMatch(/<ETag>"[0-9a-f]{32}-2"<\/ETag>/);
    expect(sim.obs.list(bucket)[0]!.object.size).toBe(part1.length + part2.length);

    // A part under 100 KB that is not the last makes the completion fail; an aborted upload is gone.
    const second = await fetch(await sign({ http_verb: 'POST', content_type: 'video/mp4' }), { method: 'POST', headers: { 'content-type': 'video/mp4' } });
    const id2 = /<UploadId>([^<]+)<\/UploadId>/.exec(await second.text())![1]!;
    const small = Buffer.from('small');
    const partUrl = (n: number) => sign({ http_verb: 'PUT', upload_id: id2, part_number: String(n) });
    const e1 = (await fetch(await partUrl(1), { method: 'PUT', body: small })).headers.get('etag')!;
    const e2 = (await fetch(await partUrl(2), { method: 'PUT', body: small })).headers.get('etag')!;
    const tooSmall = await fetch(await sign({ http_verb: 'POST', upload_id: id2 }), {
      method: 'POST',
      // Bytes rather than a string: fetch would add a Content-Type that was not signed.
      body: Buffer.from(`<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${e1}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>${e2}</ETag></Part></CompleteMultipartUpload>`),
    });
    expect(await tooSmall.text()).toMatch(/<Code>EntityTooSmall<\/Code>/);
    expect((await fetch(await sign({ http_verb: 'DELETE', upload_id: id2 }), { method: 'DELETE' })).status).toBe(204);
    expect(await (await fetch(await sign({ http_verb: 'GET', upload_id: id2 }))).text()).toMatch(/NoSuchUpload/);

    conforming('ConfirmAssetUpload', await call(sim, 'POST', '/asset/status/uploaded', { body: { asset_id: created.asset_id, status: 'CREATED' } }));
    expect((await meta(created.asset_id)).status).toBe('CREATED');
    // Once uploaded, no more presigning for it (VOD.10135).
    const after = await call(sim, 'GET', `/v1.1/${sim.projectId}/asset/authority`, { query: { bucket, object_key: object, http_verb: 'PUT' } });
    expect([after.status, after.json.error_code]).toEqual([403, 'VOD.10135']);
  });
});

describe('options', () => {
  it('refuses options that cannot work, naming each and its rule', async () => {
    await expect(startVodSimulator({ projectId: 'a/b' })).rejects.toThrow(/projectId must be letters, digits, - and _/);
    await expect(startVodSimulator({ ak: 'AK' })).rejects.toThrow(/ak and sk go together/);
    await expect(startVodSimulator({ port: 70_000, processingMs: -1 })).rejects.toThrow(/port must be an integer in 0\.\.65535; processingMs must be a number >= 0/);
    await expect(startVodSimulator({ timeScale: -1 })).rejects.toThrow(/timeScale must be a number >= 0/);
  });

  it('starts with the buckets of authorisedBuckets authorised, and reset() keeps them', async () => {
    const other = await startVodSimulator({ authorisedBuckets: ['ready'], token: 'tok' });
    try {
      expect(other.state.buckets).toEqual(['ready']);
      other.reset();
      expect(other.state.buckets).toEqual(['ready']);
      expect(other.token).toBe('tok');
    } finally {
      await other.close();
    }
  });
});

describe('the HTTP control API under /_simulator/', () => {
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sim.url}/_simulator/${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, json: await res.json() };
  };

  it('state, clock, faults, OBS objects, asset failure and reset, for tools that are not Node', async () => {
    await call(sim, 'PUT', '/asset/authority', { body: { bucket: 'media', operation: '1' } });
    const id = (await transfer('media')).json.asset_id;
    expect((await control('GET', 'state')).json.assets).toEqual([expect.objectContaining({ asset_id: id, status: 'OBS_CREATING' })]);
    const clock = (await control('POST', 'clock', { advanceMs: 5_000 })).json;
    expect(clock.timeScale).toBe(0);
    expect((await meta(id)).status).toBe('OBS_CREATE_SUCCESS');

    expect((await control('POST', 'faults', { operation: 'ListAssetList', kind: 'error', status: 500, nth: 1 })).status).toBe(201);
    expect((await control('GET', 'faults')).json).toHaveLength(1);
    expect((await call(sim, 'GET', '/asset/list')).json.error_code).toBe('VOD.10051');
    expect((await control('POST', 'faults', { kind: 'nope' })).json.error).toMatch(/fault.kind/);

    await control('PUT', 'obs/objects', { bucket: 'media', key: 'bad.mp4', broken: true });
    const bad = (await transfer('media', 'bad.mp4')).json.asset_id;
    await control('POST', `assets/${id}/fail`, { status: 'SERVER_ERROR', description: 'via HTTP' });
    await control('POST', 'clock', { advanceMs: 5_000 });
    expect((await meta(bad)).status).toBe('OBS_CREATE_FAILED');
    expect((await meta(id)).status).toBe('SERVER_ERROR');

    expect((await control('POST', 'reset')).status).toBe(200);
    expect((await control('GET', 'state')).json).toMatchObject({ buckets: [], assets: [] });
    expect((await control('GET', 'nothing')).status).toBe(404);
  });
});
