// The packed client does the whole job a user installs it for, against a stateful fake VOD: authorise the bucket,
// transfer, waitForAsset (through a 429 with Retry-After and a dropped connection), publish, unpublish, delete; and
// it refuses invalid parameters of every operation before sending anything. Compiled by tsc in a fresh project, as a
// user's code would be.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { root } from '../../scripts/paths.mjs';
import { startFakeVod } from '../helpers/fake-vod.js';
import { npmEnv, packInto } from './pack.js';

const jobTs = `
import { createVodClient, VodValidationError, type WaitProgress } from 'huaweicloud-vod-openapi';
declare const process: { argv: string[] };

const vod = createVodClient({ projectId: 'p1', endpoint: process.argv[2]!, credentials: { ak: 'AK', sk: 'SK' } });
const log: unknown[] = [];
const ok = <T extends { error?: unknown; response: Response }>(step: string, result: T): T => {
  log.push([step, result.response.status]);
  if (result.error) throw new Error(step + ': ' + JSON.stringify(result.error));
  return result;
};

ok('authorise', await vod.updateBucketAuthorized({ bucket: 'media-in', operation: '1' }));
const { data } = ok('transfer', await vod.publishAssetFromObs({
  video_type: 'MP4', title: '发布会', input: { bucket: 'media-in', location: 'cn-north-4', object: 'v/launch.mp4' },
}));
const polls: string[] = [];
const asset = await vod.waitForAsset(data!.asset_id!, {
  intervalMs: 20,
  onPoll: (p: WaitProgress) => polls.push(p.asset?.status ?? p.outcome),
});
ok('publish', await vod.publishAssets({ asset_id: [asset.asset_id!] }));
ok('unpublish', await vod.unpublishAssets({ asset_id: [asset.asset_id!] }));
const deleted = ok('delete', await vod.deleteAssets({ asset_id: [asset.asset_id!] }));

// Invalid parameters of each operation: refused before anything is sent.
const invalid: Record<string, () => Promise<unknown>> = {
  updateBucketAuthorized: () => vod.updateBucketAuthorized({ bucket: 'b', operation: 1 as never }),
  publishAssetFromObs: () => vod.publishAssetFromObs({ video_type: 'MP4', title: 't' } as never),
  showAssetMeta: () => vod.showAssetMeta({ size: 101 }),
  showAssetDetail: () => vod.showAssetDetail({} as never),
  publishAssets: () => vod.publishAssets({ asset_id: 'not-an-array' as never }),
  unpublishAssets: () => vod.unpublishAssets({} as never),
  deleteAssets: () => vod.deleteAssets({ asset_id: ['a'], delete_type: 'all' as never }),
};
const refused: Record<string, string> = {};
for (const [method, call] of Object.entries(invalid)) {
  try {
    await call();
    refused[method] = 'sent';
  } catch (e) {
    refused[method] = e instanceof VodValidationError ? e.issues.map((i) => i.path + ': ' + i.rule).join('; ') : String(e);
  }
}
console.log(JSON.stringify({ log, polls, status: asset.status, deleted: deleted.data, refused }));
`;

let dir = '';
let fake: Awaited<ReturnType<typeof startFakeVod>>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vod-workflow-'));
  fake = await startFakeVod({ transferPolls: 2, throttlePoll: 2, dropPoll: 3 });
  const tarball = packInto(dir);
  const project = join(dir, 'job');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'job', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--omit=dev', tarball], { cwd: project, env: npmEnv(), stdio: 'ignore' });
  writeFileSync(join(project, 'job.ts'), jobTs);
  const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], strict: true, types: [], outDir: 'out' };
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ files: ['job.ts'], compilerOptions }));
}, 180_000);
afterAll(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('authorise → transfer → waitForAsset → publish → unpublish → delete, and every invalid call refused before sending', async () => {
  const project = join(dir, 'job');
  const tsc = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: project, encoding: 'utf8' });
  expect(tsc.stdout + tsc.stderr).toBe('');
  const { stdout } = await promisify(execFile)('node', [join('out', 'job.js'), fake.url], { cwd: project });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
  expect(result.log).toEqual([['authorise', 200], ['transfer', 200], ['publish', 200], ['unpublish', 200], ['delete', 200]]);
  expect(result.polls).toEqual(['OBS_CREATING', 'rate-limited', 'failed', 'OBS_CREATING', 'OBS_CREATE_SUCCESS']);
  expect(result.status).toBe('OBS_CREATE_SUCCESS');
  expect(result.deleted.delete_result_array).toEqual([{ asset_id: expect.stringMatching(/^[0-9a-f]{32}$/), status: 'DELETED' }]);
  expect(result.refused).toEqual({
    updateBucketAuthorized: 'operation: must be a string; operation: must be one of 0, 1',
    publishAssetFromObs: 'input: is required',
    showAssetMeta: 'size: must be <= 100',
    showAssetDetail: 'asset_id: is required',
    publishAssets: 'asset_id: must be an array',
    unpublishAssets: 'asset_id: is required',
    deleteAssets: expect.stringMatching(/^delete_type: must be one of origin/),
  });
  // Every request the fake saw was signed, and nothing of the invalid calls reached it: 2 + 5 polls + 3.
  expect(fake.requests).toHaveLength(10);
  for (const r of fake.requests) expect(r.headers.authorization).toMatch(/^SDK-HMAC-SHA256 Access=AK, /);
}, 60_000);
