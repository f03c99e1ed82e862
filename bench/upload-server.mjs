// The server of the upload benchmark (bench/upload.mjs), a separate process on 127.0.0.1: a fake VOD
// (CreateAssetByFileUpload, ShowAssetTempAuthority presigning S3-V2 URLs, ConfirmAssetUpload) and an OBS/S3-compatible
// multipart endpoint (path style /{bucket}/{key}: initiate, UploadPart, ListParts, Complete, Abort, PutObject) on the
// same port. Parts are streamed to disk (one file per part, MD5 computed as the bytes arrive), never held in memory;
// Complete checks the list (1..N, each ETag the stored part's) and answers the multipart ETag MD5(digests)-N, then
// the part files are deleted (the ETag is what the benchmark checks against the file). Our uploads are checked
// against their V2 signature; @aws-sdk/client-s3's SigV4 Authorization header is accepted as it is (the benchmark
// measures the clients, not the server's checks).
// Prints `{"port": N}` on stdout once listening; GET /stats answers what was received.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/upload-server.mjs <directory for the parts>');
const AK = 'BENCHAK';
const SK = 'bench-secret';
const BUCKET = 'bench-bucket';
const uploads = new Map(); // uploadId → { key, parts: Map<n, { etag, size }> }
const objects = new Map(); // key → { etag, size }
const stats = { parts: 0, bytes: 0, authority: 0, completes: 0, aborts: 0, signatureFailures: 0 };
let base = '';

const resourceOf = (key, sub) => {
  const names = Object.keys(sub).sort();
  const query = names.map((n) => (sub[n] === '' ? n : `${n}=${sub[n]}`)).join('&');
  return `/${BUCKET}/${key}${query ? `?${query}` : ''}`;
};
const sign = (method, md5, type, expires, resource) =>
  createHmac('sha1', SK).update(`${method}\n${md5}\n${type}\n${expires}\n${resource}`).digest('base64');

function presign(method, key, sub, type = '', md5 = '') {
  const expires = Math.floor(Date.now() / 1000) + 3600;
  const signature = sign(method, md5, type, expires, resourceOf(key, sub));
  const subQuery = Object.entries(sub).map(([n, v]) => (v === '' ? n : `${n}=${encodeURIComponent(v)}`));
  return `${base}/${BUCKET}/${key}?${[...subQuery, `AWSAccessKeyId=${AK}`, `Expires=${expires}`, `Signature=${encodeURIComponent(signature)}`].join('&')}`;
}

const json = (res, status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const xml = (res, status, body) => res.writeHead(status, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
const error = (res, status, code, message) => xml(res, status, `<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
const readAll = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** Streams the request body to `path`, hashing it as it arrives. */
const streamToDisk = (req, path) =>
  new Promise((resolve, reject) => {
    const hash = createHash('md5');
    let size = 0;
    const out = createWriteStream(path);
    req.on('data', (chunk) => {
      hash.update(chunk);
      size += chunk.length;
    });
    req.on('error', reject);
    out.on('error', reject);
    out.on('finish', () => resolve({ digest: hash.digest(), size }));
    req.pipe(out);
  });

async function vod(req, res, url) {
  const route = `${req.method} ${url.pathname.replace(/^\/v1\.[01]\/[^/]+/, '')}`;
  const body = await readAll(req);
  const input = body.length ? JSON.parse(body.toString('utf8')) : {};
  if (route === 'POST /asset') {
    const id = randomBytes(16).toString('hex');
    const key = `bench/${id}/${randomBytes(8).toString('hex')}.mp4`;
    return json(res, 200, { asset_id: id, video_upload_url: presign('PUT', key, {}, 'video/mp4'), subtitle_upload_urls: [], target: { bucket: BUCKET, location: 'local', object: key } });
  }
  if (route === 'GET /asset/authority') {
    stats.authority++;
    const q = Object.fromEntries(url.searchParams);
    const sub = {};
    if (q.http_verb === 'POST' && !q.upload_id) sub.uploads = '';
    if (q.upload_id) sub.uploadId = q.upload_id;
    if (q.http_verb === 'PUT') sub.partNumber = q.part_number;
    return json(res, 200, { sign_str: presign(q.http_verb, q.object_key, sub, q.content_type ?? '', q.content_md5 ?? '') });
  }
  if (route === 'POST /asset/status/uploaded') return json(res, 200, { asset_id: input.asset_id });
  return json(res, 404, { error_code: 'APIG.0101', error_msg: `no route ${route}` });
}

async function obs(req, res, url) {
  const [, bucket, ...rest] = url.pathname.split('/');
  const key = rest.map(decodeURIComponent).join('/');
  const q = url.searchParams;
  if (bucket !== BUCKET) return error(res, 404, 'NoSuchBucket', bucket);
  if (!req.headers.authorization) {
    // S3-V2 query authentication (our uploads); SigV4 headers (the AWS SDK) are accepted as they come.
    const sub = {};
    for (const name of ['uploads', 'uploadId', 'partNumber']) if (q.has(name)) sub[name] = q.get(name);
    const expected = sign(req.method, req.headers['content-md5'] ?? '', req.headers['content-type'] ?? '', q.get('Expires'), resourceOf(key, sub));
    if (q.get('AWSAccessKeyId') !== AK || q.get('Signature') !== expected) {
      stats.signatureFailures++;
      await readAll(req);
      return error(res, 403, 'SignatureDoesNotMatch', 'signature mismatch');
    }
  }
  const uploadId = q.get('uploadId');
  const upload = uploadId ? uploads.get(uploadId) : undefined;
  if (uploadId && !upload) return error(res, 404, 'NoSuchUpload', uploadId);

  if (req.method === 'POST' && q.has('uploads')) {
    await readAll(req);
    const id = randomBytes(16).toString('hex').toUpperCase();
    uploads.set(id, { key, parts: new Map() });
    mkdirSync(join(dir, id));
    return xml(res, 200, `<InitiateMultipartUploadResult><Bucket>${BUCKET}</Bucket><Key>${key}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
  }
  if (req.method === 'PUT' && upload && q.has('partNumber')) {
    const n = Number(q.get('partNumber'));
    const { digest, size } = await streamToDisk(req, join(dir, uploadId, String(n)));
    const md5 = req.headers['content-md5'];
    if (md5 && md5 !== digest.toString('base64')) return error(res, 400, 'BadDigest', `part ${n}`);
    upload.parts.set(n, { etag: digest.toString('hex'), size });
    stats.parts++;
    stats.bytes += size;
    return res.writeHead(200, { etag: `"${digest.toString('hex')}"` }).end();
  }
  if (req.method === 'GET' && upload) {
    const parts = [...upload.parts.entries()].sort(([a], [b]) => a - b)
      .map(([n, p]) => `<Part><PartNumber>${n}</PartNumber><ETag>"${p.etag}"</ETag><Size>${p.size}</Size></Part>`).join('');
    return xml(res, 200, `<ListPartsResult><Bucket>${BUCKET}</Bucket><Key>${key}</Key><UploadId>${uploadId}</UploadId><IsTruncated>false</IsTruncated>${parts}</ListPartsResult>`);
  }
  if (req.method === 'POST' && upload) {
    const text = (await readAll(req)).toString('utf8');
    const listed = [...text.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
      n: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1])?.[1]),
      etag: /<ETag>(?:"|&quot;)?([0-9a-fA-F]{32})(?:"|&quot;)?<\/ETag>/.exec(m[1])?.[1]?.toLowerCase(),
    }));
    for (let i = 0; i < listed.length; i++) {
      const part = upload.parts.get(listed[i].n);
      if (listed[i].n !== i + 1 || !part || part.etag !== listed[i].etag) return error(res, 400, 'InvalidPart', `part ${i + 1}`);
    }
    const etag = `${createHash('md5').update(Buffer.concat(listed.map(({ n }) => Buffer.from(upload.parts.get(n).etag, 'hex')))).digest('hex')}-${listed.length}`;
    const size = listed.reduce((sum, { n }) => sum + upload.parts.get(n).size, 0);
    objects.set(key, { etag, size });
    uploads.delete(uploadId);
    rmSync(join(dir, uploadId), { recursive: true, force: true });
    stats.completes++;
    return xml(res, 200, `<CompleteMultipartUploadResult><Location>${base}/${BUCKET}/${key}</Location><Bucket>${BUCKET}</Bucket><Key>${key}</Key><ETag>"${etag}"</ETag></CompleteMultipartUploadResult>`);
  }
  if (req.method === 'DELETE' && upload) {
    uploads.delete(uploadId);
    rmSync(join(dir, uploadId), { recursive: true, force: true });
    stats.aborts++;
    return res.writeHead(204).end();
  }
  await readAll(req);
  return error(res, 405, 'MethodNotAllowed', `${req.method} ${url.pathname}`);
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://bench');
  const handle = url.pathname === '/stats' ? async () => json(res, 200, { ...stats, objects: Object.fromEntries(objects) })
    : /^\/v1\.[01]\//.test(url.pathname) ? () => vod(req, res, url)
      : () => obs(req, res, url);
  handle().catch((e) => {
    if (!res.headersSent) error(res, 500, 'InternalError', String(e?.message ?? e));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  base = `http://127.0.0.1:${server.address().port}`;
  console.log(JSON.stringify({ port: server.address().port }));
});
