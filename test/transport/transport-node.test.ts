// The node:http transport (src/internal/transport-node.ts) against a real local server: it must behave as fetch does for what
// the client sends, and the client's error middleware must turn its failures into the same typed errors.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVodClient } from '../../src/client.js';
import { VodNetworkError, VodTimeoutError } from '../../src/errors.js';
import { defaultTransport, isNodeTransport, nodeTransport } from '../../src/internal/transport-node.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  socket: Socket;
}
const seen: Seen[] = [];
let sockets = 0;
let closedEarly = 0;
let base = '';

const routes: Record<string, (req: Seen, res: ServerResponse) => void> = {
  '/echo': (req, res) => {
    res.writeHead(201, 'Made', [
      ['content-type', 'application/json'],
      ['x-twice', 'a'],
      ['x-twice', 'b'],
    ]);
    res.end(JSON.stringify({ method: req.method, body: req.body }));
  },
  '/slow': (_req, res) => {
    const timer = setTimeout(() => res.end('{}'), 2_000);
    res.on('close', () => {
      if (!res.writableFinished) closedEarly++;
      clearTimeout(timer);
    });
  },
  '/gzip': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipSync('{"zipped":"视频"}'));
  },
  '/empty': (_req, res) => {
    res.writeHead(204);
    res.end();
  },
  '/redirect': (_req, res) => {
    res.writeHead(302, { location: '/echo' });
    res.end();
  },
  '/error': (_req, res) => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end('{"error_code":"VOD.10003","error_msg":"bad"}');
  },
  '/v1.0/p/asset/reproduction': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"asset_id":"0123456789abcdef0123456789abcdef"}');
  },
};

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const record = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString(), socket: req.socket };
    seen.push(record);
    const path = req.url!.split('?')[0]!;
    (routes[path.startsWith('/v1.0/slow/') ? '/slow' : path] ?? routes['/v1.0/p/asset/reproduction']!)(record, res);
  });
});
server.on('connection', () => sockets++);

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const send = nodeTransport()!;

describe('nodeTransport on Node', () => {
  it('is found at run time, and is what defaultTransport gives', () => {
    expect(typeof send).toBe('function');
    expect(isNodeTransport(send)).toBe(true);
    expect(isNodeTransport(defaultTransport())).toBe(true);
    expect(isNodeTransport(fetch)).toBe(false);
  });

  it('sends method, headers and body, and resolves with a Response as fetch does', async () => {
    const body = '{"title":"视频 🎬"}';
    const response = await send(`${base}/echo?x=1`, {
      method: 'post',
      headers: new Headers({ 'content-type': 'application/json', 'x-auth-token': 'tok' }),
      body,
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    expect(response.ok).toBe(true);
    expect(response.url).toBe(`${base}/echo?x=1`);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-twice')).toBe('a, b');
    expect(await response.json()).toEqual({ method: 'POST', body });
    const request = seen.at(-1)!;
    expect(request.url).toBe('/echo?x=1');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-auth-token']).toBe('tok');
    // Never chunked: the exact byte length, as fetch sends for a string body.
    expect(request.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(request.headers['transfer-encoding']).toBeUndefined();
  });

  it('takes headers as a record or as pairs, sends text/plain for a string body without a type, 0 for none', async () => {
    await send(`${base}/echo`, { method: 'PUT', headers: [['X-A', '1']], body: 'hi' });
    expect(seen.at(-1)!.headers).toMatchObject({ 'x-a': '1', 'content-type': 'text/plain;charset=UTF-8', 'content-length': '2' });
    await send(`${base}/echo`, { method: 'POST', headers: { 'X-B': '2' } });
    expect(seen.at(-1)!.headers).toMatchObject({ 'x-b': '2', 'content-length': '0' });
    await send(`${base}/echo`, { method: 'POST', body: new TextEncoder().encode('bytes') });
    expect(seen.at(-1)!.body).toBe('bytes');
    expect(seen.at(-1)!.headers['content-type']).toBeUndefined();
    await send(`${base}/echo`);
    expect(seen.at(-1)!.method).toBe('GET');
    expect(seen.at(-1)!.headers['content-length']).toBeUndefined();
  });

  it('keeps the connection alive between requests', async () => {
    await send(`${base}/echo`);
    const before = sockets;
    const first = seen.length;
    for (let i = 0; i < 5; i++) await (await send(`${base}/echo`)).text();
    expect(sockets).toBe(before);
    expect(new Set(seen.slice(first).map((r) => r.socket)).size).toBe(1);
  });

  it('decodes a gzip body, gives 204 a null body, and returns error statuses as responses', async () => {
    expect(await (await send(`${base}/gzip`)).json()).toEqual({ zipped: '视频' });
    const empty = await send(`${base}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const error = await send(`${base}/error`);
    expect(error.status).toBe(400);
    expect(await error.json()).toEqual({ error_code: 'VOD.10003', error_msg: 'bad' });
  });

  it('answers its body once, like any Response: text, json, bytes, blob, stream, clone', async () => {
    const get = () => send(`${base}/echo`, { method: 'POST', body: 'é' });
    const expected = JSON.stringify({ method: 'POST', body: 'é' });
    const once = await get();
    expect(once.bodyUsed).toBe(false);
    expect(await once.text()).toBe(expected);
    expect(once.bodyUsed).toBe(true);
    await expect(once.text()).rejects.toBeInstanceOf(TypeError);
    await expect(once.json()).rejects.toBeInstanceOf(TypeError);
    expect(() => once.clone()).toThrow(TypeError);
    // The stream of a used body is used too.
    expect(once.body).not.toBeNull();
    expect(() => new Response(once.body)).toThrow(TypeError);

    const copy = await get();
    const twin = copy.clone();
    expect(twin).toBeInstanceOf(Response);
    expect(twin.url).toBe(copy.url);
    expect(new TextDecoder().decode(await copy.arrayBuffer())).toBe(expected);
    expect(await twin.json()).toEqual(JSON.parse(expected));

    const blob = await (await get()).blob();
    expect(blob.type).toBe('application/json');
    expect(await blob.text()).toBe(expected);

    const streamed = await get();
    expect(await new Response(streamed.body).text()).toBe(expected);
    expect(streamed.bodyUsed).toBe(true);
    await expect(streamed.text()).rejects.toBeInstanceOf(TypeError);

    const broken = await send(`${base}/error`);
    const bad = await send(`${base}/gzip`);
    expect(await broken.json()).toMatchObject({ error_code: 'VOD.10003' });
    await expect((await send(`${base}/redirect`, { redirect: 'manual' })).json()).rejects.toBeInstanceOf(SyntaxError);
    expect(await bad.text()).toBe('{"zipped":"视频"}');
  });

  it("rejects with the signal's reason on abort, before and during the exchange, and closes the connection", async () => {
    const aborted = new AbortController();
    aborted.abort();
    await expect(send(`${base}/echo`, { signal: aborted.signal })).rejects.toMatchObject({ name: 'AbortError' });

    const controller = new AbortController();
    const pending = send(`${base}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');

    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const timed = new AbortController();
    const slow = send(`${base}/slow`, { signal: timed.signal });
    setTimeout(() => timed.abort(timeout), 50);
    await expect(slow).rejects.toBe(timeout);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closedEarly).toBe(2);
  });

  it('rejects network failures with TypeError("fetch failed") and the cause, as undici does', async () => {
    const error = (await send('http://127.0.0.1:9/', {}).catch((e: unknown) => e)) as TypeError;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('fetch failed');
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('does not follow redirects: "follow" and "error" reject and say why, "manual" resolves with the 3xx', async () => {
    const error = (await send(`${base}/redirect`, { method: 'POST', body: '{}' }).catch((e: unknown) => e)) as TypeError;
    expect(error).toBeInstanceOf(TypeError);
    expect((error.cause as Error).message).toMatch(/302 with a redirect to \/echo; redirects are not followed/);
    await expect(send(`${base}/redirect`, { redirect: 'error' })).rejects.toBeInstanceOf(TypeError);
    const manual = await send(`${base}/redirect`, { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe('/echo');
  });

  it('hands what it does not handle itself to fetch (a Request, a stream body)', async () => {
    const response = await send(new Request(`${base}/echo`, { method: 'POST', body: 'via fetch' }));
    expect(await response.json()).toEqual({ method: 'POST', body: 'via fetch' });
    const stream = new Blob(['streamed']).stream();
    const streamed = await send(`${base}/echo`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(await streamed.json()).toEqual({ method: 'POST', body: 'streamed' });
  });
});

describe('nodeTransport elsewhere', () => {
  it('is undefined without process.getBuiltinModule, with NODE_USE_ENV_PROXY, in Deno and Bun; defaultTransport is then fetch', async () => {
    const original = process.getBuiltinModule;
    try {
      (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
      expect(nodeTransport()).toBeUndefined();
      const fallback = defaultTransport();
      expect(isNodeTransport(fallback)).toBe(false);
      expect(await (await fallback(`${base}/echo`)).json()).toEqual({ method: 'GET', body: '' });
    } finally {
      process.getBuiltinModule = original;
    }
    // Told to use the environment's proxy: fetch does, a private agent would not.
    process.env.NODE_USE_ENV_PROXY = '1';
    try {
      expect(nodeTransport()).toBeUndefined();
    } finally {
      delete process.env.NODE_USE_ENV_PROXY;
    }
    for (const name of ['Deno', 'Bun']) {
      (globalThis as Record<string, unknown>)[name] = {};
      try {
        expect(nodeTransport()).toBeUndefined();
      } finally {
        delete (globalThis as Record<string, unknown>)[name];
      }
    }
  });
});

describe('the client on nodeTransport', () => {
  const body = { video_type: 'MP4' as const, title: 't', input: { bucket: 'b', location: 'cn-north-4', object: 'o.mp4' } };
  const client = (endpoint: string, options: { projectId?: string; timeoutMs?: number } = {}) =>
    createVodClient({ projectId: 'p', endpoint, credentials: { ak: 'AK', sk: 'SK' }, fetch: send, ...options });

  it('sends a signed request and parses the answer', async () => {
    const { data, response } = await client(base).publishAssetFromObs(body);
    expect(response.status).toBe(200);
    expect(data?.asset_id).toBe('0123456789abcdef0123456789abcdef');
    expect(seen.at(-1)!.headers.authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/,
    );
  });

  it('turns its failures into the same typed errors as with fetch', async () => {
    await expect(client('http://127.0.0.1:9').publishAssetFromObs(body)).rejects.toBeInstanceOf(VodNetworkError);
    const slow = client(base, { projectId: 'slow', timeoutMs: 50 });
    const timedOut = await slow.publishAssetFromObs(body).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(VodTimeoutError);
    expect((timedOut as VodTimeoutError).timeoutMs).toBe(50);
    const controller = new AbortController();
    const pending = slow.publishAssetFromObs(body, { signal: controller.signal, timeoutMs: 0 });
    setTimeout(() => controller.abort(), 20);
    const aborted = await pending.catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(DOMException);
    expect((aborted as DOMException).name).toBe('AbortError');
  });
});
