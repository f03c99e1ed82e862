// A small stateful VOD on 127.0.0.1 for the workflow tests: bucket authorisation, OBS transfer (the asset stays
// OBS_CREATING for a few polls, then succeeds, or fails when the object's name contains "missing"), asset info and
// details, publish, unpublish and delete. It answers in the spec's shapes (the workflow test validates every answer
// against generated/openapi.json) and refuses a transfer from a bucket that is not authorised, as VOD does.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { json, startServer, type Recorded } from './server.js';

export interface FakeAsset {
  asset_id: string;
  status: string;
  title: string;
  video_type: string;
  bucket: string;
  object: string;
  pollsLeft: number;
}

export interface FakeVodOptions {
  /** Polls of /asset/info that see OBS_CREATING before the transfer ends (default 2). */
  transferPolls?: number;
  /** Answer the poll with this number (1-based) with 429 and Retry-After: 1. */
  throttlePoll?: number;
  /** Drop the connection of the poll with this number (1-based). */
  dropPoll?: number;
}

const PREFIX = /^\/v1\.0\/([^/]+)\/asset(\/[a-z_/]*)?$/;

export async function startFakeVod(options: FakeVodOptions = {}) {
  const buckets = new Set<string>();
  const assets = new Map<string, FakeAsset>();
  let infoPolls = 0;

  const error = (res: ServerResponse, status: number, code: string, msg: string) =>
    json(res, status, { error_code: code, error_msg: msg });
  const info = (a: FakeAsset) => ({
    asset_id: a.asset_id,
    status: a.status,
    base_info: { title: a.title, video_type: a.video_type, video_name: a.object.split('/').pop() },
  });
  const list = (url: URL, name: string) => url.searchParams.getAll(name).flatMap((v) => v.split(','));

  function handle(req: Recorded, res: ServerResponse) {
    const url = new URL(req.path, 'http://vod.local');
    const match = PREFIX.exec(url.pathname);
    if (!match) return error(res, 404, 'APIG.0101', 'The API does not exist or has not been published.');
    if (!req.headers['x-auth-token'] && !req.headers.authorization) {
      return error(res, 401, 'APIG.0301', 'Incorrect IAM authentication information.');
    }
    const route = `${req.method} ${match[2] ?? ''}`;
    const body = req.body.length ? JSON.parse(req.body.toString('utf8')) : undefined;
    switch (route) {
      case 'PUT /authority':
        if (body.operation === '1') buckets.add(body.bucket);
        else buckets.delete(body.bucket);
        return res.writeHead(200).end();
      case 'POST /reproduction': {
        if (!buckets.has(body.input.bucket)) return error(res, 403, 'VOD.10114', 'The bucket is not authorised for VOD.');
        const asset: FakeAsset = {
          asset_id: randomBytes(16).toString('hex'),
          status: 'OBS_CREATING',
          title: body.title,
          video_type: body.video_type,
          bucket: body.input.bucket,
          object: body.input.object,
          pollsLeft: options.transferPolls ?? 2,
        };
        assets.set(asset.asset_id, asset);
        return json(res, 200, { asset_id: asset.asset_id });
      }
      case 'GET /info': {
        infoPolls++;
        if (infoPolls === options.dropPoll) return res.socket?.destroy();
        if (infoPolls === options.throttlePoll) {
          res.setHeader('retry-after', '1');
          return error(res, 429, 'APIG.0308', 'The throttling threshold has been reached.');
        }
        const found = list(url, 'asset_id').map((id) => {
          const asset = assets.get(id);
          if (!asset) return { asset_id: id, status: 'NO_ASSET' };
          if (asset.status === 'OBS_CREATING' && asset.pollsLeft-- <= 0) {
            asset.status = asset.object.includes('missing') ? 'OBS_CREATE_FAILED' : 'OBS_CREATE_SUCCESS';
          }
          return info(asset);
        });
        return json(res, 200, { asset_info_array: found, is_truncated: 0, total: found.length });
      }
      case 'GET /details': {
        const asset = assets.get(url.searchParams.get('asset_id') ?? '');
        if (!asset) return error(res, 403, 'VOD.10062', 'Media asset or resource does not exist, please check.');
        return json(res, 200, { asset_id: asset.asset_id, base_info: info(asset).base_info });
      }
      case 'POST /status/publish':
      case 'POST /status/unpublish': {
        const publish = route.endsWith('/publish');
        const result = (body.asset_id as string[]).map((id) => {
          const asset = assets.get(id);
          if (!asset) return { asset_id: id, status: 'NO_ASSET' };
          asset.status = publish ? 'PUBLISHED' : 'CREATED';
          return info(asset);
        });
        return json(res, 200, { asset_info_array: result });
      }
      case 'DELETE ': {
        const result = list(url, 'asset_id').map((id) => ({ asset_id: id, status: assets.delete(id) ? 'DELETED' : 'NO_ASSET' }));
        return json(res, 200, { delete_result_array: result });
      }
      default:
        return error(res, 404, 'APIG.0101', 'The API does not exist or has not been published.');
    }
  }

  const server = await startServer(handle);
  return { ...server, buckets, assets, infoPolls: () => infoPolls };
}
