// The official Huawei SDK (@huaweicloud/huaweicloud-sdk-vod, a dev dependency) drives the simulator with AK/SK:
// authorise → transfer → poll → publish → delete. A client we did not write signs every request, so this proves that
// the simulator verifies real signatures the way the gateway does, and that its answers fit the SDK's models.
// The SDK writes ~/.huaweicloud/application_id when a client is built: HOME points at a temporary directory here.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVodSimulator, type VodSimulator } from '../../src/simulator/index.js';

const require = createRequire(import.meta.url);
// A dev dependency: a missing SDK fails this file loudly (never a silent skip).
const core = require('@huaweicloud/huaweicloud-sdk-core');
const vod = require('@huaweicloud/huaweicloud-sdk-vod');

let sim: VodSimulator;
let home: string;
const originalHome = process.env.HOME;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'vod-sdk-home-'));
  process.env.HOME = home;
  // Simulated time 1000 times faster: the 3 s transfer takes 3 ms of real time.
  sim = await startVodSimulator({ timeScale: 1000, processingMs: 3_000 });
});
afterAll(async () => {
  await sim.close();
  process.env.HOME = originalHome;
  rmSync(home, { recursive: true, force: true });
});

function client(sk = sim.sk) {
  const credentials = new core.BasicCredentials().withAk(sim.ak).withSk(sk).withProjectId(sim.projectId);
  return vod.VodClient.newBuilder().withCredential(credentials).withEndpoint(sim.url).build();
}

/** The SDK's exception for an error answer: status and error code. */
async function failure(promise: Promise<unknown>): Promise<{ status: number; code: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { httpStatusCode?: number; status?: number; errorCode?: string };
    return { status: Number(e.httpStatusCode ?? e.status), code: e.errorCode };
  }
  throw new Error('the SDK call succeeded, a failure was expected');
}

describe('the official Huawei SDK against the simulator (AK/SK)', () => {
  it('authorise → transfer → poll → publish → delete; each state change is visible in the next query', async () => {
    const sdk = client();
    const authorised = await sdk.updateBucketAuthorized(
      new vod.UpdateBucketAuthorizedRequest().withBody(new vod.UpdateBucketAuthorizedReq().withBucket('sdk-bucket').withOperation('1')),
    );
    expect(authorised.httpStatusCode).toBe(200);
    expect(sim.state.buckets).toContain('sdk-bucket');

    const input = new vod.FileAddr().withBucket('sdk-bucket').withLocation('cn-north-4').withModelObject('videos/sdk.mp4');
    const created = await sdk.publishAssetFromObs(
      new vod.PublishAssetFromObsRequest().withBody(new vod.PublishAssetFromObsReq().withTitle('SDK 发布').withVideoType('MP4').withInput(input)),
    );
    // The SDK hands back the answer's fields as sent (snake_case), its getters aside.
    const id: string = created.asset_id;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(sim.state.assets.map((a) => a.asset_id)).toEqual([id]);

    // Poll as a client would, until the status leaves OBS_CREATING.
    const statuses: string[] = [];
    for (let i = 0; i < 200; i++) {
      const meta = await sdk.showAssetMeta(new vod.ShowAssetMetaRequest().withAssetId([id]));
      statuses.push(meta.asset_info_array[0].status);
      if (statuses.at(-1) !== 'OBS_CREATING') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(statuses.at(-1)).toBe('OBS_CREATE_SUCCESS');

    const published = await sdk.publishAssets(new vod.PublishAssetsRequest().withBody(new vod.PublishAssetReq().withAssetId([id])));
    expect(published.asset_info_array[0]).toMatchObject({ asset_id: id, status: 'PUBLISHED' });
    const list = await sdk.listAssetList(new vod.ListAssetListRequest());
    expect(list.assets.map((a: { asset_id: string; asset_status: string }) => [a.asset_id, a.asset_status])).toEqual([[id, 'PUBLISHED']]);

    const deleted = await sdk.deleteAssets(new vod.DeleteAssetsRequest().withAssetId([id]));
    expect(deleted.delete_result_array).toEqual([{ asset_id: id, status: 'DELETED' }]);
    const after = await sdk.showAssetMeta(new vod.ShowAssetMetaRequest().withAssetId([id]));
    expect(after.asset_info_array[0].status).toBe('DELETED');
    expect((await sdk.listAssetList(new vod.ListAssetListRequest())).total).toBe(0);
  });

  it('a transfer from a bucket that is not authorised is refused with the page\'s 403 VOD.10114', async () => {
    const input = new vod.FileAddr().withBucket('not-authorised').withLocation('cn-north-4').withModelObject('a.mp4');
    const refused = await failure(
      client().publishAssetFromObs(new vod.PublishAssetFromObsRequest().withBody(new vod.PublishAssetFromObsReq().withTitle('t').withVideoType('MP4').withInput(input))),
    );
    expect(refused).toEqual({ status: 403, code: 'VOD.10114' });
  });

  it('a signature made with another SK is refused with 401 APIG.0301', async () => {
    expect(await failure(client('not-the-sk').listAssetList(new vod.ListAssetListRequest()))).toEqual({ status: 401, code: 'APIG.0301' });
  });

  it('faults reach the SDK: a throttled call is 429 APIG.0308, a dropped connection rejects', async () => {
    sim.setFault({ operation: 'ListAssetList', kind: 'throttle', nth: 1 });
    expect(await failure(client().listAssetList(new vod.ListAssetListRequest()))).toEqual({ status: 429, code: 'APIG.0308' });
    sim.setFault({ operation: 'ListAssetList', kind: 'drop', nth: 1 });
    await expect(client().listAssetList(new vod.ListAssetListRequest())).rejects.toBeDefined();
    expect((await client().listAssetList(new vod.ListAssetListRequest())).httpStatusCode).toBe(200);
  });
});
