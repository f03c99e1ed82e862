// Unit tests of the suite's own machinery: the raw HTTP client sees what fetch hides (a 204's body); the response
// checks accept what the spec allows (a charset parameter, extra fields) and nothing else (+json, text/json); what
// is sent where (writes, path values, credentials); the report and the console summary.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationById, operations } from './cases/operations.js';
import { responseViolations, RULES } from './conformance.js';
import type { Exchange } from './exchange.js';
import { rawRequest } from './http.js';
import { consoleSummary, markdown, summarise } from './report.js';
import { buildChecks, writes, type Check, type Result } from './suite.js';
import { targetFromEnv } from './target.js';

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

describe('what the suite sends where (no request is made here)', () => {
  const remote = (env: Record<string, string> = {}) =>
    targetFromEnv({ VOD_BASE_URL: 'https://vod.example.invalid', VOD_PROJECT_ID: 'p', VOD_AUTH_TOKEN: 'secret-token-1', VOD_AK: 'AK1', VOD_SK: 'secret-sk-1', ...env });

  it('treats every operation whose method is not GET as a write, derived from the spec', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(83);
    for (const op of ops) expect(writes(op), `${op.method} ${op.id}`).toBe(op.method !== 'GET');
    expect(writes(operationById('CreateSmartCover'))).toBe(true);
  });

  it('sends no valid request of a write to a real target without VOD_CONTRACT_WRITES=1, and no unauthenticated one either', () => {
    const checks = buildChecks(remote());
    const byOp = (c: Check) => operationById(c.operationId ?? c.operations?.[0] ?? 'ShowAssetMeta');
    const running = checks.filter((c) => !c.skip);
    // What still runs of a write: requests that break a rule (a conforming target refuses them) and credential
    // refusals, none of which a conforming target carries out.
    const ofWrites = running.filter((x) => x.operationId && writes(byOp(x)));
    expect(ofWrites.length).toBeGreaterThan(100);
    for (const c of ofWrites) expect([c.name.startsWith('rejects '), c.group[1]], c.name).toEqual([true, expect.not.stringMatching(/authentication/)]);
    const smartCover = checks.filter((c) => c.operationId === 'CreateSmartCover' && /^accepts /.test(c.name));
    expect(smartCover.length).toBeGreaterThan(0);
    for (const c of smartCover) expect(c.skip, c.name).toMatch(/VOD_CONTRACT_WRITES=1/);
    expect(checks.filter((c) => c.group[0] === 'chains').every((c) => c.skip)).toBe(true);
    // Reads run; with writes on, so do the writes' valid requests.
    expect(running.some((c) => c.operationId === 'ListAssetList' && c.name.startsWith('accepts '))).toBe(true);
    const on = buildChecks(remote({ VOD_CONTRACT_WRITES: '1' }));
    expect(on.filter((c) => c.operationId === 'CreateSmartCover' && c.name.startsWith('accepts ') && !c.skip).length).toBeGreaterThan(0);
  });

  it('skips, with the reason, what a target cannot be asked: {domain_id} without VOD_DOMAIN_ID, a token-only operation with AK/SK only', () => {
    const domainOps = operations().filter((o) => o.path.includes('{domain_id}'));
    expect(domainOps.length).toBeGreaterThan(0);
    const checks = buildChecks(remote());
    for (const op of domainOps) {
      for (const c of checks.filter((x) => x.operationId === op.id)) expect(c.skip, c.name).toContain('needs VOD_DOMAIN_ID (the value of {domain_id})');
    }
    const withDomain = buildChecks(remote({ VOD_DOMAIN_ID: 'd0' }));
    expect(withDomain.filter((c) => c.operationId === domainOps[0]!.id && !c.skip).length).toBeGreaterThan(0);
    const akskOnly = buildChecks(targetFromEnv({ VOD_BASE_URL: 'https://vod.example.invalid', VOD_PROJECT_ID: 'p', VOD_AK: 'AK1', VOD_SK: 'secret-sk-1', VOD_DOMAIN_ID: 'd0' }));
    const tokenOnly = operations().filter((o) => !o.security.aksk);
    expect(tokenOnly.length).toBeGreaterThan(0);
    for (const c of akskOnly.filter((x) => x.operationId === tokenOnly[0]!.id)) expect(c.skip, c.name).toContain('accepts only an IAM token');
  });
});

describe('the report', () => {
  const target = targetFromEnv({ VOD_BASE_URL: 'http://127.0.0.1:1', VOD_PROJECT_ID: 'p', VOD_AUTH_TOKEN: 'secret-token-1', VOD_CONTRACT_REPORT: '/tmp/unused' });
  const long = JSON.stringify({ error_code: 'VOD.10053', error_msg: 'x'.repeat(900) });
  const failing: Exchange = {
    ...exchange(418, 'application/json', long, { 'x-trace': 'secret-token-1' }),
    requestHeaders: [['Host', '127.0.0.1:1'], ['x-auth-token', 'secret-token-1'], ['authorization', 'SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=abc123']],
  };
  const check = (name: string): Check => ({ group: ['PublishAssetFromObs', 'valid requests are accepted'], name, rule: 'PublishAssetFromObs body: required properties only', operationId: 'PublishAssetFromObs', run: async () => {} });
  const results: Result[] = [
    { check: check('accepts the minimal body'), outcome: 'failed', message: 'rule: …', ms: 1, broken: [{ rule: RULES.declaredStatus, detail: '418 is not declared for PublishAssetFromObs' }], exchange: failing },
    { check: check('accepts another body'), outcome: 'passed', ms: 1 },
    { check: { ...check('accepts a third body'), skip: 'a reason' }, outcome: 'skipped', message: 'a reason', ms: 0 },
  ];
  const summary = summarise(target, results, { seed: 1, startedAt: new Date(0), durationMs: 1000 });
  const md = markdown(summary);

  it('starts with the failures: the rule once, the request without credentials, the whole response', () => {
    const sections = md.split('\n## ');
    expect(sections.slice(1).map((s) => s.split('\n')[0])).toEqual(['Failures', 'Rules']);
    const failure = sections[1]!;
    expect(failure.split(RULES.declaredStatus)).toHaveLength(2);
    expect(failure).toContain('POST http://127.0.0.1/x\nHost: 127.0.0.1:1\nx-auth-token: [REDACTED]\nauthorization: SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=[REDACTED]\n\n{}');
    expect(failure).toContain(`HTTP 418\ncontent-type: application/json\nx-trace: [REDACTED]\n\n${long}\n`);
    expect(md).not.toContain('secret-token-1');
    expect(sections[2]).toContain('| PublishAssetFromObs body: required properties only | 1 | 1 | 1 | failed: [#1](#failure-1)<br>skipped: a reason |');
  });

  it('prints the totals, a line per failure and, last, the path of report.md', () => {
    const lines = consoleSummary(summary, '/r/report.md');
    expect(lines).toEqual([
      `Contract suite against http://127.0.0.1:1: 1 passed, 1 failed, 1 skipped of 3 checks (1.0 s, seed 1)`,
      '1 failure (each with its request and response in the report):',
      `  1. ${RULES.declaredStatus} (418 is not declared for PublishAssetFromObs) — PublishAssetFromObs › valid requests are accepted › accepts the minimal body`,
      'Report: /r/report.md',
    ]);
  });
});
