// The client against a local server: auth headers, results, error normalisation, Retry-After, typed network
// errors and timeouts, no retries, endpoint rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVodClient,
  lookupErrorCode,
  VodConfigError,
  VodNetworkError,
  VodTimeoutError,
  type Credentials,
} from '../../src/index.js';
import { minimalPublish } from '../cases/request-bodies.js';
import { loadOfficialSigner } from '../helpers/official-sdk.js';
import { json, startServer, type Recorded } from '../helpers/server.js';
import { freePort } from '../../scripts/prism.mjs';

// Each test sets how the server answers next.
let answer: (req: Recorded, res: import('node:http').ServerResponse) => void;
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer((req, res) => answer(req, res));
});
afterAll(() => server.close());

const ASSET = 'f488337c31c8e4622f1590735b134c65';
const ok = () => (answer = (req, res) => (req.path.endsWith('/smart_cover') ? res.writeHead(204).end() : json(res, 200, { asset_id: ASSET })));
const client = (credentials: Credentials = { token: 'tok' }, extra = {}) =>
  createVodClient({ projectId: '0123456789abcdef', endpoint: server.url, credentials, ...extra });
const last = () => server.requests.at(-1)!;

describe('operations', () => {
  it('publishAssetFromObs POSTs the body as JSON to the reproduction path and returns data', async () => {
    ok();
    const { data, error, response } = await client().publishAssetFromObs(minimalPublish);
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data?.asset_id).toBe(ASSET);
    expect(last().method).toBe('POST');
    expect(last().path).toBe('/v1.0/0123456789abcdef/asset/reproduction');
    expect(last().headers['content-type']).toBe('application/json');
    expect(last().body.toString()).toBe(JSON.stringify(minimalPublish));
  });

  it('createSmartCover answers 204 with neither data nor error', async () => {
    ok();
    const result = await client().createSmartCover({ asset_id: ASSET });
    expect(result.response.status).toBe(204);
    expect(result.data).toBeUndefined();
    expect(result.error).toBeUndefined();
    expect(last().path).toBe('/v1.0/0123456789abcdef/asset/smart_cover');
  });

  it('keeps the openapi-fetch client reachable', async () => {
    ok();
    const { data } = await client().raw.POST('/v1.0/{project_id}/asset/reproduction', {
      params: { path: { project_id: 'other' } },
      body: minimalPublish,
    });
    expect(data?.asset_id).toBe(ASSET);
    expect(last().path).toBe('/v1.0/other/asset/reproduction');
  });
});

describe('authentication', () => {
  it('sends an IAM token as X-Auth-Token and nothing else', async () => {
    ok();
    await client({ token: 'my-token' }).publishAssetFromObs(minimalPublish);
    expect(last().headers['x-auth-token']).toBe('my-token');
    expect(last().headers.authorization).toBeUndefined();
    expect(last().headers['x-sdk-date']).toBeUndefined();
  });

  it('signs AK/SK requests over the exact bytes sent; the official SDK signer agrees', async () => {
    ok();
    const loaded = loadOfficialSigner();
    const body = { ...minimalPublish, title: '新品发布会 🎬', description: 'ünïcödé' };
    await client({ ak: 'AKTEST', sk: 'SKTEST', securityToken: 'sts-token' }).publishAssetFromObs(body);
    const { headers, body: sent, path } = last();
    expect(headers['x-sdk-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(headers['x-project-id']).toBe('0123456789abcdef');
    expect(headers['x-security-token']).toBe('sts-token');
    const authorization = String(headers.authorization);
    expect(authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=AKTEST, SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token, Signature=[0-9a-f]{64}$/,
    );
    if (!('signer' in loaded)) throw new Error(`the official SDK (a devDependency) is needed to cross-check the signature: ${loaded.reason}`);
    // Recompute with the official signer from what the server received.
    // The official signer looks X-Sdk-Date up in exactly that case (else it adds its own date).
    const signed = Object.fromEntries(
      ['content-type', 'x-project-id', 'X-Sdk-Date', 'x-security-token'].map((h) => [h, String(headers[h.toLowerCase()])]),
    );
    const expected = loaded.signer.sign(
      { method: 'POST', endpoint: `${server.url}${path}`, headers: signed, data: JSON.parse(sent.toString('utf8')) },
      'AKTEST',
      'SKTEST',
    );
    expect(authorization).toBe(expected);
  });

  it('refuses malformed credentials without echoing them', () => {
    expect(() => client({ token: '' })).toThrow(/credentials.token: must be a non-empty string/);
    expect(() => client({ ak: 'a' } as never)).toThrow(VodConfigError);
    expect(() => client({ ak: 'a', sk: 'SECRET-VALUE', securityToken: 5 } as never)).toThrow(/securityToken/);
    try {
      client({ ak: 'a', sk: 'SECRET-VALUE', securityToken: 5 } as never);
    } catch (e) {
      expect(String(e)).not.toContain('SECRET-VALUE');
    }
  });
});

describe('errors', () => {
  it('returns a VOD error body as the typed error, with the error-code table behind it', async () => {
    answer = (_, res) => json(res, 403, { error_code: 'VOD.10114', error_msg: 'bucket not authorised' });
    const { data, error, response } = await client().publishAssetFromObs(minimalPublish);
    expect(data).toBeUndefined();
    expect(response.status).toBe(403);
    expect(error).toEqual({ error_code: 'VOD.10114', error_msg: 'bucket not authorised' });
    expect(lookupErrorCode(error!.error_code)).toMatchObject({ status: [403], message: 'The bucket is not authorised for VOD.' });
    expect(lookupErrorCode('APIGW.0308')).toMatchObject({ code: 'APIG.0308', status: [429] });
    expect(lookupErrorCode('VOD.99999')).toBeUndefined();
  });

  it.each([
    ['an HTML 502 from a proxy', 502, 'text/html', '<html><body><h1>502 Bad Gateway</h1></body></html>', /HTTP 502 .*text\/html.*502 Bad Gateway/],
    ['an empty 500', 500, undefined, '', /HTTP 500 .*empty body/],
    ['malformed JSON', 400, 'application/json', '{"error_code": "VOD.10053", ', /HTTP 400/],
    ['JSON of another shape', 503, 'application/json', '{"message":"upstream down"}', /upstream down/],
  ])('normalises %s into the ErrorResponse shape, keeping the status', async (_, status, type, text, message) => {
    answer = (__, res) => {
      res.writeHead(status, type ? { 'content-type': type } : {});
      res.end(text);
    };
    const { error, response } = await client().publishAssetFromObs(minimalPublish);
    expect(response.status).toBe(status);
    expect(error).toEqual({ error_code: `HTTP.${status}`, error_msg: expect.stringMatching(message) });
  });

  it('keeps a known code when only error_msg is missing, saying so (the table stays out: lookupErrorCode has it)', async () => {
    answer = (_, res) => json(res, 429, { error_code: 'APIG.0308', request_id: 'r1' });
    const { error } = await client().publishAssetFromObs(minimalPublish);
    expect(error).toEqual({ error_code: 'APIG.0308', error_msg: 'APIG.0308 (the HTTP 429 answer had no error_msg)', request_id: 'r1' });
    expect(lookupErrorCode(error!.error_code)?.message).toBe('The throttling threshold has been reached.');
  });

  it('exposes Retry-After on 429', async () => {
    answer = (_, res) =>
      json(res, 429, { error_code: 'APIG.0308', error_msg: 'The throttling threshold has been reached.' }, { 'retry-after': '7' });
    const result = await client().publishAssetFromObs(minimalPublish);
    expect(result.response.status).toBe(429);
    expect(result.retryAfterSeconds).toBe(7);
    expect(result.error?.error_code).toBe('APIG.0308');
  });

  it('rejects with VodNetworkError when nothing listens', async () => {
    const port = await freePort();
    const vod = createVodClient({ projectId: 'p', endpoint: `http://127.0.0.1:${port}`, credentials: { token: 't' } });
    const error = await vod.publishAssetFromObs(minimalPublish).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VodNetworkError);
    expect(error).not.toBeInstanceOf(VodTimeoutError);
    expect(String((error as Error).message)).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/v1\.0\/p\/asset\/reproduction failed: .*ECONNREFUSED/);
  });

  it('rejects with VodTimeoutError after timeoutMs', async () => {
    answer = () => undefined; // never answers
    const started = Date.now();
    const error = await client({ token: 't' }, { timeoutMs: 200 }).publishAssetFromObs(minimalPublish).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VodTimeoutError);
    expect((error as VodTimeoutError).timeoutMs).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("leaves the caller's own abort as an AbortError", async () => {
    answer = () => undefined;
    const controller = new AbortController();
    const pending = client().publishAssetFromObs(minimalPublish, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await pending.catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(error).not.toBeInstanceOf(VodNetworkError);
  });

  it("rejects with the caller's own abort reason, whatever it is", async () => {
    answer = () => undefined;
    class Cancelled extends Error {}
    for (const reason of [new Cancelled('user cancelled'), 'a string reason']) {
      const controller = new AbortController();
      const pending = client().showAssetMeta({}, { signal: controller.signal });
      setTimeout(() => controller.abort(reason), 30);
      expect(await pending.catch((e: unknown) => e)).toBe(reason);
    }
  });

  it.each([
    ['a 500', (res: import('node:http').ServerResponse) => json(res, 500, { error_code: 'VOD.10051', error_msg: 'x' })],
    ['a 429', (res: import('node:http').ServerResponse) => json(res, 429, { error_code: 'APIG.0308', error_msg: 'x' }, { 'retry-after': '0' })],
    ['a dropped connection', (res: import('node:http').ServerResponse) => res.socket?.destroy()],
  ])('never retries publishAssetFromObs after %s', async (_, respond) => {
    answer = (__, res) => respond(res);
    const before = server.requests.length;
    await client().publishAssetFromObs(minimalPublish).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requests.length).toBe(before + 1);
  });
});

describe('retryThrottled: a 429 sent again after its Retry-After, when asked', () => {
  const throttledThenOk = (times: number, retryAfter?: string) => {
    let left = times;
    answer = (_, res) =>
      left-- > 0
        ? json(res, 429, { error_code: 'APIG.0308', error_msg: 'The throttling threshold has been reached.' }, retryAfter ? { 'retry-after': retryAfter } : {})
        : json(res, 200, { asset_id: ASSET });
  };
  const arrivals = () => server.requests.slice(-3);

  it('waits out Retry-After, signs the request anew, and returns the answer that got through', async () => {
    throttledThenOk(1, '1');
    const before = server.requests.length;
    const started = Date.now();
    const result = await client({ ak: 'AKTEST', sk: 'SKTEST' }, { retryThrottled: 2 }).publishAssetFromObs(minimalPublish);
    expect(result.response.status).toBe(200);
    expect(result.data?.asset_id).toBe(ASSET);
    expect(server.requests.length).toBe(before + 2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    const [first, second] = server.requests.slice(-2);
    expect(second!.headers.authorization).toMatch(/^SDK-HMAC-SHA256 /);
    expect(second!.body.toString()).toBe(first!.body.toString());
  });

  it('returns the last 429 once its retries are spent, and never retries by default', async () => {
    throttledThenOk(5, '0');
    let before = server.requests.length;
    const spent = await client({ token: 't' }, { retryThrottled: 2 }).publishAssetFromObs(minimalPublish);
    expect(spent.response.status).toBe(429);
    expect(spent.retryAfterSeconds).toBe(0);
    expect(server.requests.length).toBe(before + 3);
    throttledThenOk(1, '0');
    before = server.requests.length;
    const once = await client().publishAssetFromObs(minimalPublish);
    expect(once.response.status).toBe(429);
    expect(server.requests.length).toBe(before + 1);
    // Per call, too.
    throttledThenOk(1, '0');
    expect((await client().publishAssetFromObs(minimalPublish, { retryThrottled: 1 })).response.status).toBe(200);
    expect(arrivals()).toHaveLength(3);
  });

  it('returns a 429 whose Retry-After is over 60 s at once', async () => {
    throttledThenOk(1, '120');
    const before = server.requests.length;
    const result = await client({ token: 't' }, { retryThrottled: 3 }).publishAssetFromObs(minimalPublish);
    expect(result.response.status).toBe(429);
    expect(result.retryAfterSeconds).toBe(120);
    expect(server.requests.length).toBe(before + 1);
  });

  it("stops waiting when the caller's signal aborts, sending nothing more", async () => {
    throttledThenOk(1, '5');
    const before = server.requests.length;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await client({ token: 't' }, { retryThrottled: 1 })
      .publishAssetFromObs(minimalPublish, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(server.requests.length).toBe(before + 1);
  });

  it('refuses a retryThrottled that is not a whole number >= 0', async () => {
    expect(() => client({ token: 't' }, { retryThrottled: -1 })).toThrow(/retryThrottled: must be a whole number >= 0/);
    const before = server.requests.length;
    await expect(client().publishAssetFromObs(minimalPublish, { retryThrottled: 1.5 })).rejects.toThrow(
      /Invalid PublishAssetFromObs options: retryThrottled: must be a whole number >= 0/,
    );
    expect(server.requests.length).toBe(before);
  });
});

describe('endpoints', () => {
  const make = (extra: object) => () => createVodClient({ projectId: 'p', credentials: { token: 't' }, ...extra });
  it('builds the regional endpoint from the spec, cn-north-4 by default', () => {
    expect(make({})().endpoint).toBe('https://vod.cn-north-4.myhuaweicloud.com');
    expect(make({ region: 'ap-southeast-1' })().endpoint).toBe('https://vod.ap-southeast-1.myhuaweicloud.com');
    expect(make({ region: 'mars-1' })).toThrow(/region: "mars-1" is not one of cn-north-1, cn-north-4/);
  });
  it('refuses plain http:// unless the host is loopback', () => {
    expect(make({ endpoint: 'http://vod.example.com' })).toThrow(/plain http:\/\/ is refused for vod\.example\.com/);
    expect(make({ endpoint: 'http://10.0.0.1:8080' })).toThrow(VodConfigError);
    for (const endpoint of ['http://127.0.0.1:4010', 'http://localhost:4010', 'http://[::1]:4010', 'https://gw.example.com/vod']) {
      expect(make({ endpoint })().endpoint).toBe(endpoint);
    }
    expect(make({ endpoint: 'ftp://x' })).toThrow(/protocol ftp: is not supported/);
    expect(make({ endpoint: 'not a url' })).toThrow(/not an absolute URL/);
  });
});
