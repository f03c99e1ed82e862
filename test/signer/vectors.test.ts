// SDK-HMAC-SHA256 signer: Huawei's published test vectors (vod-facts.md §4) and unit tests of each canonical part.
import { describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  EMPTY_BODY_SHA256,
  hashedCanonicalRequest,
  percentEncode,
  sdkDate,
  signHeaders,
  signRequest,
} from '../../src/signer.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Splits `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…` so that a failure names the part that differs. */
function parseAuthorization(value: string | null) {
  const match = /^SDK-HMAC-SHA256 Access=([^,]*), SignedHeaders=([^,]*), Signature=([0-9a-f]{64})$/.exec(value ?? '');
  expect(match, `malformed Authorization: ${value}`).not.toBeNull();
  return { access: match![1], signedHeaders: match![2], signature: match![3] };
}

describe('published vectors', () => {
  describe('vector 1: AccessKey / SecretKey, 20200608T023900Z', () => {
    const credentials = { ak: 'AccessKey', sk: 'SecretKey' };
    const date = new Date(Date.UTC(2020, 5, 8, 2, 39, 0));
    const url = 'https://service.endpoint.myhuaweicloud.com/resources?size=1';

    it('GET with an empty body', async () => {
      const signed = await signRequest(new Request(url), credentials, { date });
      const expected =
        'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842';
      expect(parseAuthorization(signed.headers.get('authorization'))).toEqual(parseAuthorization(expected));
      expect(signed.headers.get('authorization')).toBe(expected);
      expect(signed.headers.get('x-sdk-date')).toBe('20200608T023900Z');
    });

    it('POST with body {"name":"test","id":1}', async () => {
      // The body is a Uint8Array on purpose: `new Request(url, { body: string })` adds
      // `content-type: text/plain;charset=UTF-8`, which the signer would then sign (it signs every header present),
      // while the vector signs only host;x-sdk-date. A byte body adds no content-type.
      const request = new Request(url, { method: 'POST', body: utf8('{"name":"test","id":1}') });
      expect(request.headers.has('content-type')).toBe(false);
      const signed = await signRequest(request, credentials, { date });
      const expected =
        'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f';
      expect(parseAuthorization(signed.headers.get('authorization'))).toEqual(parseAuthorization(expected));
      expect(signed.headers.get('authorization')).toBe(expected);
    });
  });

  describe('vector 2: GET .../vpcs?limit=2&marker=… with content-type and host', () => {
    const credentials = { ak: 'QTWAOYTTINDUT2QVKYUC', sk: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc' };
    const url =
      'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0';
    const expected =
      'SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe';
    const vectorHeaders = () =>
      new Headers({ 'Content-Type': 'application/json', Host: 'service.region.example.com', 'X-Sdk-Date': '20191115T033655Z' });

    it('hashes the canonical request to b25362e6…', async () => {
      // Headers as the signer has them at signing time: the caller's, plus host and x-sdk-date.
      const { canonicalRequest: text, signedHeaders } = await canonicalRequest({ method: 'GET', url, headers: vectorHeaders(), body: null });
      expect(signedHeaders).toBe('content-type;host;x-sdk-date');
      expect(text).toBe(
        [
          'GET',
          '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/',
          'limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
          'content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n',
          'content-type;host;x-sdk-date',
          EMPTY_BODY_SHA256,
        ].join('\n'),
      );
      expect(await hashedCanonicalRequest(text)).toBe('b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a');
    });

    it('signHeaders, date taken from the X-Sdk-Date header', async () => {
      const headers = vectorHeaders();
      const signed = await signHeaders({ method: 'GET', url, headers }, credentials);
      expect(signed).toBe('content-type;host;x-sdk-date');
      expect(parseAuthorization(headers.get('authorization'))).toEqual(parseAuthorization(expected));
      expect(headers.get('authorization')).toBe(expected);
      // host is signed but left for fetch to send.
      expect(headers.has('host')).toBe(false);
    });

    it('signRequest with options.date', async () => {
      const request = new Request(url, { headers: { 'Content-Type': 'application/json' } });
      const signed = await signRequest(request, credentials, { date: new Date(Date.UTC(2019, 10, 15, 3, 36, 55)) });
      expect(signed.headers.get('authorization')).toBe(expected);
    });
  });

  it('vector 3: POST smart_cover with content-type and X-Project-Id', async () => {
    const credentials = { ak: 'TESTAK0123456789ABCD', sk: 'testSK0123456789abcdefghijklmnopqrstuvwxy' };
    const request = new Request('https://vod.cn-north-4.myhuaweicloud.com/v1.0/0123456789abcdef/asset/smart_cover', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Project-Id': '0123456789abcdef', 'X-Sdk-Date': '20240101T120000Z' },
      body: '{"asset_id":"3e1cd21131a94525be55acf65888bf46"}',
    });
    const signed = await signRequest(request, credentials);
    const expected =
      'SDK-HMAC-SHA256 Access=TESTAK0123456789ABCD, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=d505285ea0ac24d3d0a78bf68c1dc34e032481fb6bdc32529aa7e090d86bc5c2';
    expect(parseAuthorization(signed.headers.get('authorization'))).toEqual(parseAuthorization(expected));
    expect(signed.headers.get('authorization')).toBe(expected);
  });
});

describe('sdkDate', () => {
  it('formats UTC as YYYYMMDDTHHMMSSZ, dropping milliseconds', () => {
    expect(sdkDate(new Date(Date.UTC(2020, 5, 8, 2, 39, 0, 999)))).toBe('20200608T023900Z');
    expect(sdkDate(new Date(Date.UTC(2024, 11, 31, 23, 59, 59)))).toBe('20241231T235959Z');
    expect(sdkDate(new Date(Date.UTC(2001, 0, 2, 3, 4, 5)))).toMatch(/^\d{8}T\d{6}Z$/);
  });
});

describe('percentEncode', () => {
  it('keeps only A-Z a-z 0-9 - _ . ~', () => {
    expect(percentEncode('AZaz09-_.~')).toBe('AZaz09-_.~');
  });
  it('encodes space as %20, never +', () => {
    expect(percentEncode('a b+c')).toBe('a%20b%2Bc');
  });
  it("encodes the characters encodeURIComponent keeps: ! ' ( ) *", () => {
    expect(percentEncode('*')).toBe('%2A');
    expect(percentEncode("!'()*")).toBe('%21%27%28%29%2A');
  });
  it('encodes reserved characters with upper-case hex', () => {
    expect(percentEncode('/?#[]@:$&=,;%')).toBe('%2F%3F%23%5B%5D%40%3A%24%26%3D%2C%3B%25');
  });
  it('encodes UTF-8 multibyte characters byte by byte, upper-case hex', () => {
    expect(percentEncode('é')).toBe('%C3%A9');
    expect(percentEncode('视频')).toBe('%E8%A7%86%E9%A2%91');
    expect(percentEncode('🎬')).toBe('%F0%9F%8E%AC');
  });
});

describe('canonicalUri', () => {
  it('appends a trailing slash when missing, and only then', () => {
    expect(canonicalUri('/v1.0/pid/asset/reproduction')).toBe('/v1.0/pid/asset/reproduction/');
    expect(canonicalUri('/v1.0/pid/')).toBe('/v1.0/pid/');
    expect(canonicalUri('/')).toBe('/');
  });
  it('encodes each segment as sent, without decoding it first', () => {
    expect(canonicalUri("/a b/it's")).toBe('/a%20b/it%27s/');
    expect(canonicalUri('/a%20b')).toBe('/a%2520b/');
  });
});

describe('canonicalQuery', () => {
  it('is empty without a query', () => {
    expect(canonicalQuery(new URLSearchParams(''))).toBe('');
  });
  it('sorts by key, and the values of a repeated key', () => {
    expect(canonicalQuery(new URLSearchParams('b=2&a=z&c=&a=y&a=x'))).toBe('a=x&a=y&a=z&b=2&c=');
  });
  it('encodes keys and values (space is %20)', () => {
    expect(canonicalQuery(new URLSearchParams({ 'k y': 'a b*', 标题: '视频' }))).toBe('k%20y=a%20b%2A&%E6%A0%87%E9%A2%98=%E8%A7%86%E9%A2%91');
  });
});

describe('canonical request details', () => {
  const url = 'https://vod.example.com/v1/x';
  const headers = () => new Headers({ 'x-sdk-date': '20240101T120000Z', host: 'vod.example.com' });

  it('hashes an empty body as SHA-256 of nothing', async () => {
    for (const body of [null, undefined, '', new Uint8Array(0)]) {
      const { canonicalRequest: text } = await canonicalRequest({ method: 'POST', url, headers: headers(), body });
      expect(text.split('\n').at(-1)).toBe(EMPTY_BODY_SHA256);
    }
    expect(EMPTY_BODY_SHA256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes the body bytes (string and Uint8Array alike)', async () => {
    const a = await canonicalRequest({ method: 'POST', url, headers: headers(), body: '{"title":"视频"}' });
    const b = await canonicalRequest({ method: 'POST', url, headers: headers(), body: utf8('{"title":"视频"}') });
    expect(a.canonicalRequest).toBe(b.canonicalRequest);
    expect(a.canonicalRequest.split('\n').at(-1)).not.toBe(EMPTY_BODY_SHA256);
  });

  it('X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD replaces the body hash (and is signed)', async () => {
    const h = headers();
    h.set('X-Sdk-Content-Sha256', 'UNSIGNED-PAYLOAD');
    const { canonicalRequest: text, signedHeaders } = await canonicalRequest({ method: 'PUT', url, headers: h, body: 'payload' });
    expect(text.split('\n').at(-1)).toBe('UNSIGNED-PAYLOAD');
    expect(signedHeaders).toBe('host;x-sdk-content-sha256;x-sdk-date');
  });

  it('upper-cases the method', async () => {
    const { canonicalRequest: text } = await canonicalRequest({ method: 'post', url, headers: headers() });
    expect(text.split('\n')[0]).toBe('POST');
  });
});

describe('signRequest', () => {
  const credentials = { ak: 'TESTAK0123456789ABCD', sk: 'testSK0123456789abcdefghijklmnopqrstuvwxy' };
  const date = new Date(Date.UTC(2024, 0, 1, 12, 0, 0));
  const url = 'https://vod.cn-north-4.myhuaweicloud.com/v1.0/0123456789abcdef/asset/reproduction';

  it('with a securityToken, adds and signs x-security-token', async () => {
    const signed = await signRequest(new Request(url, { method: 'POST' }), { ...credentials, securityToken: 'tok-123' }, { date });
    expect(signed.headers.get('x-security-token')).toBe('tok-123');
    const { signedHeaders, signature } = parseAuthorization(signed.headers.get('authorization'));
    expect(signedHeaders).toBe('host;x-sdk-date;x-security-token');
    // The token is covered: a different token gives a different signature.
    const other = await signRequest(new Request(url, { method: 'POST' }), { ...credentials, securityToken: 'tok-456' }, { date });
    expect(parseAuthorization(other.headers.get('authorization')).signature).not.toBe(signature);
    // Without a token, none is added.
    const plain = await signRequest(new Request(url, { method: 'POST' }), credentials, { date });
    expect(plain.headers.has('x-security-token')).toBe(false);
  });

  it('the signed Request carries the same body', async () => {
    const body = '{"title":"视频 🎬"}';
    const request = new Request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const signed = await signRequest(request, credentials, { date });
    expect(await signed.text()).toBe(body);
    expect(signed.headers.get('content-type')).toBe('application/json');
  });

  // Regression: `new Request(request, { headers })` would move the input's body stream to the copy, leaving the
  // caller's Request unreadable (bodyUsed, "Body is unusable").
  it("leaves the input Request's body readable", async () => {
    const body = '{"title":"视频 🎬"}';
    const request = new Request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await signRequest(request, credentials, { date });
    expect(request.bodyUsed).toBe(false);
    expect(await request.text()).toBe(body);
  });

  it('replaces an existing Authorization header', async () => {
    const request = new Request(url, { method: 'POST', headers: { Authorization: 'Bearer stale' } });
    const signed = await signRequest(request, credentials, { date });
    const fresh = await signRequest(new Request(url, { method: 'POST' }), credentials, { date });
    expect(signed.headers.get('authorization')).toBe(fresh.headers.get('authorization'));
    expect(parseAuthorization(signed.headers.get('authorization')).signedHeaders).toBe('host;x-sdk-date');
  });

  it('options.date wins over an existing X-Sdk-Date header', async () => {
    const request = new Request(url, { method: 'POST', headers: { 'X-Sdk-Date': '19990101T000000Z' } });
    const signed = await signRequest(request, credentials, { date });
    expect(signed.headers.get('x-sdk-date')).toBe('20240101T120000Z');
  });

  it('signs the host with a non-default port, and without a default one', async () => {
    const withPort = await canonicalRequest({
      method: 'GET',
      url: 'https://vod.example.com:8443/x',
      headers: new Headers({ host: new URL('https://vod.example.com:8443/x').host }),
    });
    expect(withPort.canonicalRequest).toContain('\nhost:vod.example.com:8443\n');
    const headers = new Headers();
    await signHeaders({ method: 'GET', url: 'https://vod.example.com:443/x', headers }, credentials, { date });
    const again = new Headers();
    await signHeaders({ method: 'GET', url: 'https://vod.example.com/x', headers: again }, credentials, { date });
    expect(headers.get('authorization')).toBe(again.get('authorization'));
  });
});
