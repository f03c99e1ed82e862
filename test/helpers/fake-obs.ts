// A fake VOD + OBS for the upload tests, two servers on 127.0.0.1 (OBS is another host, as in production):
// - VOD: CreateAssetByFileUpload, UpdateAsset, ShowAssetTempAuthority (v1.1), ConfirmAssetUpload, ShowAssetMeta,
//   behind X-Auth-Token. It presigns OBS URLs the way VOD does (S3-V2 query authentication: AWSAccessKeyId, Expires,
//   Signature = base64 HMAC-SHA1 over method, Content-MD5, Content-Type, Expires and the resource with its
//   sub-resources), signing the content_type and content_md5 it was given.
// - OBS (path style /{bucket}/{key}): PutObject, GetObject (Range), and the multipart API (initiate, UploadPart,
//   ListParts with max-parts/part-number-marker, Complete, Abort). It checks every signature and expiry, refuses VOD
//   credentials, checks Content-MD5 against the body, answers a part's ETag as its MD5, and checks at Complete that
//   the list is 1..N contiguous, each ETag is the stored part's, each part but the last is at least 100 KB; parts
//   above 20,000,000 bytes are refused (VOD's limit).
// Faults are injected per test through `faults` (see FakeFaults); `hooks` let a test act when a part is stored.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TOKEN = 'upload-test-token';
const AK = 'FAKEOBSAK';
const SK = 'fake-obs-secret';
const NS = 'http://obs.cn-north-4.myhuaweicloud.com/doc/2015-06-30/';
export const MIN_PART = 102_400;
export const MAX_PART = 20_000_000;

const CONTENT_TYPE: Record<string, string> = { MP4: 'video/mp4', MOV: 'video/quicktime', MKV: 'video/x-matroska', MP3: 'audio/mpeg', TS: 'video/mp2t' };

export interface FakeFaults {
  /** Drop the connection while part N's body arrives, this many times: { partNumber: times }. */
  dropPart?: Record<number, number>;
  /** Answer part N with 500 InternalError this many times. */
  failPart?: Record<number, number>;
  /** The first URL presigned for part N is already expired (403 "Request has expired" when used). */
  expirePart?: Set<number>;
  /** Answer this many ShowAssetTempAuthority calls with 429 (APIG.0308), starting at the `throttleFrom`-th call. */
  throttleAuthority?: number;
  throttleFrom?: number;
  /** Complete the upload, then drop the connection instead of answering (this many times). */
  loseComplete?: number;
  /** Answer every UploadPart with an ETag that is not the part's MD5 (a broken or hostile OBS). */
  wrongEtag?: boolean;
  /** Refuse the abort (DELETE) with 500, every time. */
  failAbort?: boolean;
  /** Refuse ConfirmAssetUpload with this status, for statuses other than CREATED. */
  failConfirm?: number;
  /** Answer this many ConfirmAssetUpload CREATED calls with 500. */
  failConfirmCreated?: number;
  /** Confirm CREATED, then drop the connection instead of answering (this many times). */
  loseConfirmCreated?: number;
  /** Refuse to presign a GET without upload_id (a VOD that presigns only the documented steps). */
  refuseObjectGet?: boolean;
  /** Delay every UploadPart answer by this many ms (to let a test act while parts are in flight). */
  partDelayMs?: number;
}

export interface FakeHooks {
  /** Called after part N was stored (before the answer is sent). */
  partStored?: (partNumber: number, size: number) => void | Promise<void>;
}

interface Asset {
  asset_id: string;
  title: string;
  video_type: string;
  video_name: string;
  bucket: string;
  object: string;
  /** The statuses confirmed, in order. */
  confirmations: string[];
  video_md5?: string;
}

interface MultipartUpload {
  bucket: string;
  key: string;
  contentType: string;
  parts: Map<number, { data: Buffer; etag: string }>;
}

export interface LoggedRequest {
  host: 'vod' | 'obs';
  method: string;
  /** VOD: the operation; OBS: initiate | part | list | complete | abort | put | get. */
  kind: string;
  partNumber?: number;
  status?: number;
  contentType?: string;
  signedContentType?: string;
  /** When the request arrived (performance.now()). */
  at: number;
}

export async function startFakeVodObs(options: { faults?: FakeFaults; hooks?: FakeHooks; urlTtlSeconds?: number; listPageSize?: number; cors?: boolean } = {}) {
  const faults: FakeFaults = options.faults ?? {};
  const hooks: FakeHooks = options.hooks ?? {};
  const ttl = options.urlTtlSeconds ?? 600;
  const assets = new Map<string, Asset>();
  const uploads = new Map<string, MultipartUpload>();
  const objects = new Map<string, { data: Buffer; etag: string; contentType: string }>();
  const log: LoggedRequest[] = [];
  const violations: string[] = [];
  const expiredIssued = new Set<number>();
  let authorityCalls = 0;
  let obsUrl = '';

  // ------------------------------------------------------------------ V2 presigning (VOD's side) and checking (OBS's)
  const resourceOf = (bucket: string, key: string, sub: Record<string, string>) => {
    const names = Object.keys(sub).sort();
    const query = names.map((n) => (sub[n] === '' ? n : `${n}=${sub[n]}`)).join('&');
    return `/${bucket}/${key}${query ? `?${query}` : ''}`;
  };
  const sign = (method: string, md5: string, type: string, expires: number, resource: string) =>
    createHmac('sha1', SK).update(`${method}\n${md5}\n${type}\n${expires}\n${resource}`).digest('base64');

  function presign(method: string, bucket: string, key: string, sub: Record<string, string>, type = '', md5 = '', expires = Math.floor(Date.now() / 1000) + ttl) {
    const signature = sign(method, md5, type, expires, resourceOf(bucket, key, sub));
    const subQuery = Object.entries(sub).map(([n, v]) => (v === '' ? n : `${n}=${encodeURIComponent(v)}`));
    const encodedKey = key.split('/').map(encodeURIComponent).join('/');
    const query = [...subQuery, `AWSAccessKeyId=${AK}`, `Expires=${expires}`, `Signature=${encodeURIComponent(signature)}`].join('&');
    return `${obsUrl}/${bucket}/${encodedKey}?${query}`;
  }

  // ------------------------------------------------------------------ helpers
  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
  const xml = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/xml', ...headers }).end(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${body}`);
  };
  const obsError = (res: ServerResponse, status: number, code: string, message: string, extra = '') =>
    xml(res, status, `<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>fake</RequestId></Error>`);
  const md5 = (data: Buffer) => createHash('md5').update(data).digest();
  // For a browser (the runtime matrix): what an OBS bucket's CORS rule must allow, ETag exposed included.
  const cors = (req: IncomingMessage, res: ServerResponse) => {
    if (!options.cors) return;
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-methods', 'GET, PUT, POST, DELETE');
    res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? 'content-type');
    res.setHeader('access-control-expose-headers', 'ETag, Content-Range');
  };

  // ------------------------------------------------------------------ VOD
  const vod = createServer(async (req, res) => {
    cors(req, res);
    if (req.method === 'OPTIONS') return res.writeHead(204).end();
    const body = await readBody(req);
    const url = new URL(req.url!, 'http://vod');
    const route = `${req.method} ${url.pathname.replace(/^\/v1\.[01]\/[^/]+/, '')}`;
    const entry: LoggedRequest = { host: 'vod', method: req.method!, kind: route, at: performance.now() };
    log.push(entry);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      json(res, status, payload, headers);
    };
    if (req.headers['x-auth-token'] !== TOKEN) return answer(401, { error_code: 'APIG.0301', error_msg: 'Incorrect IAM authentication information' });
    const input = body.length ? JSON.parse(body.toString('utf8')) : {};
    switch (route) {
      case 'POST /asset': {
        entry.kind = 'create';
        if (!input.title || !input.video_type || !input.video_name) return answer(400, { error_code: 'VOD.10053', error_msg: 'missing field' });
        const id = randomBytes(16).toString('hex');
        const asset: Asset = {
          asset_id: id,
          title: input.title,
          video_type: input.video_type,
          video_name: input.video_name,
          bucket: 'vod-bucket-test',
          object: `project/${id}/${randomBytes(16).toString('hex')}.${String(input.video_type).toLowerCase()}`,
          confirmations: [],
          ...(input.video_md5 ? { video_md5: input.video_md5 } : {}),
        };
        assets.set(id, asset);
        return answer(200, {
          asset_id: id,
          video_upload_url: presign('PUT', asset.bucket, asset.object, {}, CONTENT_TYPE[asset.video_type] ?? 'application/octet-stream', asset.video_md5 ?? ''),
          cover_upload_url: null,
          subtitle_upload_urls: [],
          target: { bucket: asset.bucket, location: 'cn-north-4', object: asset.object },
        });
      }
      case 'PUT /asset': {
        entry.kind = 'update';
        const asset = assets.get(input.asset_id);
        if (!asset) return answer(403, { error_code: 'VOD.10062', error_msg: 'asset not found' });
        return answer(200, {
          asset_id: asset.asset_id,
          video_upload_url: presign('PUT', asset.bucket, asset.object, {}, CONTENT_TYPE[asset.video_type] ?? 'application/octet-stream', asset.video_md5 ?? ''),
          subtitle_upload_urls: [],
        });
      }
      case 'GET /asset/authority': {
        entry.kind = 'authority';
        authorityCalls++;
        const from = faults.throttleFrom ?? 1;
        if (faults.throttleAuthority && authorityCalls >= from && authorityCalls < from + faults.throttleAuthority) {
          return answer(429, { error_code: 'APIG.0308', error_msg: 'The request is throttled.' });
        }
        const q = Object.fromEntries(url.searchParams);
        const asset = [...assets.values()].find((a) => a.bucket === q.bucket && a.object === q.object_key);
        if (!asset) return answer(403, { error_code: 'VOD.10053', error_msg: 'request parameter is illegal: unknown bucket/object_key' });
        if (q.http_verb === 'GET' && !q.upload_id && faults.refuseObjectGet) {
          return answer(403, { error_code: 'VOD.10053', error_msg: 'request parameter is illegal: upload_id' });
        }
        const type = q.content_type ?? '';
        const md5Value = q.content_md5 ?? '';
        entry.signedContentType = type;
        const sub: Record<string, string> = {};
        if (q.http_verb === 'POST' && !q.upload_id) sub.uploads = '';
        if (q.upload_id) sub.uploadId = q.upload_id;
        if (q.http_verb === 'PUT') {
          if (!q.upload_id || !q.part_number) return answer(403, { error_code: 'VOD.10053', error_msg: 'upload_id and part_number are required for PUT' });
          sub.partNumber = q.part_number;
        }
        let expires: number | undefined;
        if (q.http_verb === 'PUT' && faults.expirePart?.has(Number(q.part_number)) && !expiredIssued.has(Number(q.part_number))) {
          expiredIssued.add(Number(q.part_number));
          expires = Math.floor(Date.now() / 1000) - 5;
        }
        return answer(200, { sign_str: presign(q.http_verb!, asset.bucket, asset.object, sub, type, md5Value, expires) });
      }
      case 'POST /asset/status/uploaded': {
        entry.kind = `confirm ${input.status}`;
        const asset = assets.get(input.asset_id);
        if (!asset) return answer(403, { error_code: 'VOD.10062', error_msg: 'asset not found' });
        if (input.status !== 'CREATED' && faults.failConfirm) return answer(faults.failConfirm, { error_code: 'VOD.10051', error_msg: 'confirm refused' });
        if (input.status === 'CREATED' && faults.failConfirmCreated) {
          faults.failConfirmCreated--;
          return answer(500, { error_code: 'VOD.10051', error_msg: 'internal error' });
        }
        if (input.status === 'CREATED' && !objects.has(`${asset.bucket}/${asset.object}`)) {
          violations.push(`asset ${asset.asset_id} confirmed CREATED without an object in OBS`);
        }
        // As VOD does: an asset already confirmed CREATED is in a status that does not support the operation.
        if (asset.confirmations.at(-1) === 'CREATED') {
          return answer(403, { error_code: 'VOD.10083', error_msg: 'The current status of the asset or resource does not support this operation.' });
        }
        asset.confirmations.push(input.status);
        if (input.status === 'CREATED' && faults.loseConfirmCreated) {
          faults.loseConfirmCreated--;
          req.socket.destroy();
          return;
        }
        return answer(200, { asset_id: asset.asset_id });
      }
      case 'GET /asset/info': {
        entry.kind = 'info';
        const ids = url.searchParams.getAll('asset_id').flatMap((v) => v.split(','));
        const found = ids.map((id) => assets.get(id)).filter((a): a is Asset => !!a);
        return answer(200, {
          asset_info_array: found.map((a) => ({
            asset_id: a.asset_id,
            status: a.confirmations.at(-1) === 'CREATED' ? 'PUBLISHED' : 'UNCREATED',
            base_info: { title: a.title, video_type: a.video_type, video_name: a.video_name },
          })),
          is_truncated: 0,
          total: found.length,
        });
      }
      default:
        return answer(404, { error_code: 'APIG.0101', error_msg: `no route ${route}` });
    }
  });

  // ------------------------------------------------------------------ OBS
  const obs = createServer(async (req, res) => {
    cors(req, res);
    if (req.method === 'OPTIONS') return res.writeHead(200).end();
    const url = new URL(req.url!, 'http://obs');
    const [, bucket, ...keyParts] = url.pathname.split('/');
    const key = keyParts.map(decodeURIComponent).join('/');
    const q = url.searchParams;
    const method = req.method!;
    const kind = method === 'POST' ? (q.has('uploads') ? 'initiate' : 'complete')
      : method === 'PUT' ? (q.has('partNumber') ? 'part' : 'put')
        : method === 'GET' ? (q.has('uploadId') ? 'list' : 'get')
          : method === 'DELETE' ? 'abort' : 'other';
    const partNumber = q.has('partNumber') ? Number(q.get('partNumber')) : undefined;
    const entry: LoggedRequest = { host: 'obs', method, kind, ...(partNumber ? { partNumber } : {}), contentType: req.headers['content-type'], at: performance.now() };
    log.push(entry);
    const drop = () => {
      entry.status = 0;
      req.socket.destroy();
    };
    const fail = (status: number, code: string, message: string, extra = '') => {
      entry.status = status;
      obsError(res, status, code, message, extra);
    };

    // A dropped connection while the body arrives (the client sees a network error mid-request).
    if (kind === 'part' && faults.dropPart?.[partNumber!]) {
      faults.dropPart[partNumber!]!--;
      req.once('data', drop);
      req.resume();
      return;
    }
    const body = await readBody(req);

    if (req.headers['x-auth-token'] || req.headers.authorization) {
      violations.push(`OBS ${kind} carried VOD credentials`);
      return fail(400, 'InvalidArgument', 'VOD credentials sent to OBS');
    }
    // V2 query authentication.
    if (q.get('AWSAccessKeyId') !== AK) return fail(403, 'InvalidAccessKeyId', 'unknown AWSAccessKeyId');
    const expires = Number(q.get('Expires'));
    const sub: Record<string, string> = {};
    for (const name of ['uploads', 'uploadId', 'partNumber']) if (q.has(name)) sub[name] = q.get(name)!;
    const contentMd5 = (req.headers['content-md5'] as string | undefined) ?? '';
    const contentType = (req.headers['content-type'] as string | undefined) ?? '';
    const toSign = `${method}\n${contentMd5}\n${contentType}\n${expires}\n${resourceOf(bucket!, key, sub)}`;
    if (q.get('Signature') !== sign(method, contentMd5, contentType, expires, resourceOf(bucket!, key, sub))) {
      violations.push(`OBS ${kind}${partNumber ? ` ${partNumber}` : ''}: signature mismatch (sent Content-Type "${contentType}", Content-MD5 "${contentMd5}")`);
      return fail(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.', `<StringToSign>${toSign}</StringToSign>`);
    }
    if (!(expires * 1000 > Date.now())) return fail(403, 'AccessDenied', 'Request has expired');
    if (contentMd5 && contentMd5 !== md5(body).toString('base64')) return fail(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');

    const objectId = `${bucket}/${key}`;
    const upload = sub.uploadId ? uploads.get(sub.uploadId) : undefined;
    if (sub.uploadId && (!upload || upload.bucket !== bucket || upload.key !== key)) return fail(404, 'NoSuchUpload', 'The specified upload does not exist.');
    const ok = (status: number) => (entry.status = status);

    switch (kind) {
      case 'put': {
        const etag = md5(body).toString('hex');
        objects.set(objectId, { data: body, etag, contentType });
        ok(200);
        return res.writeHead(200, { etag: `"${etag}"` }).end();
      }
      case 'get': {
        const object = objects.get(objectId);
        if (!object) return fail(404, 'NoSuchKey', 'The specified key does not exist.');
        const range = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
        ok(range ? 206 : 200);
        if (range) {
          const start = Number(range[1]);
          const end = Math.min(Number(range[2]), object.data.length - 1);
          return res.writeHead(206, { etag: `"${object.etag}"`, 'content-range': `bytes ${start}-${end}/${object.data.length}` }).end(object.data.subarray(start, end + 1));
        }
        return res.writeHead(200, { etag: `"${object.etag}"` }).end(object.data);
      }
      case 'initiate': {
        const uploadId = randomBytes(16).toString('hex').toUpperCase();
        uploads.set(uploadId, { bucket: bucket!, key, contentType, parts: new Map() });
        ok(200);
        return xml(res, 200, `<InitiateMultipartUploadResult xmlns="${NS}"><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`);
      }
      case 'part': {
        if (!contentMd5) return fail(400, 'InvalidRequest', 'this OBS requires Content-MD5 on every part');
        if (!(partNumber! >= 1 && partNumber! <= 10_000)) return fail(400, 'InvalidArgument', 'partNumber must be 1-10000');
        if (body.length > MAX_PART) return fail(400, 'EntityTooLarge', `a part is at most ${MAX_PART} bytes`);
        if (faults.failPart?.[partNumber!]) {
          faults.failPart[partNumber!]!--;
          return fail(500, 'InternalError', 'We encountered an internal error. Please try again.');
        }
        const etag = md5(body).toString('hex');
        upload!.parts.set(partNumber!, { data: body, etag });
        await hooks.partStored?.(partNumber!, body.length);
        if (faults.partDelayMs) await new Promise((r) => setTimeout(r, faults.partDelayMs));
        ok(200);
        return res.writeHead(200, { etag: `"${faults.wrongEtag ? 'f'.repeat(32) : etag}"` }).end();
      }
      case 'list': {
        const pageSize = Math.min(Number(q.get('max-parts') ?? 1000), options.listPageSize ?? 1000);
        const marker = Number(q.get('part-number-marker') ?? 0);
        const all = [...upload!.parts.entries()].sort(([a], [b]) => a - b).filter(([n]) => n > marker);
        const page = all.slice(0, pageSize);
        const truncated = all.length > page.length;
        const parts = page.map(([n, p]) => `<Part><PartNumber>${n}</PartNumber><LastModified>2026-12-03T00:00:00.000Z</LastModified><ETag>"${p.etag}"</ETag><Size>${p.data.length}</Size></Part>`).join('');
        ok(200);
        return xml(res, 200, `<ListPartsResult xmlns="${NS}"><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${sub.uploadId}</UploadId><PartNumberMarker>${marker}</PartNumberMarker>${page.length ? `<NextPartNumberMarker>${page.at(-1)![0]}</NextPartNumberMarker>` : ''}<MaxParts>${pageSize}</MaxParts><IsTruncated>${truncated}</IsTruncated>${parts}</ListPartsResult>`);
      }
      case 'complete': {
        const text = body.toString('utf8');
        const listed = [...text.matchAll(/<Part>\s*<PartNumber>(\d+)<\/PartNumber>\s*<ETag>"?([0-9a-fA-F]+)"?<\/ETag>\s*<\/Part>/g)].map((m) => ({ n: Number(m[1]), etag: m[2]!.toLowerCase() }));
        if (!listed.length) return fail(400, 'MalformedXML', 'no parts');
        for (let i = 0; i < listed.length; i++) {
          const { n, etag } = listed[i]!;
          if (n !== i + 1) return fail(400, 'InvalidPartOrder', `parts must be 1..N contiguous (got ${n} at position ${i + 1})`);
          const part = upload!.parts.get(n);
          if (!part || part.etag !== etag) return fail(400, 'InvalidPart', `part ${n} is missing or its ETag differs`);
          if (i < listed.length - 1 && part.data.length < MIN_PART) return fail(400, 'EntityTooSmall', `part ${n} is ${part.data.length} bytes, under ${MIN_PART}`);
        }
        const data = Buffer.concat(listed.map(({ n }) => upload!.parts.get(n)!.data));
        const etag = `${createHash('md5').update(Buffer.concat(listed.map(({ n }) => Buffer.from(upload!.parts.get(n)!.etag, 'hex')))).digest('hex')}-${listed.length}`;
        objects.set(objectId, { data, etag, contentType: upload!.contentType });
        uploads.delete(sub.uploadId!);
        if (faults.loseComplete) {
          faults.loseComplete--;
          return drop();
        }
        ok(200);
        return xml(res, 200, `<CompleteMultipartUploadResult xmlns="${NS}"><Location>${obsUrl}/${objectId}</Location><Bucket>${bucket}</Bucket><Key>${key}</Key><ETag>"${etag}"</ETag></CompleteMultipartUploadResult>`);
      }
      case 'abort': {
        if (faults.failAbort) return fail(500, 'InternalError', 'abort refused');
        uploads.delete(sub.uploadId!);
        ok(204);
        return res.writeHead(204).end();
      }
      default:
        return fail(405, 'MethodNotAllowed', `${method} is not supported here`);
    }
  });

  const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  const vodPort = await listen(vod);
  const obsPort = await listen(obs);
  obsUrl = `http://127.0.0.1:${obsPort}`;
  const close = (server: Server) => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

  return {
    vodUrl: `http://127.0.0.1:${vodPort}`,
    obsUrl,
    faults,
    hooks,
    assets,
    uploads,
    objects,
    log,
    violations,
    /** The object of an asset, if it is in OBS. */
    objectOf: (assetId: string) => {
      const a = assets.get(assetId);
      return a ? objects.get(`${a.bucket}/${a.object}`) : undefined;
    },
    close: async () => {
      await Promise.all([close(vod), close(obs)]);
    },
  };
}

export type FakeVodObs = Awaited<ReturnType<typeof startFakeVodObs>>;
