// The whole job the README shows, against a stateful fake VOD: authorise the bucket, transfer, wait for the end of
// the transfer, read the details, publish, unpublish, delete. Every answer the client hands back is validated against
// the spec's 200 schema of its operation, so that the fake cannot drift from the spec unnoticed.
import { afterEach, describe, expect, it } from 'vitest';
import { createVodClient, type Credentials, type OperationId } from '../../src/index.js';
import { startFakeVod } from '../helpers/fake-vod.js';
import { deref, operation, schemaAt, specAjv } from '../helpers/spec.js';

const ajv = specAjv();
function expectConforms(operationId: OperationId, data: unknown) {
  const { op } = operation(operationId);
  const schema = deref(op.responses['200']).content?.['application/json']?.schema;
  if (!schema) return expect(data).toBeUndefined();
  const validate = schemaAt(ajv, schema.$ref);
  expect(validate(data), `${operationId} 200: ${JSON.stringify(validate.errors)}`).toBe(true);
}

let fake: Awaited<ReturnType<typeof startFakeVod>> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const source = (object: string) => ({ bucket: 'media-in', location: 'cn-north-4', object });

describe.each([
  ['an IAM token', { token: 'tok' }],
  ['AK/SK', { ak: 'AKTEST', sk: 'SKTEST' }],
] as const)('the OBS transfer, end to end, with %s', (_, credentials) => {
  it('authorise → transfer → wait (through a 429 and a dropped poll) → detail → publish → unpublish → delete', async () => {
    fake = await startFakeVod({ transferPolls: 2, throttlePoll: 2, dropPoll: 3 });
    const vod = createVodClient({ projectId: 'p1', endpoint: fake.url, credentials: credentials as Credentials });

    const authorised = await vod.updateBucketAuthorized({ bucket: 'media-in', operation: '1' });
    expect(authorised.response.status).toBe(200);
    expect(authorised.error).toBeUndefined();

    const created = await vod.publishAssetFromObs({ video_type: 'MP4', title: 'Launch 发布会', input: source('v/launch.mp4') });
    expectConforms('PublishAssetFromObs', created.data);
    const assetId = created.data!.asset_id!;

    const progress: string[] = [];
    const asset = await vod.waitForAsset(assetId, { intervalMs: 20, onPoll: (p) => progress.push(p.asset?.status ?? p.outcome) });
    expect(asset).toMatchObject({ asset_id: assetId, status: 'OBS_CREATE_SUCCESS' });
    // poll 1 OBS_CREATING, poll 2 throttled, poll 3 dropped, poll 4 OBS_CREATING, poll 5 done.
    expect(progress).toEqual(['OBS_CREATING', 'rate-limited', 'failed', 'OBS_CREATING', 'OBS_CREATE_SUCCESS']);
    expect(fake.infoPolls()).toBe(5);

    const detail = await vod.showAssetDetail({ asset_id: assetId, categories: ['base_info'] });
    expectConforms('ShowAssetDetail', detail.data);
    expect(detail.data?.base_info?.title).toBe('Launch 发布会');

    const published = await vod.publishAssets({ asset_id: [assetId] });
    expectConforms('PublishAssets', published.data);
    expect(published.data?.asset_info_array?.[0]?.status).toBe('PUBLISHED');

    const unpublished = await vod.unpublishAssets({ asset_id: [assetId] });
    expectConforms('UnpublishAssets', unpublished.data);
    expect(unpublished.data?.asset_info_array?.[0]?.status).toBe('CREATED');

    const meta = await vod.showAssetMeta({ asset_id: [assetId] });
    expectConforms('ShowAssetMeta', meta.data);

    const deleted = await vod.deleteAssets({ asset_id: [assetId] });
    expectConforms('DeleteAssets', deleted.data);
    expect(deleted.data?.delete_result_array).toEqual([{ asset_id: assetId, status: 'DELETED' }]);
    expect(fake.assets.has(assetId)).toBe(false);

    const sent = fake.requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{32}/g, '<id>')}`);
    expect(sent).toEqual([
      'PUT /v1.0/p1/asset/authority',
      'POST /v1.0/p1/asset/reproduction',
      ...Array(5).fill('GET /v1.0/p1/asset/info?asset_id=<id>'),
      'GET /v1.0/p1/asset/details?asset_id=<id>&categories=base_info',
      'POST /v1.0/p1/asset/status/publish',
      'POST /v1.0/p1/asset/status/unpublish',
      'GET /v1.0/p1/asset/info?asset_id=<id>',
      'DELETE /v1.0/p1/asset?asset_id=<id>',
    ]);
  });
});

describe('the failure paths of the transfer', () => {
  it('a bucket that is not authorised is refused with 403 VOD.10114', async () => {
    fake = await startFakeVod();
    const vod = createVodClient({ projectId: 'p1', endpoint: fake.url, credentials: { token: 't' } });
    const { error, response } = await vod.publishAssetFromObs({ video_type: 'MP4', title: 't', input: source('a.mp4') });
    expect(response.status).toBe(403);
    expect(error?.error_code).toBe('VOD.10114');
  });

  it('a failed transfer resolves as OBS_CREATE_FAILED, and the asset can then be deleted', async () => {
    fake = await startFakeVod({ transferPolls: 1 });
    const vod = createVodClient({ projectId: 'p1', endpoint: fake.url, credentials: { token: 't' } });
    await vod.updateBucketAuthorized({ bucket: 'media-in', operation: '1' });
    const { data } = await vod.publishAssetFromObs({ video_type: 'MP4', title: 't', input: source('missing.mp4') });
    const asset = await vod.waitForAsset(data!.asset_id!, { intervalMs: 10 });
    expect(asset.status).toBe('OBS_CREATE_FAILED');
    const deleted = await vod.deleteAssets({ asset_id: [asset.asset_id!] });
    expect(deleted.data?.delete_result_array?.[0]?.status).toBe('DELETED');
  });

  it('deleting several assets sends them as one comma-separated asset_id, as the page says', async () => {
    fake = await startFakeVod();
    const vod = createVodClient({ projectId: 'p1', endpoint: fake.url, credentials: { token: 't' } });
    await vod.deleteAssets({ asset_id: ['a'.repeat(32), 'b'.repeat(32)] });
    expect(fake.requests.at(-1)!.path).toBe(`/v1.0/p1/asset?asset_id=${'a'.repeat(32)},${'b'.repeat(32)}`);
  });
});
