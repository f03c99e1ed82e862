// A small, stateful, conforming implementation of every operation of generated/openapi.json on node:http, and the
// variants of it that each break exactly one rule (variants.ts). The power test runs the contract suite against
// every one of them: the conforming ones must pass, every broken one must fail, naming its rule.
//
// What "conforming" means here is derived from the spec, independently of the suite's enumerator: requests are
// validated with plain JSON Schema (Ajv) plus this file's own walk over x-max-bytes / x-separated-list; tokens and
// AK/SK pairs are checked, the AK/SK signature verified with src/signer.ts over the exact request, and X-Sdk-Date
// must be within 15 minutes.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signHeaders } from '../../src/signer.js';
import { deref, spec, specAjv, type Json } from '../helpers/spec.js';
import { variants, type Variant, type VariantName } from './variants.js';

export const POWER_TOKEN = 'power-test-token-7d1f0c';
export const POWER_AKSK = { ak: 'POWERTESTAK0001', sk: 'power-test-sk-5e2b91' };
const SDK_DATE_WINDOW_MS = 15 * 60_000;

const hex32 = () => randomBytes(16).toString('hex');

// ---- the operations, straight from the spec ----

interface Route {
  id: string;
  method: string;
  pattern: RegExp;
  bodySchema?: Json;
  query: { name: string; required: boolean; schema: Json; explode: boolean }[];
}

const routes: Route[] = [];
for (const [path, item] of Object.entries<Json>(spec.paths)) {
  for (const [method, op] of Object.entries<Json>(item)) {
    if (!op?.operationId) continue;
    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(deref);
    const content = op.requestBody ? deref(op.requestBody).content?.['application/json'] : undefined;
    routes.push({
      id: op.operationId,
      method: method.toUpperCase(),
      pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '([^/]+)')}$`),
      ...(content?.schema ? { bodySchema: content.schema } : {}),
      query: params
        .filter((p: Json) => p.in === 'query')
        .map((p: Json) => ({ name: p.name, required: Boolean(p.required), schema: p.schema, explode: p.explode ?? (p.style ?? 'form') === 'form' })),
    });
  }
}

// ---- validation: plain JSON Schema, then the byte limits by this file's own walk ----

const ajv = specAjv({ vendorKeywords: false });
const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
function validator(schema: Json) {
  const key = JSON.stringify(schema);
  let fn = compiled.get(key);
  if (!fn) {
    fn = ajv.compile(JSON.parse(key.replaceAll('"#/components/schemas/', '"vod.json#/$defs/')));
    compiled.set(key, fn);
  }
  return fn;
}

export interface Problem {
  path: string;
  keyword: string;
  message: string;
  params?: Json;
  value?: unknown;
}

export type ByteLength = (s: string) => number;
const utf8: ByteLength = (s) => Buffer.byteLength(s, 'utf8');

function byteProblems(schema: Json, value: unknown, path: string, bytes: ByteLength, out: Problem[]) {
  const s = deref(schema);
  if (!s || typeof s !== 'object') return;
  for (const part of s.allOf ?? []) if (!part.if) byteProblems(part, value, path, bytes, out);
  if (typeof value === 'string') {
    if (typeof s['x-max-bytes'] === 'number' && bytes(value) > s['x-max-bytes']) {
      out.push({ path, keyword: 'x-max-bytes', message: `exceeds ${s['x-max-bytes']} bytes`, value });
    }
    const list = s['x-separated-list'];
    if (list) {
      const items = value.split(list.separator);
      if (items.length > list.maxItems) out.push({ path, keyword: 'x-separated-list', message: 'too many items', value });
      else if (items.some((i) => bytes(i) > list.maxItemBytes)) out.push({ path, keyword: 'x-separated-list', message: 'an item is too long', value });
    }
  } else if (Array.isArray(value) && s.items) {
    value.forEach((v, i) => byteProblems(s.items, v, `${path}/${i}`, bytes, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (s.properties?.[k]) byteProblems(s.properties[k], v, `${path}/${k}`, bytes, out);
  }
}

export function validate(schema: Json, value: unknown, bytes: ByteLength = utf8): Problem[] {
  const fn = validator(schema);
  const problems: Problem[] = [];
  if (!fn(value)) {
    for (const e of fn.errors ?? []) {
      problems.push({ path: e.instancePath, keyword: e.keyword, message: e.message ?? e.keyword, params: e.params });
    }
  }
  byteProblems(schema, value, '', bytes, problems);
  return problems;
}

function parseQuery(route: Route, search: URLSearchParams): Record<string, unknown> {
  const typed = (schema: Json, text: string): unknown => {
    const t = deref(schema).type;
    if ((t === 'integer' || t === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    return text;
  };
  const out: Record<string, unknown> = {};
  for (const p of route.query) {
    const values = search.getAll(p.name);
    if (!values.length) continue;
    const schema = deref(p.schema);
    if (schema.type === 'array') {
      out[p.name] = (p.explode ? values : values.flatMap((v) => v.split(','))).map((v) => typed(schema.items ?? {}, v));
    } else out[p.name] = typed(schema, values[values.length - 1]!);
  }
  return out;
}

// ---- authentication ----

function parseSdkDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

interface AuthOptions {
  acceptAnyToken?: boolean;
  skipSignature?: boolean;
  windowMs?: number;
  noAkSk?: boolean;
  halfAkSk?: boolean;
  noAuth?: boolean;
}

async function authenticated(req: IncomingMessage, body: string, o: AuthOptions): Promise<boolean> {
  if (o.noAuth) return true;
  const token = req.headers['x-auth-token'];
  if (typeof token === 'string') return o.acceptAnyToken ? token.length > 0 : token === POWER_TOKEN;
  const authorization = req.headers.authorization;
  const date = req.headers['x-sdk-date'];
  if (o.halfAkSk && authorization) return true;
  if (typeof authorization !== 'string' || typeof date !== 'string' || o.noAkSk) return false;
  const m = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(authorization);
  if (!m || m[1] !== POWER_AKSK.ak) return false;
  const at = parseSdkDate(date);
  if (at === undefined || Math.abs(Date.now() - at) > (o.windowMs ?? SDK_DATE_WINDOW_MS)) return false;
  if (o.skipSignature) return true;
  // Re-sign exactly the headers the client says it signed, over the exact body bytes, and compare.
  const headers = new Headers();
  for (const name of m[2]!.split(';')) {
    const value = req.headers[name];
    if (name !== 'host' && typeof value === 'string') headers.set(name, value);
  }
  await signHeaders({ method: req.method!, url: `http://${req.headers.host}${req.url}`, headers, body }, POWER_AKSK);
  return headers.get('authorization') === authorization;
}

// ---- the server ----

/**
 * The operations the server implements (the cases of the switch in vodHandler): the asset lifecycle the chains
 * walk, the smart cover and the categories. Every other operation of the spec is answered 404 APIG.0101 (no such API), which the
 * suite reports as skipped, naming the operation: the power test proves the suite on these eight and that it
 * stands aside, rather than failing, where a target does not offer an operation.
 */
export const IMPLEMENTED: ReadonlySet<string> = new Set([
  'PublishAssetFromObs',
  'CreateSmartCover',
  'UpdateBucketAuthorized',
  'ShowAssetMeta',
  'ShowAssetDetail',
  'PublishAssets',
  'UnpublishAssets',
  'DeleteAssets',
  'CreateAssetCategory',
  'ListAssetCategory',
  'UpdateAssetCategory',
  'DeleteAssetCategory',
]);

interface Category {
  id: number;
  name: string;
  parentId: number;
  level: number;
}

interface Asset {
  id: string;
  status: string;
  published: boolean;
  title: string;
  /** ShowAssetMeta polls that saw it. */
  polls: number;
}

export interface VodServer {
  url: string;
  requests: () => number;
  close: () => Promise<void>;
}

export function vodHandler(name: VariantName = 'conforming') {
  const v: Variant = variants[name];
  const assets = new Map<string, Asset>();
  const categories = new Map<number, Category>();
  let nextCategory = 1000;
  let count = 0;
  const recent: number[] = [];

  return async (req: IncomingMessage, res: ServerResponse, text: string) => {
    count++;
    const contentType = v.mediaType ?? 'application/json';
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      // Extra fields on objects (a bare array, such as ListAssetCategory's, has none to add).
      const data = JSON.stringify(v.extraFields && body && typeof body === 'object' && !Array.isArray(body) ? { ...body, served_by: 'power-test', trace: { n: count } } : body);
      const type = status >= 400 && v.errorMediaType ? v.errorMediaType : contentType;
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(data), ...headers });
      res.end(data);
    };
    const error = (status: number, code: string, msg: string, headers: Record<string, string> = {}) =>
      json(status, v.errorWithoutMsg ? { error_code: code } : { error_code: code, error_msg: msg, ...(code.startsWith('APIG') ? { request_id: hex32() } : {}) }, headers);
    const refuse = (code: string, msg: string) => error(v.refusalStatus ?? 400, code, msg);

    const url = new URL(req.url!, 'http://x');
    const route = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    // An operation it does not implement is not there at all, as the gateway answers an API that is not published:
    // before authentication and validation, so that the suite's probe finds it missing.
    if (!route || !IMPLEMENTED.has(route.id) || (v.offers && !v.offers.includes(route.id))) {
      return error(404, 'APIG.0101', 'The API does not exist or has not been published in the environment.');
    }

    if (v.throttleEvery && count % v.throttleEvery === 0) {
      return error(429, 'APIG.0308', 'The throttling threshold has been reached.', { 'retry-after': v.retryAfter ?? '0' });
    }

    if (v.burst && route.id === v.burst.op) {
      const now = Date.now();
      recent.push(now);
      while (recent[0]! < now - v.burst.windowMs) recent.shift();
      if (recent.length > v.burst.limit) return error(429, 'APIG.0308', 'The throttling threshold has been reached.', { 'retry-after': v.burst.retryAfter });
    }

    if (!(await authenticated(req, text, v.auth ?? {}))) {
      if (v.html401) {
        res.writeHead(401, { 'content-type': 'text/html' });
        return res.end('<html><body><h1>401 Unauthorized</h1></body></html>');
      }
      return error(401, 'APIG.0301', 'Incorrect IAM authentication information.');
    }

    let body: unknown;
    if (route.bodySchema) {
      try {
        body = JSON.parse(text);
      } catch {
        if (v.malformed500) return error(500, 'VOD.10051', 'Internal system error.');
        return refuse('VOD.10053', 'The request parameter is illegal: the body is not JSON.');
      }
      if (v.crash?.(route.id, body)) return error(500, 'VOD.10051', 'Internal system error.');
      const seen = v.preprocess ? v.preprocess(route.id, body) : body;
      let problems = v.skipValidation?.includes(route.id) ? [] : validate(route.bodySchema, seen, v.byteLength);
      if (v.ignore) problems = problems.filter((p) => !v.ignore!(p, seen));
      if (v.reject?.(route.id, seen)) problems.push({ path: '', keyword: 'custom', message: 'refused' });
      if (problems.length) {
        const p = problems[0]!;
        const field = (p.params?.missingProperty ?? p.params?.additionalProperty ?? p.path.replace(/^\//, '')) || 'body';
        return refuse('VOD.10053', `The request parameter is illegal, illegal field: ${String(field).replaceAll('/', '.')}.`);
      }
    }
    const query = v.queryHook ? v.queryHook(route.id, parseQuery(route, url.searchParams), url.searchParams) : parseQuery(route, url.searchParams);
    for (const p of route.query) {
      if (v.skipQueryValidation?.includes(`${route.id}.${p.name}`)) continue;
      if (!(p.name in query)) {
        if (p.required) return refuse('VOD.10053', `The request parameter is illegal, illegal field: ${p.name}.`);
        continue;
      }
      if (validate(p.schema, query[p.name]).length) return refuse('VOD.10053', `The request parameter is illegal, illegal field: ${p.name}.`);
    }

    const b = body as Record<string, unknown>;
    const ids = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);
    const unknown = (list: string[]) => list.filter((id) => !assets.has(id) || v.forgetsAssets?.includes(route.id));
    const notFound = () => error(v.unknownAssetStatus!, 'VOD.10062', 'The media asset or resource does not exist.');
    const info = (a: Asset) => ({ asset_id: a.id, status: a.status, base_info: { title: a.title, video_type: 'MP4' }, ...(v.extraFields ? { future_field: 1 } : {}) });
    switch (route.id) {
      case 'PublishAssetFromObs': {
        const id = hex32();
        assets.set(id, { id, status: 'OBS_CREATING', published: false, title: String(b?.title), polls: 0 });
        if (v.assetIdNumber) return json(200, { asset_id: 4_290_000_000 });
        if (v.missingAssetId) return json(200, { id });
        return json(v.createdStatus ?? 200, { asset_id: id });
      }
      case 'CreateSmartCover': {
        if (v.smartCover200) return json(200, { asset_id: b.asset_id, cover_url: 'https://example.invalid/cover.jpg' });
        if (v.unknownAssetStatus && unknown(ids(b.asset_id)).length) return notFound();
        if (v.bodyOn204) {
          // node:http never sends a body with 204: write the bytes to the socket directly.
          res.socket!.end('HTTP/1.1 204 No Content\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{"status":"ok"}\n');
          return;
        }
        res.writeHead(204);
        return res.end();
      }
      case 'UpdateBucketAuthorized': {
        // 200 with no body (the page documents none).
        if (v.authorityBody) return json(200, { result: 'ok' });
        res.writeHead(200, { 'content-length': '0' });
        return res.end();
      }
      case 'ShowAssetMeta': {
        const wanted = query.asset_id === undefined ? undefined : ids(query.asset_id);
        const list = [...assets.values()].filter((a) => !wanted || wanted.includes(a.id));
        for (const a of list) {
          // The transfer ends after the first poll has seen it running.
          if (a.status === 'OBS_CREATING' && ++a.polls >= 2 && !v.neverFinishes) a.status = 'OBS_CREATE_SUCCESS';
        }
        return json(200, { asset_info_array: list.map(info), is_truncated: 0, total: list.length });
      }
      case 'ShowAssetDetail': {
        const id = String(query.asset_id);
        const a = assets.get(id);
        if (!a) return v.unknownAssetStatus ? notFound() : json(200, { asset_id: id });
        return json(200, { asset_id: v.detailOtherAsset ? hex32() : id, base_info: { title: a.title, video_type: 'MP4' } });
      }
      case 'PublishAssets':
      case 'UnpublishAssets': {
        const list = ids(b.asset_id);
        if (v.unknownAssetStatus && unknown(list).length) return notFound();
        const known = list.map((id) => assets.get(id)).filter((a): a is Asset => Boolean(a));
        for (const a of known) a.status = route.id === 'PublishAssets' ? 'PUBLISHED' : 'CREATED';
        return json(200, { asset_info_array: known.map(info) });
      }
      case 'DeleteAssets': {
        const list = ids(query.asset_id);
        if (v.unknownAssetStatus && unknown(list).length) return notFound();
        const results = list.map((id) => {
          if (!assets.has(id)) return { asset_id: id, status: 'UNKNOW' };
          if (!v.deleteKeepsAsset) assets.delete(id);
          return { asset_id: id, status: 'DELETED' };
        });
        return json(200, { delete_result_array: results });
      }
      case 'CreateAssetCategory': {
        const parentId = typeof b.parent_id === 'number' ? b.parent_id : 0;
        const parent = categories.get(parentId);
        if (parentId !== 0 && !parent) return error(403, 'VOD.10064', 'The media asset category does not exist.');
        const c: Category = { id: nextCategory++, name: String(b.name), parentId, level: parent ? parent.level + 1 : 1 };
        if (c.level > 3) return error(403, 'VOD.10066', 'The category level exceeds 3.');
        categories.set(c.id, c);
        return json(200, { id: c.id, name: c.name, parent_id: c.parentId, level: c.level, projectId: '0123456789abcdef0123456789abcdef' });
      }
      case 'ListAssetCategory': {
        // The category asked for (id 0: every first-level one), each with its sub-categories; the id as a string.
        const tree = (c: Category): unknown => ({ id: String(c.id), name: c.name, children: [...categories.values()].filter((x) => x.parentId === c.id).map(tree) });
        const id = Number(query.id ?? 0);
        const found = id === 0 ? [...categories.values()].filter((c) => c.parentId === 0) : [categories.get(id)].filter((c): c is Category => Boolean(c));
        return json(200, found.map(tree));
      }
      case 'UpdateAssetCategory': {
        const c = categories.get(Number(b.id));
        if (!c) return error(403, 'VOD.10064', 'The media asset category does not exist.');
        c.name = String(b.name);
        return json(200, { id: c.id, name: c.name, parent_id: c.parentId, level: c.level, projectId: '0123456789abcdef0123456789abcdef' });
      }
      case 'DeleteAssetCategory': {
        const id = Number(query.id);
        if (!categories.has(id)) return error(403, 'VOD.10064', 'The media asset category does not exist.');
        if (!v.deleteKeepsCategory) categories.delete(id);
        res.writeHead(204);
        return res.end();
      }
      default:
        return error(404, 'APIG.0101', `power-test server: ${route.id} is not implemented`);
    }
  };
}

export async function startVodServer(name: VariantName = 'conforming', port = 0): Promise<VodServer> {
  const handle = vodHandler(name);
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
