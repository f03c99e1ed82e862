/// <reference types="node" />
// The simulator's OBS side: objects in buckets, V2-style (S3-V2 query string) presigned URLs that it issues and
// checks, and multipart uploads as OBS implements them. Presigned URLs point at this same server, path-style under
// /_obs/<bucket>/<key> (no VOD operation lives there); the signature covers, as OBS's does:
//
//   StringToSign = VERB \n Content-MD5 \n Content-Type \n Expires \n /<bucket>/<key>[?sub-resources]
//   Signature    = base64(HMAC-SHA1(SK, StringToSign))
//
// so a request must send exactly the method, Content-MD5 and Content-Type that were signed, before Expires.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const OBS_PREFIX = '/_obs/';
/** OBS's 上传段: every part but the last is at least 100 KB; a part is at most 5 GB. */
export const DEFAULT_MIN_PART_BYTES = 100 * 1024;
export const DEFAULT_MAX_PART_BYTES = 5 * 1024 ** 3;
const XMLNS = 'http://obs.cn-north-4.myhuaweicloud.com/doc/2015-06-30/';

export interface ObsObject {
  size: number;
  /** Hex MD5 of a single PUT; for a multipart object the hex MD5 of the part MD5s, then -<parts>. */
  etag: string;
  contentType?: string;
  /** A broken object exists but cannot be read: a transfer from it fails. */
  broken?: boolean;
  lastModified: number;
}

interface Part {
  size: number;
  etag: string;
  md5: Buffer;
  lastModified: number;
}

interface Upload {
  bucket: string;
  key: string;
  contentType?: string;
  parts: Map<number, Part>;
  initiated: number;
}

export interface ObsAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface PresignInput {
  method: string;
  bucket: string;
  key: string;
  contentType?: string;
  contentMd5?: string;
  /** `uploads`, or `partNumber=N&uploadId=…`, or `uploadId=…`, sorted as OBS sorts sub-resources. */
  subresource?: string;
}

const xmlEscape = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

export class Obs {
  readonly objects = new Map<string, ObsObject>();
  /** Objects removed or broken explicitly: they override `anyObjectExists`. */
  readonly removed = new Set<string>();
  readonly uploads = new Map<string, Upload>();
  private readonly ak = 'SIMULATOROBSAK' + randomBytes(3).toString('hex').toUpperCase();
  private readonly sk = randomBytes(24).toString('base64');
  /** Set by a fault: the next presigned request is judged expired. */
  expireNext = 0;

  constructor(
    private readonly options: {
      now: () => number;
      baseUrl: () => string;
      /** Every object named in a bucket exists unless removed (npm run simulator's mode). */
      anyObjectExists: boolean;
      presignTtlSeconds: number;
      minPartBytes: number;
      maxPartBytes: number;
      /** Called when an object is written (single PUT or completed multipart upload). */
      onObject?: (bucket: string, key: string) => void;
    },
  ) {}

  private id = (bucket: string, key: string) => `${bucket}/${key}`;

  put(bucket: string, key: string, object: Partial<ObsObject> = {}) {
    this.removed.delete(this.id(bucket, key));
    this.objects.set(this.id(bucket, key), { size: 0, etag: createHash('md5').digest('hex'), lastModified: this.options.now(), ...object });
  }

  remove(bucket: string, key: string) {
    this.objects.delete(this.id(bucket, key));
    this.removed.add(this.id(bucket, key));
  }

  break(bucket: string, key: string) {
    const existing = this.get(bucket, key);
    this.put(bucket, key, { ...(existing ?? {}), broken: true });
  }

  /** The object, or a synthetic one in anyObjectExists mode; undefined when it does not exist. */
  get(bucket: string, key: string): ObsObject | undefined {
    const found = this.objects.get(this.id(bucket, key));
    if (found) return found;
    if (this.options.anyObjectExists && !this.removed.has(this.id(bucket, key))) {
      return { size: 1_048_576, etag: createHash('md5').update(`${bucket}/${key}`).digest('hex'), lastModified: this.options.now() };
    }
    return undefined;
  }

  list(bucket: string, prefix = ''): { key: string; object: ObsObject }[] {
    return [...this.objects.entries()]
      .filter(([id]) => id.startsWith(`${bucket}/${prefix}`))
      .map(([id, object]) => ({ key: id.slice(bucket.length + 1), object }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  private stringToSign(method: string, md5: string, type: string, expires: string, resource: string) {
    return `${method}\n${md5}\n${type}\n${expires}\n${resource}`;
  }

  private sign(text: string) {
    return createHmac('sha1', this.sk).update(text).digest('base64');
  }

  /** A presigned URL for one OBS request, valid presignTtlSeconds of simulated time. */
  presign(input: PresignInput): string {
    const expires = String(Math.floor(this.options.now() / 1000) + this.options.presignTtlSeconds);
    const resource = `/${input.bucket}/${input.key}${input.subresource ? `?${input.subresource}` : ''}`;
    const signature = this.sign(this.stringToSign(input.method, input.contentMd5 ?? '', input.contentType ?? '', expires, resource));
    const query = `${input.subresource ? `${input.subresource}&` : ''}AWSAccessKeyId=${this.ak}&Expires=${expires}&Signature=${encodeURIComponent(signature)}`;
    return `${this.options.baseUrl()}${OBS_PREFIX}${input.bucket}/${encodeKey(input.key)}?${query}`;
  }

  private error(status: number, code: string, message: string, extra = ''): ObsAnswer {
    return {
      status,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${extra}<RequestId>${randomBytes(8).toString('hex').toUpperCase()}</RequestId></Error>`,
    };
  }

  /** Handles one request under /_obs/. */
  handle(method: string, rawUrl: string, headers: IncomingHttpHeaders, body: Buffer): ObsAnswer {
    const url = new URL(rawUrl, 'http://obs.invalid');
    const path = url.pathname.slice(OBS_PREFIX.length);
    const slash = path.indexOf('/');
    const bucket = decodeURIComponent(slash < 0 ? path : path.slice(0, slash));
    const key = slash < 0 ? '' : path.slice(slash + 1).split('/').map(decodeURIComponent).join('/');
    const q = url.searchParams;
    const ak = q.get('AWSAccessKeyId');
    const expires = q.get('Expires');
    const signature = q.get('Signature');
    if (!ak || !expires || !signature) return this.error(403, 'AccessDenied', 'Anonymous access is forbidden: presign the request (AWSAccessKeyId, Expires, Signature).');
    if (ak !== this.ak) return this.error(403, 'InvalidAccessKeyId', 'The OBS access key Id you provided does not exist in our records.');
    // Sub-resources are part of the signed resource, in OBS's (alphabetical) order.
    const sub = ['partNumber', 'uploadId', 'uploads']
      .filter((name) => q.has(name))
      .map((name) => (name === 'uploads' ? 'uploads' : `${name}=${q.get(name)}`))
      .join('&');
    const resource = `/${bucket}/${key}${sub ? `?${sub}` : ''}`;
    const h = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? v.join(',') : (v ?? '');
    };
    const toSign = this.stringToSign(method, h('content-md5'), h('content-type'), expires, resource);
    const expected = Buffer.from(this.sign(toSign));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return this.error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', `<StringToSign>${xmlEscape(toSign)}</StringToSign>`);
    }
    if (this.expireNext > 0 || Number(expires) * 1000 < this.options.now()) {
      if (this.expireNext > 0) this.expireNext--;
      return this.error(403, 'AccessDenied', 'Request has expired.', `<Expires>${expires}</Expires>`);
    }
    const md5 = createHash('md5').update(body).digest();
    const contentMd5 = h('content-md5');
    if (contentMd5 && contentMd5 !== md5.toString('base64')) {
      return this.error(400, 'BadDigest', 'The Content-MD5 you specified did not match what was received.');
    }
    const uploadId = q.get('uploadId');
    if (method === 'POST' && q.has('uploads')) return this.initiate(bucket, key, h('content-type') || undefined);
    if (uploadId !== null) {
      const upload = this.uploads.get(uploadId);
      if (!upload || upload.bucket !== bucket || upload.key !== key) {
        return this.error(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');
      }
      if (method === 'PUT' && q.has('partNumber')) return this.uploadPart(upload, q.get('partNumber')!, body, md5);
      if (method === 'GET') return this.listParts(uploadId, upload, q);
      if (method === 'POST') return this.complete(uploadId, upload, body.toString('utf8'));
      if (method === 'DELETE') {
        this.uploads.delete(uploadId);
        return { status: 204 };
      }
    }
    if (method === 'PUT' && key) {
      if (body.length > this.options.maxPartBytes) return this.error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.');
      const etag = md5.toString('hex');
      this.put(bucket, key, { size: body.length, etag, ...(h('content-type') ? { contentType: h('content-type') } : {}) });
      this.options.onObject?.(bucket, key);
      return { status: 200, headers: { etag: `"${etag}"` } };
    }
    if ((method === 'GET' || method === 'HEAD') && key) {
      const object = this.get(bucket, key);
      if (!object) return this.error(404, 'NoSuchKey', 'The specified key does not exist.');
      return { status: 200, headers: { etag: `"${object.etag}"`, 'content-length': String(object.size) } };
    }
    return this.error(405, 'MethodNotAllowed', `The simulator's OBS side does not implement ${method} here.`);
  }

  private initiate(bucket: string, key: string, contentType: string | undefined): ObsAnswer {
    const uploadId = randomBytes(16).toString('hex').toUpperCase();
    this.uploads.set(uploadId, { bucket, key, ...(contentType ? { contentType } : {}), parts: new Map(), initiated: this.options.now() });
    return {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult xmlns="${XMLNS}"><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
    };
  }

  private uploadPart(upload: Upload, partNumberText: string, body: Buffer, md5: Buffer): ObsAnswer {
    const partNumber = Number(partNumberText);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
      return this.error(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive.');
    }
    if (body.length > this.options.maxPartBytes) return this.error(400, 'EntityTooLarge', `A part is at most ${this.options.maxPartBytes} bytes.`);
    const etag = md5.toString('hex');
    upload.parts.set(partNumber, { size: body.length, etag, md5, lastModified: this.options.now() });
    return { status: 200, headers: { etag: `"${etag}"` } };
  }

  private listParts(uploadId: string, upload: Upload, q: URLSearchParams): ObsAnswer {
    const marker = Number(q.get('part-number-marker') ?? 0) || 0;
    const max = Math.min(Number(q.get('max-parts') ?? 1000) || 1000, 1000);
    const all = [...upload.parts.entries()].filter(([n]) => n > marker).sort((a, b) => a[0] - b[0]);
    const page = all.slice(0, max);
    const truncated = all.length > max;
    const parts = page
      .map(([n, p]) => `<Part><PartNumber>${n}</PartNumber><LastModified>${new Date(p.lastModified).toISOString()}</LastModified><ETag>"${p.etag}"</ETag><Size>${p.size}</Size></Part>`)
      .join('');
    const next = page.length ? page[page.length - 1]![0] : marker;
    return {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<ListPartsResult xmlns="${XMLNS}"><Bucket>${xmlEscape(upload.bucket)}</Bucket><Key>${xmlEscape(upload.key)}</Key><UploadId>${uploadId}</UploadId><PartNumberMarker>${marker}</PartNumberMarker><NextPartNumberMarker>${next}</NextPartNumberMarker><MaxParts>${max}</MaxParts><IsTruncated>${truncated}</IsTruncated>${parts}</ListPartsResult>`,
    };
  }

  private complete(uploadId: string, upload: Upload, xml: string): ObsAnswer {
    const listed = [...xml.matchAll(/<Part>\s*([\s\S]*?)\s*<\/Part>/g)].map((m) => ({
      partNumber: Number(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(m[1]!)?.[1]),
      etag: (/<ETag>\s*([^<]*?)\s*<\/ETag>/.exec(m[1]!)?.[1] ?? '').replace(/&quot;/g, '"').replace(/^"|"$/g, ''),
    }));
    if (!listed.length) return this.error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate: no <Part> in <CompleteMultipartUpload>.');
    for (let i = 1; i < listed.length; i++) {
      if (listed[i]!.partNumber <= listed[i - 1]!.partNumber) return this.error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order.');
    }
    const parts: Part[] = [];
    for (const { partNumber, etag } of listed) {
      const part = upload.parts.get(partNumber);
      if (!part || part.etag !== etag) return this.error(400, 'InvalidPart', `Part ${partNumber} was not uploaded, or its ETag does not match.`);
      parts.push(part);
    }
    const small = parts.slice(0, -1).findIndex((p) => p.size < this.options.minPartBytes);
    if (small >= 0) {
      return this.error(400, 'EntityTooSmall', `Your proposed upload is smaller than the minimum allowed size: part ${listed[small]!.partNumber} has ${parts[small]!.size} bytes, every part but the last needs at least ${this.options.minPartBytes}.`);
    }
    const etag = `${createHash('md5').update(Buffer.concat(parts.map((p) => p.md5))).digest('hex')}-${parts.length}`;
    this.put(upload.bucket, upload.key, { size: parts.reduce((n, p) => n + p.size, 0), etag, ...(upload.contentType ? { contentType: upload.contentType } : {}) });
    this.uploads.delete(uploadId);
    this.options.onObject?.(upload.bucket, upload.key);
    return {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult xmlns="${XMLNS}"><Location>${this.options.baseUrl()}${OBS_PREFIX}${upload.bucket}/${encodeKey(upload.key)}</Location><Bucket>${xmlEscape(upload.bucket)}</Bucket><Key>${xmlEscape(upload.key)}</Key><ETag>"${etag}"</ETag></CompleteMultipartUploadResult>`,
    };
  }

  snapshot() {
    return {
      objects: [...this.objects.entries()].map(([id, o]) => ({ id, ...o })),
      uploads: [...this.uploads.entries()].map(([id, u]) => ({ uploadId: id, bucket: u.bucket, key: u.key, parts: [...u.parts.keys()].sort((a, b) => a - b) })),
    };
  }
}
