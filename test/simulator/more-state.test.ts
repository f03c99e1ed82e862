// The simulator's state beyond the asset core: URL pull, covers, processing, audio extraction and review tasks,
// ciphers, preheating, transcoding template groups and watermark templates. Every JSON answer is checked against
// the spec as well.
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startVodSimulator, type VodSimulator } from '../../src/simulator/index.js';
import { call, violations, type Sent } from './helpers.js';

let sim: VodSimulator;
beforeAll(async () => {
  sim = await startVodSimulator({ processingMs: 1_000, timeScale: 0 });
});
afterAll(() => sim.close());
afterEach(() => sim.reset());

function conforming(operationId: string, x: Sent): Sent {
  expect(violations(operationId, x.status, x.json), `${operationId} ${x.status} ${x.text}`).toEqual([]);
  return x;
}
const meta = async (id: string) => conforming('ShowAssetMeta', await call(sim, 'GET', '/asset/info', { query: { asset_id: id } })).json.asset_info_array[0];

/** An asset transferred from OBS and done (OBS_CREATE_SUCCESS); `extra` goes into the transfer's body. */
async function readyAsset(extra: Record<string, unknown> = {}): Promise<string> {
  await call(sim, 'PUT', '/asset/authority', { body: { bucket: 'media', operation: '1' } });
  const id = (await call(sim, 'POST', '/asset/reproduction', { body: { title: 't', video_type: 'MP4', input: { bucket: 'media', location: 'cn-north-4', object: 'v.mp4' }, ...extra } })).json.asset_id;
  sim.clock.advance(1_000);
  expect((await meta(id)).status).toBe('OBS_CREATE_SUCCESS');
  return id;
}

describe('assets: URL pull, covers, processing, audio, review, ciphers', () => {
  it('UploadMetaDataByUrl creates one asset per URL, CREATING until the pull ends, then CREATED or PUBLISHED (auto_publish)', async () => {
    const x = conforming('UploadMetaDataByUrl', await call(sim, 'POST', '/asset/upload_by_url', {
      body: { upload_metadatas: [
        { url: 'https://example.com/a.mp4', title: 'a', video_type: 'MP4' },
        { url: 'https://example.com/b.mp4', title: 'b', video_type: 'MP4', auto_publish: 1 },
      ] },
    }));
    const [a, b] = x.json.upload_assets.map((u: { asset_id: string }) => u.asset_id);
    expect(x.json.upload_assets.map((u: { url: string }) => u.url)).toEqual(['https://example.com/a.mp4', 'https://example.com/b.mp4']);
    expect((await meta(a)).status).toBe('CREATING');
    sim.clock.advance(1_000);
    expect([(await meta(a)).status, (await meta(b)).status]).toEqual(['CREATED', 'PUBLISHED']);
  });

  it('CreateSmartCover needs a known asset (400 VOD.10062 otherwise); UpdateCoverByThumbnail sets the cover of the asset its URL names', async () => {
    const id = await readyAsset();
    expect((await call(sim, 'POST', '/asset/smart_cover', { body: { asset_id: id } })).status).toBe(204);
    const unknown = conforming('CreateSmartCover', await call(sim, 'POST', '/asset/smart_cover', { body: { asset_id: 'a'.repeat(32) } }));
    expect([unknown.status, unknown.json.error_code]).toEqual([400, 'VOD.10062']);
    const thumbnail = `https://355.cdn-vod.huaweicloud.com/asset/${id}/snapshot/sample/3.jpg`;
    expect((await call(sim, 'PUT', '/asset/cover', { body: { thumbnailUrl: thumbnail } })).status).toBe(204);
    expect((await meta(id)).base_info.cover_info_array).toEqual([{ cover_url: thumbnail }]);
  });

  it('CreateAssetProcessTask transcodes (TRANSCODING → TRANSCODE_SUCCEED on the clock); CancelAssetTranscodeTask stops one, else VOD.10083 (400, as its page shows it)', async () => {
    const id = await readyAsset();
    const started = conforming('CreateAssetProcessTask', await call(sim, 'POST', '/asset/process', { body: { asset_id: id, template_group_name: 'g' } }));
    expect([started.status, started.json]).toEqual([202, { asset_id: id }]);
    expect((await meta(id)).status).toBe('TRANSCODING');
    sim.clock.advance(1_000);
    expect((await meta(id)).status).toBe('TRANSCODE_SUCCEED');
    const detail = async (categories?: string[]) =>
      conforming('ShowAssetDetail', await call(sim, 'GET', '/asset/details', { query: { asset_id: id, ...(categories ? { categories } : {}) } })).json;
    expect((await detail()).transcode_info).toMatchObject({ template_group_name: 'g', transcode_status: 'TRANSCODE_SUCCEED', output: [expect.objectContaining({ play_type: 'hls' })] });
    expect(Object.keys(await detail(['transcode_info']))).toEqual(['asset_id', 'transcode_info']);
    const notRunning = conforming('CancelAssetTranscodeTask', await call(sim, 'DELETE', '/asset/process', { query: { asset_id: id } }));
    expect([notRunning.status, notRunning.json.error_code]).toEqual([400, 'VOD.10083']);
    await call(sim, 'POST', '/asset/process', { body: { asset_id: id } });
    expect((await call(sim, 'DELETE', '/asset/process', { query: { asset_id: id } })).status).toBe(204);
    expect((await meta(id)).status).toBe('CREATED');
  });

  it('CreateExtractAudioTask makes an audio asset; CancelExtractAudioTask cancels it while it runs', async () => {
    const id = await readyAsset();
    const x = conforming('CreateExtractAudioTask', await call(sim, 'POST', '/asset/extract_audio', { body: { asset_id: id, parameter: { format: 'MP3' } } }));
    expect(x.status).toBe(202);
    const audio = x.json.audio_asset_id;
    expect(await meta(audio)).toMatchObject({ status: 'CREATING', base_info: { video_type: 'MP3' } });
    expect((await call(sim, 'DELETE', '/asset/extract_audio', { query: { asset_id: id } })).status).toBe(204);
    expect((await call(sim, 'DELETE', '/asset/extract_audio', { query: { asset_id: id } })).json.error_code).toBe('VOD.10083');
    const second = (await call(sim, 'POST', '/asset/extract_audio', { body: { asset_id: id, parameter: { format: 'AAC' } } })).json.audio_asset_id;
    sim.clock.advance(1_000);
    expect((await meta(second)).status).toBe('CREATED');
  });

  it('CreateAssetReviewTask: REVIEWING, then REVIEW_PASSED in ListAssetList', async () => {
    const id = await readyAsset();
    const review = { template_id: 'c80e56dadb8542e8a1b7c2224dd6733a' };
    expect(conforming('CreateAssetReviewTask', await call(sim, 'POST', '/asset/review', { body: { asset_id: id, review } })).json).toEqual({ asset_id: id, review });
    const status = async () => (await call(sim, 'GET', '/asset/list')).json.assets[0].review_status;
    expect(await status()).toBe('REVIEWING');
    sim.clock.advance(1_000);
    expect(await status()).toBe('REVIEW_PASSED');
    const detail = conforming('ShowAssetDetail', await call(sim, 'GET', '/asset/details', { query: { asset_id: id, categories: ['review_info'] } })).json;
    expect(detail).toEqual({ asset_id: id, review_info: { suggestion: 'pass', review_status: 'REVIEW_PASSED', exec_desc: 'Review success' } });
  });

  it('ShowAssetCipher: a key for an encrypted asset (the same each time), VOD.10101 (400, as its page shows it) for one that is not', async () => {
    const plain = await readyAsset();
    const encrypted = await readyAsset({ auto_encrypt: 1, template_group_name: 'hls-encrypted' });
    const key = conforming('ShowAssetCipher', await call(sim, 'GET', '/asset/ciphers', { query: { asset_id: encrypted } })).json;
    expect(key).toMatchObject({ asset_id: encrypted, dk: expect.any(String), edk: expect.any(String) });
    expect((await call(sim, 'GET', '/asset/ciphers', { query: { asset_id: encrypted } })).json).toEqual(key);
    const refused = conforming('ShowAssetCipher', await call(sim, 'GET', '/asset/ciphers', { query: { asset_id: plain } }));
    expect([refused.status, refused.json.error_code]).toEqual([400, 'VOD.10101']);
  });

  it('preheating: a task per asset or URLs, processing until the clock passes, then succeed; an unknown task is VOD.10062', async () => {
    const id = await readyAsset();
    const task = conforming('CreatePreheatingAsset', await call(sim, 'POST', '/asset/preheating', { body: { asset_id: id } })).json.task_id;
    const show = async () => conforming('ShowPreheatingAsset', await call(sim, 'GET', '/asset/preheating', { query: { task_id: task } })).json.preheating_results;
    expect(await show()).toEqual([{ url: expect.stringContaining(id), status: 'processing' }]);
    sim.clock.advance(1_000);
    expect((await show())[0].status).toBe('succeed');
    expect((await call(sim, 'GET', '/asset/preheating', { query: { task_id: 'nope' } })).json.error_code).toBe('VOD.10062');
  });
});

describe('templates', () => {
  it('transcoding template groups: create (204), list with paging and filters, update, delete; unknown IDs are VOD.10062', async () => {
    const body = (name: string) => ({ name, type: 'custom_template_group', quality_info_list: [{ video: { width: 1280, height: 720, bitrate: 1000, quality: 'HD', frame_rate: 1 }, audio: { sample_rate: 1, channels: 2, bitrate: 0 }, format: 'HLS' }] });
    for (const name of ['g1', 'g2', 'g3']) expect((await call(sim, 'POST', '/asset/template_group/transcodings', { body: body(name) })).status).toBe(204);
    const all = conforming('ListTemplateGroup', await call(sim, 'GET', '/asset/template_group/transcodings', { query: { size: '2' } })).json;
    expect(all.total).toBe(3);
    expect(all.template_group_list.map((g: { name: string }) => g.name)).toEqual(['g1', 'g2']);
    const g2 = all.template_group_list[1];
    expect((await call(sim, 'PUT', '/asset/template_group/transcodings', { body: { group_id: g2.group_id, name: 'renamed', status: '1' } })).status).toBe(204);
    const one = conforming('ListTemplateGroup', await call(sim, 'GET', '/asset/template_group/transcodings', { query: { group_id: g2.group_id } })).json;
    expect(one.template_group_list).toEqual([expect.objectContaining({ group_id: g2.group_id, name: 'renamed', status: '1' })]);
    expect((await call(sim, 'DELETE', '/asset/template_group/transcodings', { query: { group_id: g2.group_id } })).status).toBe(204);
    const again = conforming('DeleteTemplateGroup', await call(sim, 'DELETE', '/asset/template_group/transcodings', { query: { group_id: g2.group_id } }));
    expect(again.json.error_code).toBe('VOD.10062');
    expect(sim.state.templateGroups.map((g) => g.name)).toEqual(['g1', 'g3']);
  });

  it('watermark templates: create with a presigned image upload, ConfirmImageUpload, list, update, delete', async () => {
    const png = Buffer.from('\x89PNG fake image');
    const md5 = createHash('md5').update(png).digest('base64');
    const created = conforming('CreateWatermarkTemplate', await call(sim, 'POST', '/template/watermark', { body: { name: 'logo', type: 'PNG', md5, position: 'TOPRIGHT', dx: '0.05', dy: '0.05' } })).json;
    const listed = async () => conforming('ListWatermarkTemplate', await call(sim, 'GET', '/template/watermark', { query: { id: created.id } })).json.templates[0];
    expect(await listed()).toMatchObject({ id: created.id, name: 'logo', status: 1, position: 'TOPRIGHT' });
    const put = await fetch(created.upload_url, { method: 'PUT', headers: { 'content-type': 'image/png', 'content-md5': md5 }, body: png });
    expect(put.status).toBe(200);
    const confirmed = conforming('ConfirmImageUpload', await call(sim, 'POST', '/watermark/status/uploaded', { body: { id: created.id, status: 'SUCCEED' } })).json;
    expect(confirmed.image_url).toMatch(/watermark/);
    expect(await listed()).toMatchObject({ status: 0, image_url: confirmed.image_url });
    expect((await call(sim, 'PUT', '/template/watermark', { body: { id: created.id, name: 'logo 2' } })).status).toBe(204);
    expect((await listed()).name).toBe('logo 2');
    expect((await call(sim, 'DELETE', '/template/watermark', { query: { id: created.id } })).status).toBe(204);
    expect((await call(sim, 'GET', '/template/watermark')).json).toEqual({ templates: [], total: 0 });
  });
});

describe('OBS hosting tasks', () => {
  it('CreateTakeOverTask hosts every object under a prefix of an authorised bucket; the task and its assets are queryable', async () => {
    const refused = conforming('CreateTakeOverTask', await call(sim, 'POST', '/asset/obs/host/stock/task', { body: { bucket: 'lib', object: 'films/' } }));
    expect([refused.status, refused.json.error_code]).toEqual([403, 'VOD.10114']);
    await call(sim, 'PUT', '/asset/authority', { body: { bucket: 'lib', operation: '1' } });
    for (const key of ['films/a.mp4', 'films/b.flv', 'films/notes.txt', 'other/c.mp4']) sim.obs.put('lib', key, { size: 1_000 });
    const created = conforming('CreateTakeOverTask', await call(sim, 'POST', '/asset/obs/host/stock/task', { body: { bucket: 'lib', object: 'films/', suffix: ['mp4', 'flv'], host_type: 0 } }));
    expect(created.status).toBe(202);
    const taskId = created.json.task_id;
    const tasks = async () => conforming('ListTakeOverTask', await call(sim, 'GET', '/asset/obs/host/stock/task', { query: { task_id: taskId } })).json.tasks;
    expect(await tasks()).toEqual([expect.objectContaining({ task_id: taskId, bucket: 'lib', object: 'films/', status: 'PROCESSING' })]);
    const details = async () => conforming('ShowTakeOverTaskDetails', await call(sim, 'GET', '/asset/obs/host/stock/task/details', { query: { task_id: taskId } })).json;
    expect((await details()).assets.map((a: { base_info: { video_name: string } }) => a.base_info.video_name)).toEqual(['a.mp4', 'b.flv']);
    sim.clock.advance(1_000);
    expect((await tasks())[0]).toMatchObject({ status: 'SUCCEED', end_time: expect.stringMatching(/^\d{14}$/) });
    expect(await details()).toMatchObject({ total: 2, task_status: 'SUCCEED' });
    const one = conforming('ShowTakeOverAssetDetails', await call(sim, 'GET', '/asset/obs/host/task/details', { query: { source_bucket: 'lib', source_object: 'films/a.mp4' } })).json;
    expect(one).toMatchObject({ asset_status: 'CREATED', base_info: { source_path: { bucket: 'lib', object: 'films/a.mp4' } } });
    expect((await meta(one.asset_id)).status).toBe('OBS_CREATE_SUCCESS');
    const unknown = await call(sim, 'GET', '/asset/obs/host/task/details', { query: { source_bucket: 'lib', source_object: 'other/c.mp4' } });
    expect(unknown.json.error_code).toBe('VOD.10062');
  });
});

describe('asset query filters', () => {
  it('ShowAssetMeta and ListAssetList filter by time window, category, tags, title text, media type and publication', async () => {
    await call(sim, 'PUT', '/asset/authority', { body: { bucket: 'media', operation: '1' } });
    const make = async (title: string, extra: Record<string, unknown>) =>
      (await call(sim, 'POST', '/asset/reproduction', { body: { title, video_type: 'MP4', input: { bucket: 'media', location: 'cn-north-4', object: `${title}.mp4` }, ...extra } })).json.asset_id;
    const launch = await make('launch keynote', { tags: 'launch,2026' });
    sim.clock.advance(60_000);
    const flv = await make('teaser', { video_type: 'FLV', tags: 'teaser' });
    await call(sim, 'POST', '/asset/status/publish', { body: { asset_id: [launch] } });
    const list = async (query: Record<string, string | string[]>) =>
      conforming('ListAssetList', await call(sim, 'GET', '/asset/list', { query })).json.assets.map((a: { asset_id: string }) => a.asset_id);
    expect(await list({ tags: 'launch' })).toEqual([launch]);
    expect(await list({ query_string: 'tea' })).toEqual([flv]);
    expect(await list({ media_type: ['FLV'] })).toEqual([flv]);
    const start = new Date(sim.clock.now() - 30_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
    expect(await list({ start_time: start })).toEqual([flv]);
    const info = async (query: Record<string, string | string[]>) =>
      conforming('ShowAssetMeta', await call(sim, 'GET', '/asset/info', { query })).json.asset_info_array.map((a: { asset_id: string }) => a.asset_id);
    expect(await info({ assetStatus: ['CREATED'] })).toEqual([flv]);
    expect(await info({ end_time: start })).toEqual([launch]);
  });
});

describe('statistics', () => {
  it('ShowVodStatistics samples the state (storage of the assets that exist), ShowCdnStatistics is deterministic', async () => {
    await call(sim, 'PUT', '/asset/authority', { body: { bucket: 'media', operation: '1' } });
    sim.obs.put('media', 'big.mp4', { size: 2 * 1024 ** 3 });
    const hour = (ms: number) => new Date(Math.floor(ms / 3_600_000) * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const from = hour(sim.clock.now());
    await call(sim, 'POST', '/asset/reproduction', { body: { title: 'big', video_type: 'MP4', input: { bucket: 'media', location: 'cn-north-4', object: 'big.mp4' } } });
    sim.clock.advance(2 * 3_600_000);
    const vod = conforming('ShowVodStatistics', await call(sim, 'GET', '/asset/vod-statistics', { query: { start_time: from, interval: '3600' } })).json;
    expect(vod).toMatchObject({ start_time: from, interval: 3600 });
    expect(vod.sample_data[0]).toEqual({ storage: 2, transcode: 131 });
    expect(vod.sample_data.length).toBeGreaterThanOrEqual(3);
    const cdn = async () =>
      conforming('ShowCdnStatistics', await call(sim, 'GET', '/asset/cdn-statistics', { query: { start_time: '20240701000000', end_time: '20240701235959', stat_type: 'req_hit_rate', domain: 'ALL' } })).json;
    const first = await cdn();
    expect(first.values).toHaveLength(24);
    expect(first.values.every((v: number) => v >= 80 && v <= 100)).toBe(true);
    expect(await cdn()).toEqual(first);
  });
});

