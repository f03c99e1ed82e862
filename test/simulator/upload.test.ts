// The client's uploadAsset (src/helpers/upload.ts) against the simulator: the whole upload protocol of the pages
// (CreateAssetByFileUpload, the presigned single PUT or OBS multipart through ShowAssetTempAuthority, then
// ConfirmAssetUpload), checked by the simulator's OBS side; and the client's retries against its faults.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createVodClient } from '../../src/index.js';
import { startVodSimulator, type VodSimulator } from '../../src/simulator/index.js';

let sim: VodSimulator;
beforeAll(async () => {
  sim = await startVodSimulator({ timeScale: 0 });
});
afterAll(() => sim.close());
afterEach(() => sim.reset());

const client = () => createVodClient({ projectId: sim.projectId, endpoint: sim.url, credentials: { ak: sim.ak, sk: sim.sk } });
const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31) % 251);

describe('uploadAsset against the simulator', () => {
  it('a small file: one presigned PUT (Content-Type and Content-MD5 as signed), confirmed CREATED', async () => {
    const result = await client().uploadAsset(bytes(5_000), { title: 'small', video_name: 'small.mp4' });
    expect(result).toMatchObject({ bytes: 5_000, parts: 1 });
    const asset = sim.state.assets.find((a) => a.asset_id === result.assetId)!;
    expect(asset).toMatchObject({ status: 'CREATED', size: 5_000, origin: 'upload' });
    expect(sim.obs.list(sim.uploadBucket)).toEqual([{ key: asset.target!.object, object: expect.objectContaining({ size: 5_000 }) }]);
  });

  it('a multipart upload: three parts of 100 KB minimum, completed with their ETags, confirmed CREATED', async () => {
    const result = await client().uploadAsset(bytes(250_000), { title: 'parts', video_name: 'parts.mp4', multipartThreshold: 0, partSize: 102_400, concurrency: 2 });
    expect(result).toMatchObject({ bytes: 250_000, parts: 3 });
    const asset = sim.state.assets.find((a) => a.asset_id === result.assetId)!;
    expect(asset.status).toBe('CREATED');
    const [object] = sim.obs.list(sim.uploadBucket);
    expect(object!.object).toMatchObject({ size: 250_000, etag: expect.stringMatching(/^[0-9a-f]{32}-3$/) });
    expect(sim.state.obs.uploads).toEqual([]);
  });

  it('survives faults: a dropped OBS connection, a 503 and an expired presigned URL are retried', async () => {
    sim.setFault({ operation: 'OBS', nth: 2, kind: 'drop' });
    sim.setFault({ operation: 'OBS', nth: 3, kind: 'error', status: 503 });
    sim.setFault({ operation: 'OBS', nth: 4, kind: 'expire-presigned' });
    const result = await client().uploadAsset(bytes(250_000), {
      title: 'faults',
      video_name: 'faults.mp4',
      multipartThreshold: 0,
      partSize: 102_400,
      concurrency: 1,
      retryDelayMs: 10,
    });
    expect(sim.faults).toEqual([]);
    expect(sim.state.assets.find((a) => a.asset_id === result.assetId)!.status).toBe('CREATED');
    expect(sim.obs.list(sim.uploadBucket)[0]!.object.size).toBe(250_000);
  });
});
