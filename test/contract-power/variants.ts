// The servers of the power test: the conforming ones, and the broken ones with the one rule each breaks and what
// the contract suite must say when it catches it. servers.ts implements the behaviours named here.
import type { ByteLength, Problem } from './servers.js';

export interface Variant {
  conforming?: boolean;
  breaks: string;
  /** For a broken server: the suite's failure messages must include one that matches (the rule it names). */
  expect?: string | RegExp;

  // Behaviours (a conforming server sets none, or only ones the spec allows).
  mediaType?: string;
  errorMediaType?: string;
  extraFields?: boolean;
  errorWithoutMsg?: boolean;
  refusalStatus?: number;
  /** Answers every n-th request with 429 and `retryAfter`. */
  throttleEvery?: number;
  retryAfter?: string;
  auth?: { acceptAnyToken?: boolean; skipSignature?: boolean; windowMs?: number; noAkSk?: boolean; halfAkSk?: boolean; noAuth?: boolean };
  html401?: boolean;
  malformed500?: boolean;
  crash?: (op: string, body: unknown) => boolean;
  preprocess?: (op: string, body: unknown) => unknown;
  skipValidation?: string[];
  ignore?: (p: Problem, body: unknown) => boolean;
  reject?: (op: string, body: unknown) => boolean;
  byteLength?: ByteLength;
  assetIdNumber?: boolean;
  missingAssetId?: boolean;
  createdStatus?: number;
  smartCover200?: boolean;
  /** Status of VOD.10062 for an asset the server did not create (unset: 204 for any asset). */
  unknownAssetStatus?: number;
  bodyOn204?: boolean;
  /** Throttles `op` when more than `limit` requests arrive within `windowMs`. */
  burst?: { op: string; limit: number; windowMs: number; retryAfter: string };
  authorityBody?: boolean;
  /** Operations that treat every asset as unknown. */
  forgetsAssets?: string[];
  neverFinishes?: boolean;
  detailOtherAsset?: boolean;
  deleteKeepsAsset?: boolean;
  /** DeleteAssetCategory answers 204 but keeps the category. */
  deleteKeepsCategory?: boolean;
  /** Rewrites the query as the server read it. */
  queryHook?: (op: string, query: Record<string, unknown>, search: URLSearchParams) => Record<string, unknown>;
  /** `Operation.parameter`s the server does not validate. */
  skipQueryValidation?: string[];
  /** The only operations the server offers (the others: 404 APIG.0101, no such API). */
  offers?: string[];
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const rejectedRule = (rule: string, name = '') => new RegExp(`rule: ${esc(rule)} — an invalid request is rejected with a declared 4xx [^[]*\\[${name}`);
const acceptedRule = (rule: string, name = '') => new RegExp(`rule: ${esc(rule)} — a valid request is accepted with [^[]*\\[${name}`);

const obj = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);
/** Maps every string in a JSON value. */
const mapStrings = (v: unknown, f: (s: string) => string): unknown =>
  typeof v === 'string' ? f(v) : Array.isArray(v) ? v.map((x) => mapStrings(x, f)) : obj(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, f)])) : v;
/** UTF-8 length with the characters below `limit` counted as `as` bytes: the off-by-width byte counters. */
const miscount = (test: (code: number) => boolean, as: number): ByteLength => (s) => {
  let n = 0;
  for (const c of s) {
    const code = c.codePointAt(0)!;
    n += test(code) ? as : Buffer.byteLength(c);
  }
  return n;
};

export const variants = {
  conforming: { conforming: true, breaks: 'nothing: 204 for a smart cover of any asset' },
  'conforming-unknown-asset-400': { conforming: true, breaks: 'nothing: 400 VOD.10062 for a smart cover of an asset it did not create', unknownAssetStatus: 400 },
  'conforming-unknown-asset-403': { conforming: true, breaks: 'nothing: 403 VOD.10062 for an asset it did not create (the error table)', unknownAssetStatus: 403 },
  'conforming-extra-fields': { conforming: true, breaks: 'nothing: adds fields to every response body (response schemas are open)', extraFields: true },
  'conforming-charset': { conforming: true, breaks: 'nothing: application/json; charset=utf-8', mediaType: 'application/json; charset=utf-8' },
  'conforming-throttled': { conforming: true, breaks: 'nothing: every 40th request is throttled with 429, Retry-After: 0', throttleEvery: 40, retryAfter: '0' },
  'conforming-burst-throttled': {
    conforming: true,
    breaks: 'nothing: throttles a burst of PublishAssets with 429, Retry-After: 1',
    burst: { op: 'PublishAssets', limit: 90, windowMs: 2_000, retryAfter: '1' },
  },

  'conforming-upload-only': {
    conforming: true,
    breaks: 'nothing: offers only the upload operations (UpdateBucketAuthorized, PublishAssetFromObs); 404 APIG.0101 for the rest',
    offers: ['UpdateBucketAuthorized', 'PublishAssetFromObs'],
  },
  'unknown-asset-404': {
    breaks: 'answers 404 VOD.10062 for an asset it does not know (404 is declared nowhere)',
    expect: /rule: every status returned is declared for the operation \(404 is not declared for (ShowAssetDetail|DeleteAssets|PublishAssets|UnpublishAssets|CreateSmartCover)/,
    unknownAssetStatus: 404,
  },

  'created-201': {
    breaks: 'answers 201 instead of 200 when it creates an asset',
    expect: 'rule: every status returned is declared for the operation (201 is not declared for PublishAssetFromObs',
    createdStatus: 201,
  },
  'asset-id-number': {
    breaks: 'asset_id is a number',
    expect: 'rule: every body validates against its declared schema (200 body against #/components/schemas/PublishAssetFromObsResponse: /asset_id must be string)',
    assetIdNumber: true,
  },
  'missing-asset-id': {
    breaks: 'the 200 body has no asset_id',
    expect: "(200 body against #/components/schemas/PublishAssetFromObsResponse: (root) must have required property 'asset_id')",
    missingAssetId: true,
  },
  'accepts-invalid': {
    breaks: 'does not validate PublishAssetFromObs bodies at all',
    expect: rejectedRule('PublishAssetFromObs body: required video_type'),
    skipValidation: ['PublishAssetFromObs'],
  },
  'missing-input-accepted': {
    breaks: 'accepts a body without input (the seed says optional; the spec requires it)',
    expect: rejectedRule('PublishAssetFromObs body: required input'),
    ignore: (p) => p.keyword === 'required' && p.params?.missingProperty === 'input',
  },
  'cross-field': {
    breaks: 'accepts storage_mode 1 without output_bucket/output_path',
    expect: rejectedRule('PublishAssetFromObs body: if storage_mode = 1 requires output_bucket, output_path'),
    ignore: (p, body) => obj(body) && body.storage_mode === 1 && ['required', 'if'].includes(p.keyword) && p.path === '',
  },
  'look-alike': {
    breaks: 'takes workflow_name for template_group_name when auto_encrypt is 1',
    expect: rejectedRule('PublishAssetFromObs body: if auto_encrypt = 1 requires template_group_name', 'auto_encrypt = 1 without template_group_name, with the look-alike workflow_name'),
    preprocess: (_op, body) => (obj(body) && body.workflow_name !== undefined && body.template_group_name === undefined ? { ...body, template_group_name: body.workflow_name } : body),
  },
  'open-schema': {
    breaks: 'accepts unknown top-level fields',
    expect: rejectedRule('PublishAssetFromObs body: additionalProperties false'),
    ignore: (p) => p.keyword === 'additionalProperties' && p.path === '',
  },
  'nested-open': {
    breaks: 'accepts unknown fields inside thumbnail',
    expect: rejectedRule('PublishAssetFromObs body.thumbnail: additionalProperties false'),
    ignore: (p) => p.keyword === 'additionalProperties' && p.path === '/thumbnail',
  },
  'bytes-ignored': {
    breaks: 'checks lengths in characters, not UTF-8 bytes (what Prism sees)',
    expect: rejectedRule('PublishAssetFromObs body.title: x-max-bytes 128'),
    byteLength: (s) => [...s].length,
  },
  'e-acute-one-byte': {
    breaks: 'counts a 2-byte character (é) as 1 byte',
    expect: rejectedRule('PublishAssetFromObs body.title: x-max-bytes 128', 'body.title 129 bytes: 2-byte characters'),
    byteLength: miscount((c) => c >= 0x80 && c < 0x800, 1),
  },
  'emoji-three-bytes': {
    breaks: 'counts a 4-byte character (an emoji) as 3 bytes',
    expect: rejectedRule('PublishAssetFromObs body.title: x-max-bytes 128', 'body.title 129 bytes: 4-byte characters'),
    byteLength: miscount((c) => c > 0xffff, 3),
  },
  'emoji-five-bytes': {
    breaks: 'rejects a valid title of 4-byte characters (counts them as 5 bytes)',
    expect: acceptedRule('PublishAssetFromObs body.title: x-max-bytes 128', 'body.title exactly 128 bytes in 4-byte characters'),
    byteLength: miscount((c) => c > 0xffff, 5),
  },
  'tag-bytes-as-chars': {
    breaks: 'counts the bytes of each tag in characters',
    expect: rejectedRule('PublishAssetFromObs body.tags: x-separated-list ≤ 16 items of ≤ 16 bytes, joined by ","', 'body.tags an item of 17 bytes: 2-byte'),
    ignore: (p, body) => p.keyword === 'x-separated-list' && obj(body) && typeof body.tags === 'string' && body.tags.split(',').length <= 16 && body.tags.split(',').every((t) => [...t].length <= 16),
  },
  'flag-minus-one': {
    breaks: 'accepts -1 for a 0/1 flag',
    expect: rejectedRule('PublishAssetFromObs body.auto_publish: enum [0,1]', 'body.auto_publish -1, not in the enum'),
    ignore: (p, body) => p.keyword === 'enum' && p.path === '/auto_publish' && obj(body) && body.auto_publish === -1,
  },
  'thumbnail-format-zero': {
    breaks: 'accepts thumbnail.format 0',
    expect: rejectedRule('PublishAssetFromObs body.thumbnail.format: enum [1]', 'body.thumbnail.format 0, not in the enum'),
    ignore: (p, body) => p.keyword === 'enum' && p.path === '/thumbnail/format' && obj(body) && obj(body.thumbnail) && body.thumbnail.format === 0,
  },
  'enum-trailing-space': {
    breaks: 'trims strings before checking them (accepts "MP4 ")',
    expect: /rule: PublishAssetFromObs body\.video_type: enum of 29 values — an invalid request is rejected [^[]*\[body\.video_type "\w+ ", not in the enum/,
    preprocess: (_op, body) => mapStrings(body, (s) => s.trim()),
  },
  'enum-case-insensitive': {
    breaks: 'upper-cases video_type before checking it (accepts "mp4")',
    expect: /rule: PublishAssetFromObs body\.video_type: enum of 29 values — an invalid request is rejected [^[]*\[body\.video_type "[a-z0-9]+", not in the enum/,
    preprocess: (_op, body) => (obj(body) && typeof body.video_type === 'string' ? { ...body, video_type: body.video_type.toUpperCase() } : body),
  },
  'video-type-subset': {
    breaks: 'accepts only the video formats of video_type, not the audio ones',
    expect: acceptedRule('PublishAssetFromObs body.video_type: enum of 29 values', 'body.video_type enum value "MP3"'),
    reject: (op, body) => op === 'PublishAssetFromObs' && obj(body) && ['MP3', 'OGG', 'WAV', 'WMA', 'APE', 'FLAC', 'AAC', 'AC3', 'MMF', 'AMR', 'M4A', 'M4R', 'WV', 'MP2'].includes(String(body.video_type)),
  },
  'null-as-absent': {
    breaks: 'takes null for an optional property as if it were absent',
    expect: /rule: PublishAssetFromObs body\.\w+: type \w+ \(not null\) — an invalid request is rejected [^[]*\[body\.\w+ null/,
    preprocess: (_op, body) => (obj(body) ? Object.fromEntries(Object.entries(body).filter(([, x]) => x !== null)) : body),
  },
  'coerce-types': {
    breaks: 'coerces number-like strings to numbers (Ajv coerceTypes)',
    expect: /rule: PublishAssetFromObs body\.\w+: type integer — an invalid request is rejected [^[]*\[body\.\w+ a string \("/,
    preprocess: (_op, body) => (obj(body) ? Object.fromEntries(Object.entries(body).map(([k, x]) => [k, typeof x === 'string' && /^-?\d+$/.test(x) && k !== 'title' ? Number(x) : x])) : body),
  },
  'range-one-branch': {
    breaks: 'checks thumbnail.time in [1, 12] only when thumbnail.type is time',
    expect: rejectedRule('PublishAssetFromObs body.thumbnail.time: minimum 1', 'body.thumbnail.time 0, just outside\\]'),
    ignore: (p, body) => ['minimum', 'maximum'].includes(p.keyword) && p.path === '/thumbnail/time' && obj(body) && obj(body.thumbnail) && body.thumbnail.type !== 'time',
  },
  'rejects-maximal': {
    breaks: 'refuses a body with more than 12 properties (every optional one at once)',
    expect: acceptedRule('PublishAssetFromObs body: every optional property at once'),
    reject: (op, body) => op === 'PublishAssetFromObs' && obj(body) && Object.keys(body).length > 12,
  },
  'malformed-json-500': {
    breaks: 'answers malformed JSON with 500 instead of 400',
    expect: /rule: no request is answered with a server error \(5xx\) [^[]*\[while checking: PublishAssetFromObs body: well-formed JSON/,
    malformed500: true,
  },
  'crash-on-input': {
    breaks: 'answers 500 to a thumbnail of type dots without dots (a crash instead of a 400)',
    expect: /rule: no request is answered with a server error \(5xx\) [^[]*\[while checking: PublishAssetFromObs body\.thumbnail: if type = "dots" requires dots/,
    crash: (op, body) => op === 'PublishAssetFromObs' && obj(body) && obj(body.thumbnail) && body.thumbnail.type === 'dots' && !('dots' in body.thumbnail),
  },
  'no-auth': { breaks: 'accepts requests without credentials', expect: 'rule: a request without credentials is rejected with 401', auth: { noAuth: true } },
  'wrong-token': { breaks: 'accepts any X-Auth-Token', expect: 'rule: a wrong X-Auth-Token is rejected with 401', auth: { acceptAnyToken: true } },
  'bad-signature': { breaks: 'accepts a known AK without verifying the signature', expect: 'rule: an AK/SK request with a bad signature is rejected with 401', auth: { skipSignature: true } },
  'old-date': { breaks: 'does not check that X-Sdk-Date is within 15 minutes', expect: 'rule: a correctly signed request whose X-Sdk-Date is 16 minutes old is rejected with 401', auth: { windowMs: Infinity } },
  'narrow-date-window': { breaks: 'rejects an X-Sdk-Date 10 minutes old (a 5-minute window)', expect: 'rule: a correctly signed request whose X-Sdk-Date is 10 minutes old is accepted', auth: { windowMs: 5 * 60_000 } },
  'token-only': { breaks: 'rejects every AK/SK-signed request', expect: 'rule: a correctly AK/SK-signed request is accepted', auth: { noAkSk: true } },
  'half-aksk': {
    breaks: 'accepts an Authorization header without X-Sdk-Date as credentials',
    expect: 'rule: AK/SK needs both Authorization and X-Sdk-Date: a request with only one of them is rejected with 401',
    auth: { halfAkSk: true },
  },
  'html-401': {
    breaks: 'answers a missing credential with 401 and an HTML page',
    expect: "rule: a response's media type is one the spec declares for it (parameters such as charset allowed) (401 is declared as application/json, but came with content-type text/html",
    html401: true,
  },
  'text-plain': {
    breaks: 'sends its JSON bodies as text/plain',
    expect: "rule: a response's media type is one the spec declares for it (parameters such as charset allowed) (200 is declared as application/json, but came with content-type text/plain",
    mediaType: 'text/plain; charset=utf-8',
  },
  'problem-json': {
    breaks: 'sends its errors as application/problem+json',
    expect: "rule: a response's media type is one the spec declares for it (parameters such as charset allowed) (400 is declared as application/json, but came with content-type application/problem+json",
    errorMediaType: 'application/problem+json',
  },
  'text-json': {
    breaks: 'sends its JSON bodies as text/json',
    expect: "(200 is declared as application/json, but came with content-type text/json",
    mediaType: 'text/json',
  },
  'smart-cover-200': {
    breaks: 'answers a smart cover with 200 and a JSON body instead of 204',
    expect: 'rule: every status returned is declared for the operation (200 is not declared for CreateSmartCover',
    smartCover200: true,
  },
  'body-on-204': {
    breaks: 'sends a body with the 204 of a smart cover',
    expect: 'rule: a response declared without content has an empty body, read at the socket (204 is declared without content for CreateSmartCover, but 16 body bytes',
    bodyOn204: true,
  },
  'error-without-msg': {
    breaks: 'error bodies lack error_msg',
    expect: "(400 body against #/components/schemas/ErrorResponse: (root) must have required property 'error_msg')",
    errorWithoutMsg: true,
  },
  'invalid-422': { breaks: 'answers invalid input with 422 (not declared)', expect: 'rule: every status returned is declared for the operation (422 is not declared for', refusalStatus: 422 },
  'meta-comma-only': {
    breaks: 'reads ShowAssetMeta asset_id as one comma-separated value (explode: false), ignoring repeated keys',
    expect: rejectedRule('ShowAssetMeta query asset_id: maxItems 10'),
    queryHook: (op, query, search) => (op === 'ShowAssetMeta' && search.has('asset_id') ? { ...query, asset_id: search.get('asset_id')!.split(',') } : query),
  },
  'size-unbounded': {
    breaks: 'does not check ShowAssetMeta size against [1, 100]',
    expect: rejectedRule('ShowAssetMeta query size: maximum 100'),
    skipQueryValidation: ['ShowAssetMeta.size'],
  },
  'operation-integer': {
    breaks: 'accepts UpdateBucketAuthorized operation as an integer',
    expect: rejectedRule('UpdateBucketAuthorized body.operation: type string', 'body.operation an integer'),
    preprocess: (op, body) => (op === 'UpdateBucketAuthorized' && obj(body) && typeof body.operation === 'number' ? { ...body, operation: String(body.operation) } : body),
  },
  'authority-body': {
    breaks: 'answers UpdateBucketAuthorized with 200 and a JSON body (declared without content)',
    expect: 'rule: a response declared without content has an empty body, read at the socket (200 is declared without content for UpdateBucketAuthorized',
    authorityBody: true,
  },
  'detail-other-asset': {
    breaks: 'ShowAssetDetail describes another asset than the one asked for',
    expect: 'step 4, ShowAssetDetail describes the asset asked for',
    detailOtherAsset: true,
  },
  'delete-keeps-asset': {
    breaks: 'DeleteAssets says DELETED but the asset stays listed as it was',
    expect: 'step 8, a deleted asset is no longer listed',
    deleteKeepsAsset: true,
  },
  'category-delete-keeps': {
    breaks: 'DeleteAssetCategory answers 204 but the category stays listed',
    expect: 'step 5, a deleted category is no longer listed',
    deleteKeepsCategory: true,
  },
  'unpublish-crash': {
    breaks: 'answers UnpublishAssets with 500',
    expect: /rule: no request is answered with a server error \(5xx\) [^[]*\[while checking: [^\]]*UnpublishAssets/,
    crash: (op) => op === 'UnpublishAssets',
  },
  'burst-retry-after-date': {
    breaks: 'throttles a burst of PublishAssets with Retry-After as an HTTP date (the spec says whole seconds)',
    expect: 'rule: declared response headers validate against their schema (retry-after: Wed, 21 Oct 2026 07:28:00 GMT',
    burst: { op: 'PublishAssets', limit: 90, windowMs: 2_000, retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT' },
  },
  'smart-cover-never-204': {
    breaks: 'answers every smart cover with 400 VOD.10062, even for an asset it just created',
    expect: 'rule: chain: a smart cover of an asset the target just created answers 204 with an empty body: step 2, CreateSmartCover',
    unknownAssetStatus: 400,
    forgetsAssets: ['CreateSmartCover'],
  },
  'status-filter-open': {
    breaks: 'accepts any value in the ShowAssetMeta status filter',
    expect: rejectedRule('ShowAssetMeta query status: items enum of 11 values'),
    skipQueryValidation: ['ShowAssetMeta.status'],
  },
  'retry-after-invalid': {
    breaks: 'throttles with a Retry-After that is not a number of seconds',
    expect: 'rule: declared response headers validate against their schema (retry-after: soon',
    throttleEvery: 40,
    retryAfter: 'soon',
  },
} satisfies Record<string, Variant>;

export type VariantName = keyof typeof variants;
