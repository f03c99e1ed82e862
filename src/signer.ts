// AK/SK request signing for Huawei Cloud (SDK-HMAC-SHA256), with no dependencies: node:crypto's synchronous hashes
// where the runtime offers them (Node >= 20.16, Bun, Deno), WebCrypto elsewhere (older Node 20, browsers, workers).
// Byte-for-byte compatible with the official Node SDK's AKSKSigner: it signs every header present plus `host` and
// `x-sdk-date`, hashes the exact body bytes, and encodes the path as sent (it does not decode it first).
//
//   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n hex(sha256(body))
//   StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(sha256(CanonicalRequest))
//   Signature        = hex(HMAC-SHA256(SK, StringToSign))

export interface AkSkCredentials {
  /** Access key ID. */
  readonly ak: string;
  /** Secret access key. Only ever used as HMAC key material. */
  readonly sk: string;
  /** Security token of temporary credentials; sent (and signed) as X-Security-Token. */
  readonly securityToken?: string;
}

export interface SignOptions {
  /** Signing time; defaults to the request's X-Sdk-Date header, else now. */
  readonly date?: Date;
}

/** The parts of a request that the signature covers. `headers` is updated in place. */
export interface SignableRequest {
  readonly method: string;
  readonly url: string | URL;
  readonly headers: Headers;
  readonly body?: Uint8Array | string | null;
}

export const ALGORITHM = 'SDK-HMAC-SHA256';
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const UNSIGNED_PAYLOAD_HEADER = 'x-sdk-content-sha256';

const encoder = /* @__PURE__ */ new TextEncoder();
const HEX = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

// Node (>= 20.16), Bun and Deno hand out node:crypto through process.getBuiltinModule: its hashes are synchronous
// and take about 1 µs here, where each WebCrypto call is a round trip through the thread pool (about 18 µs on Node
// 20; a signature makes three). Looked up at run time, so that browsers and bundlers never see a node: import;
// WebCrypto is the fallback.
interface NodeHash {
  update(data: string | Uint8Array): NodeHash;
  digest(encoding: 'hex' | 'latin1'): string;
}
interface NodeCrypto {
  createHash(algorithm: 'sha256'): NodeHash;
  createHmac(algorithm: 'sha256', key: string): NodeHash;
  /** One-shot hash (Node >= 20.12): half the cost of createHash().update().digest() for small inputs. */
  hash?(algorithm: 'sha256', data: string | Uint8Array, encoding: 'hex' | 'latin1'): string;
}
// Looked up on the first signature rather than at import, which would load node:crypto into every process that
// imports the client, signing or not.
let nodeCryptoLookup: { value: NodeCrypto | undefined } | undefined;
function nodeCrypto(): NodeCrypto | undefined {
  if (!nodeCryptoLookup) {
    let value: NodeCrypto | undefined;
    try {
      const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
      value = proc?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
    } catch {
      value = undefined;
    }
    nodeCryptoLookup = { value };
  }
  return nodeCryptoLookup.value;
}

function sha256HexSync(node: NodeCrypto, data: string | Uint8Array): string {
  return node.hash ? node.hash('sha256', data, 'hex') : node.createHash('sha256').update(data).digest('hex');
}

async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const node = nodeCrypto();
  if (node) return sha256HexSync(node, data);
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return hex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

// HMAC-SHA256 as two one-shot hashes over the key's inner and outer pads (RFC 2104), computed once per credentials
// object: createHmac builds a keyed C++ object per call, which costs as much as the rest of a signature. The pads
// are kept as strings, used only when every key byte is ASCII (then the UTF-8 encoding of `pad + text` is exactly
// the bytes HMAC hashes); any other key goes through createHmac. A WeakMap, so that nothing derived from the SK
// outlives the caller's credentials object.
interface Pads {
  inner: string;
  outer: string;
}
const pads = new WeakMap<AkSkCredentials, Pads | null>();
function hmacPads(node: NodeCrypto, credentials: AkSkCredentials): Pads | null {
  let found = pads.get(credentials);
  if (found === undefined) {
    found = null;
    let key = encoder.encode(credentials.sk);
    if (key.length > 64) key = Uint8Array.from(node.createHash('sha256').update(key).digest('latin1'), (c) => c.charCodeAt(0));
    if (key.every((b) => b < 0x80)) {
      let inner = '';
      let outer = '';
      for (let i = 0; i < 64; i++) {
        const b = key[i] ?? 0;
        inner += String.fromCharCode(b ^ 0x36);
        outer += String.fromCharCode(b ^ 0x5c);
      }
      found = { inner, outer };
    }
    pads.set(credentials, found);
  }
  return found;
}

/** hex(HMAC-SHA256(SK, text)), synchronously. */
function hmacHexSync(node: NodeCrypto, credentials: AkSkCredentials, text: string): string {
  const p = node.hash ? hmacPads(node, credentials) : null;
  if (!p || !node.hash) return node.createHmac('sha256', credentials.sk).update(text).digest('hex');
  const inner = node.hash('sha256', p.inner + text, 'latin1');
  // The outer hash takes the inner digest's raw bytes: a latin1 string, turned into bytes one char per byte.
  const outer = new Uint8Array(96);
  for (let i = 0; i < 64; i++) outer[i] = p.outer.charCodeAt(i);
  for (let i = 0; i < 32; i++) outer[64 + i] = inner.charCodeAt(i);
  return node.hash('sha256', outer, 'hex');
}

// Importing the HMAC key is as costly as a signature: keep one per credentials object (a WeakMap, so that the SK
// is never held beyond the caller's own reference to it).
const keys = new WeakMap<AkSkCredentials, Promise<CryptoKey>>();
function hmacKey(credentials: AkSkCredentials): Promise<CryptoKey> {
  let key = keys.get(credentials);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(credentials.sk), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    keys.set(credentials, key);
  }
  return key;
}

/** hex(HMAC-SHA256(SK, text)) through WebCrypto. */
async function hmacHexWeb(credentials: AkSkCredentials, text: string): Promise<string> {
  return hex(await crypto.subtle.sign('HMAC', await hmacKey(credentials), encoder.encode(text)));
}

/** `YYYYMMDDTHHMMSSZ` in UTC, the X-Sdk-Date format. */
export function sdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

// The X-Sdk-Date of the current second, formatted once per second rather than once per signature.
let nowSecond = Number.NaN;
let nowText = '';
function sdkDateNow(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== nowSecond) {
    nowText = sdkDate(new Date(second * 1000));
    nowSecond = second;
  }
  return nowText;
}

/** Percent-encodes every UTF-8 byte except `A-Z a-z 0-9 - _ . ~`, with upper-case hex. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// A path made only of unreserved characters and slashes is its own canonical form (the usual case: VOD's paths).
const PLAIN_PATH = /^[A-Za-z0-9\-._~/]*$/;

/** Each path segment encoded as sent (not decoded first, like the official SDK), with a trailing `/`. */
export function canonicalUri(pathname: string): string {
  const uri = PLAIN_PATH.test(pathname) ? pathname : pathname.split('/').map(percentEncode).join('/');
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** `key=value` pairs, encoded, sorted by key and then by value, joined with `&`. */
export function canonicalQuery(search: URLSearchParams): string {
  const byKey = new Map<string, string[]>();
  for (const [key, value] of search) {
    const values = byKey.get(key);
    if (values) values.push(value);
    else byKey.set(key, [value]);
  }
  const pairs: string[] = [];
  for (const key of [...byKey.keys()].sort()) {
    for (const value of byKey.get(key)!.sort()) pairs.push(`${percentEncode(key)}=${percentEncode(value)}`);
  }
  return pairs.join('&');
}

/**
 * The canonical request up to (without) the body hash, the signed header names, and the X-Sdk-Content-Sha256 value
 * if there is one. Headers iterate sorted by lower-case name, as the canonical form needs. With `host`, that host is
 * signed in its sorted place instead of any `host` header (which is then not in `headers` at all: fetch sets the
 * header from the URL); `authorization` is never signed then.
 */
function canonicalHead(method: string, url: URL, headers: Headers, host?: string) {
  let canonicalHeaders = '';
  let signedHeaders = '';
  let hostPending = host !== undefined;
  let hadHost = false;
  let payloadHash: string | null = null;
  for (const [name, value] of headers) {
    if (host !== undefined) {
      if (name === 'host' || name === 'authorization') {
        hadHost ||= name === 'host';
        continue;
      }
      if (hostPending && name > 'host') {
        canonicalHeaders += `host:${host}\n`;
        signedHeaders += signedHeaders ? ';host' : 'host';
        hostPending = false;
      }
    }
    if (name === UNSIGNED_PAYLOAD_HEADER) payloadHash = value;
    canonicalHeaders += `${name}:${value}\n`;
    signedHeaders += signedHeaders ? `;${name}` : name;
  }
  if (hostPending) {
    canonicalHeaders += `host:${host}\n`;
    signedHeaders += signedHeaders ? ';host' : 'host';
  }
  const query = url.search ? canonicalQuery(url.searchParams) : '';
  return {
    head: `${method.toUpperCase()}\n${canonicalUri(url.pathname)}\n${query}\n${canonicalHeaders}\n${signedHeaders}\n`,
    signedHeaders,
    payloadHash,
    hadHost,
  };
}

const hasBody = (body: SignableRequest['body']): body is Uint8Array | string => !!body && body.length > 0;

/**
 * The canonical request of `request` as it stands (headers already complete, `host` included), and the signed
 * header names: every header present, sorted by lower-case name.
 */
export async function canonicalRequest(
  request: SignableRequest,
): Promise<{ canonicalRequest: string; signedHeaders: string }> {
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
  const { head, signedHeaders, payloadHash } = canonicalHead(request.method, url, request.headers);
  const bodyHash = payloadHash ?? (hasBody(request.body) ? await sha256Hex(request.body) : EMPTY_BODY_SHA256);
  return { canonicalRequest: head + bodyHash, signedHeaders };
}

/** hex(SHA-256(text)), e.g. of a canonical request. */
export const hashedCanonicalRequest = (text: string): Promise<string> => sha256Hex(text);

/**
 * Sets X-Sdk-Date (unless the request has one and no options.date) and X-Security-Token on `headers`, then returns
 * the canonical request's head and the date that the string to sign needs.
 */
function prepare(request: SignableRequest, credentials: AkSkCredentials, options: SignOptions) {
  const { headers } = request;
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
  let date = options.date ? null : headers.get('x-sdk-date');
  if (date === null) {
    date = options.date ? sdkDate(options.date) : sdkDateNow();
    headers.set('x-sdk-date', date);
  }
  if (credentials.securityToken) headers.set('x-security-token', credentials.securityToken);
  const canonical = canonicalHead(request.method, url, headers, url.host);
  // fetch sets `host` itself from the URL (callers may not send it): it is signed, never sent from here.
  if (canonical.hadHost) headers.delete('host');
  return { date, ...canonical };
}

function authorization(credentials: AkSkCredentials, signedHeaders: string, signature: string): string {
  return `${ALGORITHM} Access=${credentials.ak}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** signHeaders with node:crypto: nothing in it waits. */
function signHeadersSync(node: NodeCrypto, request: SignableRequest, credentials: AkSkCredentials, options: SignOptions): string {
  const { date, head, signedHeaders, payloadHash } = prepare(request, credentials, options);
  const { body } = request;
  const bodyHash = payloadHash ?? (hasBody(body) ? sha256HexSync(node, body) : EMPTY_BODY_SHA256);
  const stringToSign = `${ALGORITHM}\n${date}\n${sha256HexSync(node, head + bodyHash)}`;
  request.headers.set('authorization', authorization(credentials, signedHeaders, hmacHexSync(node, credentials, stringToSign)));
  return signedHeaders;
}

/**
 * Adds X-Sdk-Date, X-Security-Token (with temporary credentials) and Authorization to `request.headers`, signing
 * every header present plus `host`. Returns the signed header names.
 */
export async function signHeaders(
  request: SignableRequest,
  credentials: AkSkCredentials,
  options: SignOptions = {},
): Promise<string> {
  const node = nodeCrypto();
  if (node) return signHeadersSync(node, request, credentials, options);
  const { date, head, signedHeaders, payloadHash } = prepare(request, credentials, options);
  const { body } = request;
  const bodyHash = payloadHash ?? (hasBody(body) ? await sha256Hex(body) : EMPTY_BODY_SHA256);
  const stringToSign = `${ALGORITHM}\n${date}\n${await sha256Hex(head + bodyHash)}`;
  request.headers.set('authorization', authorization(credentials, signedHeaders, await hmacHexWeb(credentials, stringToSign)));
  return signedHeaders;
}

/** All bytes of a body stream, read directly (fewer promise hops than Body#arrayBuffer on a short body). */
async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  let first: Uint8Array | undefined;
  let rest: Uint8Array[] | undefined;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!first) first = value;
    else (rest ??= []).push(value);
  }
  if (!rest) return first ?? new Uint8Array(0);
  const parts = [first!, ...rest];
  const out = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/**
 * Signs a fetch Request with AK/SK and returns a new Request carrying X-Sdk-Date, X-Security-Token (when given) and
 * Authorization. The input is left unread.
 */
export async function signRequest(request: Request, credentials: AkSkCredentials, options: SignOptions = {}): Promise<Request> {
  // The body's bytes come from a copy (a tee of the input's stream), so that the input stays readable; the signed
  // Request gets them as its own body. `new Request(request)` alone would move the input's stream and leave the
  // input unusable. The signed Request's headers start as a copy of the input's and are signed in place.
  const body = request.body ? await readAll(request.clone().body!) : null;
  const signed = new Request(request, body ? { body: body as Uint8Array<ArrayBuffer> } : { headers: request.headers });
  const node = nodeCrypto();
  const target = { method: signed.method, url: signed.url, headers: signed.headers, body };
  if (node) signHeadersSync(node, target, credentials, options);
  else await signHeaders(target, credentials, options);
  return signed;
}
