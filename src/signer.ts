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

const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

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
  digest(encoding: 'hex'): string;
}
interface NodeCrypto {
  createHash(algorithm: 'sha256'): NodeHash;
  createHmac(algorithm: 'sha256', key: string): NodeHash;
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

async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const node = nodeCrypto();
  if (node) return node.createHash('sha256').update(data).digest('hex');
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return hex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
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

/** hex(HMAC-SHA256(SK, text)). */
async function hmacHex(credentials: AkSkCredentials, text: string): Promise<string> {
  const node = nodeCrypto();
  if (node) return node.createHmac('sha256', credentials.sk).update(text).digest('hex');
  return hex(await crypto.subtle.sign('HMAC', await hmacKey(credentials), encoder.encode(text)));
}

/** `YYYYMMDDTHHMMSSZ` in UTC, the X-Sdk-Date format. */
export function sdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Percent-encodes every UTF-8 byte except `A-Z a-z 0-9 - _ . ~`, with upper-case hex. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Each path segment encoded as sent (not decoded first, like the official SDK), with a trailing `/`. */
export function canonicalUri(pathname: string): string {
  const uri = pathname.split('/').map(percentEncode).join('/');
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
 * The canonical request of `request` as it stands (headers already complete, `host` included), and the signed
 * header names: every header present, sorted by lower-case name.
 */
export async function canonicalRequest(
  request: SignableRequest,
): Promise<{ canonicalRequest: string; signedHeaders: string }> {
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
  // Headers iterate sorted by lower-case name, as the canonical form needs.
  let canonicalHeaders = '';
  let signedHeaders = '';
  for (const [name, value] of request.headers) {
    canonicalHeaders += `${name}:${value}\n`;
    signedHeaders += signedHeaders ? `;${name}` : name;
  }
  const { body } = request;
  const bodyHash =
    request.headers.get(UNSIGNED_PAYLOAD_HEADER) ?? (body && body.length > 0 ? await sha256Hex(body) : EMPTY_BODY_SHA256);
  return {
    canonicalRequest: [
      request.method.toUpperCase(),
      canonicalUri(url.pathname),
      canonicalQuery(url.searchParams),
      canonicalHeaders,
      signedHeaders,
      bodyHash,
    ].join('\n'),
    signedHeaders,
  };
}

/** hex(SHA-256(text)), e.g. of a canonical request. */
export const hashedCanonicalRequest = (text: string): Promise<string> => sha256Hex(text);

/**
 * Adds X-Sdk-Date, X-Security-Token (with temporary credentials) and Authorization to `request.headers`, signing
 * every header present plus `host`. Returns the signed header names.
 */
export async function signHeaders(
  request: SignableRequest,
  credentials: AkSkCredentials,
  options: SignOptions = {},
): Promise<string> {
  const { headers } = request;
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
  headers.delete('authorization');
  if (options.date || !headers.has('x-sdk-date')) headers.set('x-sdk-date', sdkDate(options.date ?? new Date()));
  if (credentials.securityToken) headers.set('x-security-token', credentials.securityToken);
  headers.set('host', url.host);
  const { canonicalRequest: canonical, signedHeaders } = await canonicalRequest({ ...request, url });
  const stringToSign = `${ALGORITHM}\n${headers.get('x-sdk-date')}\n${await sha256Hex(canonical)}`;
  const signature = await hmacHex(credentials, stringToSign);
  // fetch sets `host` itself from the URL (callers may not send it): it is signed, not sent from here.
  headers.delete('host');
  headers.set('authorization', `${ALGORITHM} Access=${credentials.ak}, SignedHeaders=${signedHeaders}, Signature=${signature}`);
  return signedHeaders;
}

/**
 * Signs a fetch Request with AK/SK and returns a new Request carrying X-Sdk-Date, X-Security-Token (when given) and
 * Authorization. The input is left unread.
 */
export async function signRequest(request: Request, credentials: AkSkCredentials, options: SignOptions = {}): Promise<Request> {
  const body = request.body ? new Uint8Array(await request.clone().arrayBuffer()) : null;
  const headers = new Headers(request.headers);
  await signHeaders({ method: request.method, url: request.url, headers, body }, credentials, options);
  // Give the copy its own body: `new Request(request)` would move the input's body stream and leave it unreadable.
  return new Request(request, body ? { headers, body } : { headers });
}
