// Unit tests of the suite's own machinery: the raw HTTP client sees what fetch hides (a 204's body), and the response
// checks accept what the spec allows (a charset parameter, extra fields) and nothing else (+json, text/json).
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseViolations, RULES } from './conformance.js';
import type { Exchange } from './exchange.js';
import { rawRequest } from './http.js';

// A TCP server that answers each request with fixed bytes (whatever HTTP framing says).
let server: Server;
let reply = '';
beforeAll(async () => {
  server = createServer((socket) => {
    socket.once('data', () => socket.end(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
const url = () => new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);

describe('the raw HTTP client', () => {
  it('keeps the bytes a 204 sends after its header block (fetch drops them)', async () => {
    reply = 'HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\n{}';
    const response = await rawRequest({ method: 'POST', url: url(), headers: [], body: Buffer.from('{}') });
    expect(response.status).toBe(204);
    expect(response.body.toString()).toBe('{}');
    const viaFetch = await fetch(url(), { method: 'POST', body: '{}' });
    expect(await viaFetch.text()).toBe('');
  });

  it('reads chunked and Content-Length bodies, and joins repeated headers', async () => {
    reply = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\nX-A: 2\r\n\r\n3\r\n{"a\r\n4\r\n":1}\r\n0\r\n\r\n';
    const chunked = await rawRequest({ method: 'GET', url: url(), headers: [] });
    expect([chunked.body.toString(), chunked.headers.get('x-a')]).toEqual(['{"a":1}', '1, 2']);
    reply = 'HTTP/1.1 400 Bad Request\r\nContent-Length: 7\r\nContent-Type: application/json\r\n\r\n{"a":1}';
    const sized = await rawRequest({ method: 'GET', url: url(), headers: [] });
    expect([sized.status, sized.body.toString()]).toEqual([400, '{"a":1}']);
  });
});

const exchange = (status: number, contentType: string | null, text: string, headers: Record<string, string> = {}): Exchange => ({
  operation: 'PublishAssetFromObs',
  method: 'POST',
  url: 'http://127.0.0.1/x',
  requestHeaders: [['content-type', 'application/json']],
  requestBody: '{}',
  auth: 'test',
  status,
  contentType,
  headers: new Map(Object.entries({ ...(contentType ? { 'content-type': contentType } : {}), ...headers })),
  text,
  bodyBytes: Buffer.byteLength(text),
});
const rules = (x: Exchange, op = 'PublishAssetFromObs') => responseViolations(op, x).map((v) => v.rule);
const created = '{"asset_id":"f488337c31c8e4622f1590735b134c65"}';

describe('the response checks', () => {
  it('accept the declared media type with parameters, and extra response fields', () => {
    expect(rules(exchange(200, 'application/json', created))).toEqual([]);
    expect(rules(exchange(200, 'application/json; charset=utf-8', created))).toEqual([]);
    expect(rules(exchange(200, 'Application/JSON;charset=UTF-8', '{"asset_id":"a","extra":{"b":1}}'))).toEqual([]);
  });

  it('refuse a media type the spec does not declare, even a JSON one', () => {
    for (const type of ['application/problem+json', 'text/json', 'text/plain', 'application/vnd.api+json']) {
      expect(rules(exchange(200, type, created)), type).toEqual([RULES.mediaType]);
    }
    expect(rules(exchange(200, null, created))).toEqual([RULES.mediaType]);
  });

  it('fail any 5xx, even a declared one, and undeclared statuses', () => {
    expect(rules(exchange(500, 'application/json', '{"error_code":"VOD.10051","error_msg":"Internal system error."}'))).toEqual([RULES.serverError]);
    expect(rules(exchange(503, 'application/json', '{}'))).toContain(RULES.serverError);
    expect(rules(exchange(201, 'application/json', created))).toEqual([RULES.declaredStatus]);
  });

  it('fail a body on a response declared without content', () => {
    expect(rules(exchange(204, null, ''), 'CreateSmartCover')).toEqual([]);
    expect(rules(exchange(204, 'application/json', '{}'), 'CreateSmartCover')).toEqual([RULES.noContent]);
  });

  it('validate declared headers: Retry-After is a whole number of seconds', () => {
    const throttled = '{"error_code":"APIG.0308","error_msg":"The throttling threshold has been reached."}';
    expect(rules(exchange(429, 'application/json', throttled, { 'retry-after': '3' }))).toEqual([]);
    expect(rules(exchange(429, 'application/json', throttled))).toEqual([]);
    for (const value of ['soon', '-1', '1.5', 'Wed, 21 Oct 2026 07:28:00 GMT']) {
      expect(rules(exchange(429, 'application/json', throttled, { 'retry-after': value })), value).toEqual([RULES.header]);
    }
  });
});
