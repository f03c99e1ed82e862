// What test/runtimes checks on every runtime, in plain JavaScript that Node, Deno, Bun and a browser (bundled by
// esbuild) all run as it is: the installed package, imported by its name.
import { createVodClient, signHeaders, VodNetworkError, VodValidationError } from 'huaweicloud-vod-openapi';

const body = { video_type: 'MP4', title: '新品发布会', input: { bucket: 'b', location: 'cn-north-4', object: 'videos/launch.mp4' } };

// Huawei's published vector 1 (the same as test/signer/vectors.test.ts), and a VOD request, at fixed dates.
const vector = {
  request: { method: 'POST', url: 'https://service.endpoint.myhuaweicloud.com/resources?size=1', body: new TextEncoder().encode('{"name":"test","id":1}') },
  credentials: { ak: 'AccessKey', sk: 'SecretKey' },
  date: new Date(Date.UTC(2020, 5, 8, 2, 39, 0)),
};
const vod = {
  request: {
    method: 'POST',
    url: 'https://vod.cn-north-4.myhuaweicloud.com/v1.0/0123456789abcdef/asset/reproduction',
    headers: { 'content-type': 'application/json', 'x-project-id': '0123456789abcdef', 'x-security-token': 'matrix-security-token' },
    body: JSON.stringify(body),
  },
  credentials: { ak: 'MATRIXAK', sk: 'matrix-sk', securityToken: 'matrix-security-token' },
  date: new Date(Date.UTC(2026, 10, 23, 12, 0, 0)),
};

async function authorization({ request, credentials, date }) {
  const headers = new Headers(request.headers ?? {});
  await signHeaders({ method: request.method, url: request.url, headers, body: request.body }, credentials, { date });
  return headers.get('authorization');
}

const describeError = (error, type) => ({ instance: error instanceof type, name: error?.name, message: String(error?.message) });

/**
 * @param {string} baseUrl the local server (it answers a token with 200 and checks an AK/SK signature)
 * @param {string} closedUrl a port nothing listens on
 * @param {string} projectId names this runtime in the server's log
 */
export async function probe(baseUrl, closedUrl, projectId) {
  const result = {};
  const withToken = createVodClient({ projectId, endpoint: baseUrl, credentials: { token: 'matrix-token' } });
  const token = await withToken.publishAssetFromObs(body);
  result.token = { status: token.response.status, assetId: token.data?.asset_id ?? null };

  const withAkSk = createVodClient({ projectId, endpoint: baseUrl, credentials: { ak: 'MATRIXAK', sk: 'matrix-sk' } });
  const aksk = await withAkSk.publishAssetFromObs(body);
  result.aksk = { status: aksk.response.status, assetId: aksk.data?.asset_id ?? null, error: aksk.error?.error_code ?? null };

  try {
    await withAkSk.publishAssetFromObs({ ...body, title: '视'.repeat(43) });
    result.validation = 'sent';
  } catch (error) {
    result.validation = describeError(error, VodValidationError);
  }

  const unreachable = createVodClient({ projectId, endpoint: closedUrl, credentials: { token: 'matrix-token' } });
  try {
    await unreachable.publishAssetFromObs(body);
    result.network = 'answered';
  } catch (error) {
    result.network = { ...describeError(error, VodNetworkError), message: undefined };
  }

  result.signatures = { vector: await authorization(vector), vod: await authorization(vod) };
  return result;
}
