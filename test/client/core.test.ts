// The bare client (createVodCore) and what the whole-API client added: only the given operations, the config checks
// a new user trips on (issue 20: project IDs, an endpoint with /v1.0, the URL of a failed answer), empty arrays refused
// before sending, paginate over x-pagination, key material kept out of inspection, and the VodError hierarchy.
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createVodClient,
  createVodCore,
  DeleteAssets,
  isVodError,
  ListAssetList,
  paginate,
  PublishAssets,
  ShowAssetCipher,
  ShowAssetMeta,
  VodApiError,
  VodConfigError,
  VodError,
  VodValidationError,
  waitForAsset,
} from '../../src/index.js';
import { json, startServer, type Recorded } from '../helpers/server.js';

let server: Awaited<ReturnType<typeof startServer>>;
let answer: (req: Recorded, res: Parameters<Parameters<typeof startServer>[0]>[1]) => unknown;
beforeAll(async () => {
  server = await startServer((req, res) => answer(req, res));
});
afterAll(() => server.close());
beforeEach(() => {
  answer = (_, res) => json(res, 200, {});
});

const options = () => ({ projectId: 'p1', endpoint: server.url, credentials: { token: 't' } });

describe('createVodCore: a client of the operations it is given', () => {
  it('offers exactly the given operations, typed, and sends them like createVodClient', async () => {
    const vod = createVodCore({ ...options(), operations: [ShowAssetMeta, DeleteAssets] });
    expect(Object.keys(vod).filter((k) => typeof (vod as unknown as Record<string, unknown>)[k] === "function").sort()).toEqual(['deleteAssets', 'showAssetMeta']);
    expect((vod as unknown as Record<string, unknown>).publishAssetFromObs).toBeUndefined();
    answer = (_, res) => json(res, 200, { asset_info_array: [] });
    const { data } = await vod.showAssetMeta({ asset_id: ['a1'] });
    expect(data).toEqual({ asset_info_array: [] });
    expect(server.requests.at(-1)!.path).toBe('/v1.0/p1/asset/info?asset_id=a1');
  });

  it('refuses what is not an operation definition', () => {
    expect(() => createVodCore({ ...options(), operations: [{} as never] })).toThrow(VodConfigError);
  });

  it('waitForAsset works with a core that has ShowAssetMeta, and says what is missing otherwise', async () => {
    answer = (_, res) => json(res, 200, { asset_info_array: [{ asset_id: 'a1', status: 'PUBLISHED' }] });
    const vod = createVodCore({ ...options(), operations: [ShowAssetMeta] });
    expect(await waitForAsset(vod, 'a1')).toMatchObject({ status: 'PUBLISHED' });
    const without = createVodCore({ ...options(), operations: [DeleteAssets] });
    await expect(waitForAsset(without, 'a1')).rejects.toThrow(/does not offer showAssetMeta; pass its operation to createVodCore/);
  });
});

describe('configuration a new user gets wrong (issue 20)', () => {
  it.each([
    ['   ', /projectId: "   " is not an ID/],
    ['a/b', /projectId: "a\/b" is not an ID/],
    ['', /projectId: must be a non-empty string/],
  ])('projectId %j is refused: %s', (projectId, message) => {
    expect(() => createVodClient({ ...options(), projectId })).toThrow(message);
  });

  it.each(['http://127.0.0.1:4010/v1.0', 'http://127.0.0.1:4010/v1.0/', 'https://gw.example.com/vod/v2'])(
    'an endpoint ending with an API version (%s) is refused, saying the client adds it',
    (endpoint) => {
      expect(() => createVodClient({ ...options(), endpoint })).toThrow(/ends with \/v[\d.]+; give the base URL only .*adds each operation's \/v1\.0\/\{project_id\}/);
    },
  );

  it('a failed answer says which URL failed (response.url), on the default Node transport', async () => {
    answer = (_, res) => json(res, 400, { error_code: 'VOD.10053', error_msg: 'bad' });
    const { response, error } = await createVodClient(options()).showAssetDetail({ asset_id: 'a1' });
    expect(error?.error_code).toBe('VOD.10053');
    expect(response.url).toBe(`${server.url}/v1.0/p1/asset/details?asset_id=a1`);
  });

  it('a {domain_id} operation needs domainId, said before anything is sent', async () => {
    const before = server.requests.length;
    const vod = createVodClient(options());
    await expect(vod.listTopUrlStatistics({ domain: 'ALL', date: '20240101' } as never)).rejects.toThrow(/pass domainId/);
    expect(server.requests.length).toBe(before);
  });
});

describe('a required array is never empty', () => {
  it.each([
    ['deleteAssets', { asset_id: [] }, 'asset_id: must not be empty'],
    ['deleteAssets', { asset_id: [''] }, 'asset_id.0: must not be an empty string'],
    ['publishAssets', { asset_id: [] }, 'asset_id: must not be empty'],
    ['unpublishAssets', { asset_id: [''] }, 'asset_id.0: must not be an empty string'],
  ] as const)('%s(%j) is refused before sending: %s', async (method, input, message) => {
    const before = server.requests.length;
    const vod = createVodClient(options()) as unknown as Record<string, (i: unknown) => Promise<unknown>>;
    const error = await vod[method]!(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VodValidationError);
    expect((error as Error).message).toContain(message);
    expect(server.requests.length).toBe(before);
  });
});

describe('paginate', () => {
  const assets = Array.from({ length: 23 }, (_, i) => ({ asset_id: `a${i}`, title: `t${i}` }));
  beforeEach(() => {
    answer = (req, res) => {
      const url = new URL(req.path, server.url);
      const page = Number(url.searchParams.get('page') ?? 0);
      const size = Number(url.searchParams.get('size') ?? 10);
      json(res, 200, { total: assets.length, assets: assets.slice(page * size, page * size + size) });
    };
  });

  it('walks every page of ListAssetList from x-pagination (page from 0, size kept) and yields every item once', async () => {
    const pages: number[] = [];
    const before = server.requests.length;
    const seen: string[] = [];
    for await (const asset of createVodClient(options()).paginate('listAssetList', { size: 10 }, { onPage: (p) => pages.push(p.items) })) {
      seen.push(asset.asset_id!);
    }
    expect(seen).toEqual(assets.map((a) => a.asset_id));
    expect(pages).toEqual([10, 10, 3]);
    const sent = server.requests.slice(before).map((r) => new URL(r.path, server.url).searchParams.toString());
    expect(sent).toEqual(['size=10&page=0', 'size=10&page=1', 'size=10&page=2']);
  });

  it('is a standalone helper too (createVodCore with the operation), stops at maxPages, and waits out a 429', async () => {
    const vod = createVodCore({ ...options(), operations: [ListAssetList] });
    let throttled = false;
    const inner = answer;
    answer = (req, res) => {
      if (!throttled) {
        throttled = true;
        return json(res, 429, { error_code: 'APIG.0308', error_msg: 'slow down' }, { 'retry-after': '0' });
      }
      return inner(req, res);
    };
    const seen = [];
    for await (const asset of paginate(vod, 'listAssetList', { size: 5 }, { maxPages: 2 })) seen.push(asset);
    expect(seen).toHaveLength(10);
    expect(throttled).toBe(true);
  });

  it('ends with VodApiError (a VodError) on an error answer, after the items already yielded', async () => {
    answer = (req, res) =>
      new URL(req.path, server.url).searchParams.get('page') === '1'
        ? json(res, 400, { error_code: 'VOD.10053', error_msg: 'bad page' }, { 'x-request-id': 'req-1' })
        : json(res, 200, { total: 30, assets: assets.slice(0, 10) });
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const asset of createVodClient(options()).paginate('listAssetList', { size: 10 })) seen.push(asset);
    })().catch((e: unknown) => e);
    expect(seen).toHaveLength(10);
    expect(error).toBeInstanceOf(VodApiError);
    expect(error).toBeInstanceOf(VodError);
    expect(isVodError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, code: 'VOD.10053', requestId: 'req-1' });
    expect((error as VodApiError).headers.get('x-request-id')).toBe('req-1');
  });

  it('refuses a method that does not page', async () => {
    const vod = createVodCore({ ...options(), operations: [PublishAssets] });
    await expect(paginate(vod, 'publishAssets' as never).next()).rejects.toThrow(/not a paged operation/);
  });
});

describe('key material (x-sensitive) stays out of logs', () => {
  it("ShowAssetCipher's answer is readable but prints as a placeholder", async () => {
    answer = (_, res) => json(res, 200, { asset_id: 'a1', dk: 'SECRET-DATA-KEY', edk: 'SECRET-ENCRYPTED' });
    const vod = createVodCore({ ...options(), operations: [ShowAssetCipher] });
    const result = await vod.showAssetCipher({ asset_id: 'a1' });
    expect(result.data?.dk).toBe('SECRET-DATA-KEY');
    const printed = `${inspect(result.data)} ${inspect(result, { depth: 5 })}`;
    expect(printed).not.toContain('SECRET');
    expect(printed).toContain('redacted');
  });
});

describe('errors share one base class', () => {
  it('isVodError recognises every error of the package, also from another copy (a brand, not only instanceof)', () => {
    expect(isVodError(new VodConfigError('x'))).toBe(true);
    expect(isVodError(new Error('x'))).toBe(false);
    const foreign = Object.assign(new Error('x'), { [Symbol.for('huaweicloud-vod-openapi.VodError')]: true });
    expect(isVodError(foreign)).toBe(true);
  });
});
